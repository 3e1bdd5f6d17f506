"""One file's ingest, all or nothing, with every row accounted for.

The flow for each file:
1. prepare it (hash, unzip, repair UTF-8) and check its format: a whole-file problem
   raises a :class:`SourceError` before anything is written;
2. skip it when the same bytes were loaded before (idempotent);
3. record the run as 'running' (so a killed run stays visible as 'interrupted');
4. in one transaction: stage its rows, insert the new ones, quarantine the bad ones,
   and store the counts. A kill anywhere in step 4 leaves none of the file behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from dyadwatch.errors import SourceError
from dyadwatch.ingest.tables import SPECS, TableSpec, records_to_arrow, rejected_to_arrow
from dyadwatch.records import IngestReport, Rejected, Row
from dyadwatch.sources.files import PreparedInput, prepare_input
from dyadwatch.store import Store, loading, runs

OnRows = Callable[[int], None]
BATCH = 50_000


@dataclass(frozen=True, slots=True)
class StageResult:
    """What a stager left in the transaction: counts, before run bookkeeping."""

    read: int
    loaded: int
    duplicates: int
    quarantined: int
    filtered: int = 0


Stager = Callable[[Store, PreparedInput, str], StageResult]


def new_run_id() -> str:
    return uuid.uuid4().hex


def ingest_file(
    store: Store,
    path: Path | str,
    *,
    source_system: str | Callable[[PreparedInput], str],
    stager: Callable[[PreparedInput], Stager],
) -> IngestReport:
    """Ingest one file with the stager chosen for it; see the module docstring."""
    with prepare_input(path) as prepared:
        system, stage = _choose(prepared, source_system, stager)
        earlier = loading.completed_run(store, sha256=prepared.sha256, source_system=system)
        if earlier is not None:
            return IngestReport(earlier, system, str(path), prepared.sha256, "skipped")
        loading.mark_interrupted_runs(store)
        run_id = new_run_id()
        loading.start_run(
            store,
            run_id=run_id,
            source_system=system,
            file_name=Path(path).name,
            sha256=prepared.sha256,
        )
        try:
            with store.transaction():
                result = stage(store, prepared, run_id)
                counts = _counts(result, prepared)
                loading.finish_run(store, run_id=run_id, counts=counts)
        except SourceError:
            loading.drop_run(store, run_id)
            raise
        return _report(store, run_id, system, path, prepared, result)


def _choose(
    prepared: PreparedInput,
    source_system: str | Callable[[PreparedInput], str],
    stager: Callable[[PreparedInput], Stager],
) -> tuple[str, Stager]:
    """Detect the format before anything is written; errors name the file the user gave."""
    try:
        system = source_system if isinstance(source_system, str) else source_system(prepared)
        return system, stager(prepared)
    except SourceError as exc:
        if exc.path == str(prepared.original):
            raise
        raise type(exc)(prepared.original, exc.problem, exc.fix) from exc


def _counts(result: StageResult, prepared: PreparedInput) -> dict[str, int]:
    return {
        "read": result.read,
        "loaded": result.loaded,
        "duplicates": result.duplicates,
        "quarantined": result.quarantined,
        "filtered": result.filtered,
        "replaced_chars": prepared.replaced_chars,
    }


def _report(
    store: Store,
    run_id: str,
    system: str,
    path: Path | str,
    prepared: PreparedInput,
    result: StageResult,
) -> IngestReport:
    sample = tuple(
        Rejected(line, raw or "", reason)
        for line, raw, reason in runs.quarantine_sample(store, run_id)
    )
    return IngestReport(
        run_id=run_id,
        source_system=system,
        path=str(path),
        sha256=prepared.sha256,
        status="loaded",
        read=result.read,
        loaded=result.loaded,
        duplicates=result.duplicates,
        quarantined=result.quarantined,
        filtered=result.filtered,
        replaced_chars=prepared.replaced_chars,
        quarantine_sample=sample,
    )


def stage_records(
    store: Store,
    run_id: str,
    items: Iterable[tuple[int, Row | Rejected]],
    *,
    on_rows: OnRows | None = None,
) -> StageResult:
    """Load (line number, record or rejection) pairs in batches: the Python readers' path."""
    read = loaded = duplicates = quarantined = 0
    for batch in _batches(items, BATCH):
        good = [(n, r) for n, r in batch if not isinstance(r, Rejected)]
        bad = [r for _, r in batch if isinstance(r, Rejected)]
        read += len(batch)
        quarantined += _quarantine(store, bad, run_id)
        new = _insert_records(store, good, run_id)
        loaded += new
        duplicates += len(good) - new
        if on_rows is not None:
            on_rows(len(batch))
    return StageResult(read, loaded, duplicates, quarantined)


def _insert_records(store: Store, good: list[tuple[int, Row]], run_id: str) -> int:
    inserted = 0
    by_spec: dict[TableSpec, list[tuple[int, Row]]] = {}
    for line_no, record in good:
        by_spec.setdefault(SPECS[type(record)], []).append((line_no, record))
    for spec, pairs in by_spec.items():
        table = records_to_arrow(spec, [r for _, r in pairs], [n for n, _ in pairs])
        with store.registered("_staged_records", table) as staged:
            inserted += loading.insert_new(
                store,
                table=spec.name,
                staged=staged,
                columns=spec.columns,
                keys=spec.keys,
                run_id=run_id,
            )
    return inserted


def _quarantine(store: Store, bad: list[Rejected], run_id: str) -> int:
    if not bad:
        return 0
    with store.registered("_staged_rejects", rejected_to_arrow(bad)) as staged:
        return loading.insert_quarantine(store, staged, run_id=run_id)


def _batches(items: Iterable[tuple[int, Row | Rejected]], size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


Reader = Callable[[Path], Iterable[tuple[int, Row | Rejected]]]


def ingest_records(
    store: Store,
    path: Path | str,
    *,
    source_system: str,
    read: Reader,
    check: Callable[[Path], None] | None = None,
    on_rows: OnRows | None = None,
) -> IngestReport:
    """Ingest a file through a Python reader that yields (line number, record or rejection).

    ``check`` looks at the clean text file before anything is written and raises a
    :class:`SourceError` (e.g. :class:`UnrecognizedFormatError`) for a whole-file problem.
    """

    def stager(prepared: PreparedInput) -> Stager:
        if check is not None:
            check(prepared.text_path)
        return lambda st, prep, run_id: stage_records(
            st, run_id, read(prep.text_path), on_rows=on_rows
        )

    return ingest_file(store, path, source_system=source_system, stager=stager)
