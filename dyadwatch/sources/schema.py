"""Does a downloaded file still look the way its parser expects? Checked before ingest.

``dyadwatch update`` fetches files that their publishers may reshape at any time (a
renamed column, a JSON key moved). Ingesting such a file would quarantine every row, or
worse, load wrong values; so each updater first checks the columns or keys its parser
needs, and fails with :class:`~dyadwatch.errors.SchemaChangedError` naming the source and
the field, for example::

    cbp-encounters: column 'Encounter Count' missing (found: Fiscal Year, ...). ...

The checks read only the head of a file: the header line of a CSV (plain, gzipped or the
one member of a zip), or the top-level keys of a JSON object.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from dyadwatch.errors import SchemaChangedError

_GZIP_MAGIC = b"\x1f\x8b"


def csv_header(path: Path, *, source: str, delimiter: str = ",") -> tuple[str, ...]:
    """The column names of a CSV file's first line (BOM and blanks stripped)."""
    with _open_text(path, source) as handle:
        first = handle.readline()
    row = next(csv.reader([first], delimiter=delimiter), [])
    return tuple(name.strip() for name in row)


def require_columns(
    source: str,
    path: Path,
    required: Iterable[str],
    *,
    one_of: Iterable[str] = (),
    delimiter: str = ",",
) -> tuple[str, ...]:
    """The header's columns; :class:`SchemaChangedError` for the first missing column (or
    when none of ``one_of`` is there)."""
    found = csv_header(path, source=source, delimiter=delimiter)
    for name in required:
        if name not in found:
            raise changed(source, path, f"column {name!r} missing", found)
    options = tuple(one_of)
    if options and not any(name in found for name in options):
        wanted = " or ".join(repr(name) for name in options)
        raise changed(source, path, f"column {wanted} missing", found)
    return found


def require_value(source: str, path: Path, column: str, value: str, pattern: str) -> None:
    """:class:`SchemaChangedError` when ``value`` (of ``column`` in the first record) does
    not match ``pattern``: the column is there but its format changed."""
    if not re.fullmatch(pattern, value.strip()):
        problem = f"column {column!r} holds {value[:40]!r}, not the expected format {pattern}"
        raise changed(source, path, problem, ())


def json_object(source: str, path: Path, keys: Iterable[str]) -> dict[str, Any]:
    """The JSON object in ``path``; :class:`SchemaChangedError` when it is not an object
    or lacks one of ``keys``."""
    try:
        with _open_text(path, source) as handle:
            data = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise changed(source, path, f"not JSON ({exc})", ()) from exc
    if not isinstance(data, dict):
        raise changed(source, path, f"a JSON {type(data).__name__}, not an object", ())
    for key in keys:
        if key not in data:
            raise changed(source, path, f"key {key!r} missing", tuple(data))
    return data


def require_keys(
    source: str, path: Path, where: str, data: Mapping[str, Any], keys: Iterable[str]
) -> None:
    """:class:`SchemaChangedError` when the object at ``where`` lacks one of ``keys``."""
    for key in keys:
        if key not in data:
            raise changed(source, path, f"key {where}{key!r} missing", tuple(data))


def changed(source: str, path: Path, problem: str, found: Iterable[str]) -> SchemaChangedError:
    """The error for a format change, naming what was found and where the file is kept."""
    shown = ", ".join(found)
    detail = f" (found: {shown[:300]}{'...' if len(shown) > 300 else ''})" if shown else ""
    return SchemaChangedError(
        source,
        problem + detail,
        f"The source changed its format; the downloaded file is kept at {path}. Update the "
        "parser for the new format, or point the source's URL setting at a file in the old one",
    )


@contextlib.contextmanager
def _open_text(path: Path, source: str) -> Iterator[IO[str]]:
    """A text handle on a plain, gzipped or single-member zip file (BOM removed)."""
    with path.open("rb") as raw:
        magic = raw.read(2)
    if magic == _GZIP_MAGIC:
        with gzip.open(path, "rb") as packed:
            yield io.TextIOWrapper(packed, encoding="utf-8-sig", errors="replace")
        return
    if not zipfile.is_zipfile(path):
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            yield handle
        return
    with zipfile.ZipFile(path) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) != 1:
            names = tuple(info.filename for info in members)
            raise changed(source, path, f"a zip holding {len(members)} files, not one", names)
        with archive.open(members[0]) as member:
            yield io.TextIOWrapper(member, encoding="utf-8-sig", errors="replace")
