"""Reads of the ``coded_documents`` table (which coder coded which document, and how many
sentences it read), each an unexecuted Ibis expression over :mod:`dyadwatch.store.tables`.

Writes (recording a coded document, what is left to code) are in ``store/coded.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir


def coded_reading(documents: ir.Table, coded_documents: ir.Table) -> ir.Table:
    """(``source``, ``lang``, ``month``, ``docs`` coded, ``sentences`` read) per document
    source, language and month with a coded document, sorted. A document coded by several
    coders counts once, with the most sentences any of them read."""
    coded = coded_documents.group_by("doc_id").aggregate(n=coded_documents.n_sentences.max())
    t = documents.join(coded, "doc_id")
    t = t.mutate(month=t.date.truncate("M"))
    out = t.group_by(["source", "lang", "month"]).aggregate(docs=t.count(), sentences=t.n.sum())
    return out.order_by(["source", "lang", "month"])
