"""Opening input files safely: zip members, gzip, hashes, UTF-8 repair, BOM and CRLF.

Every reader gets a clean UTF-8, LF-only, BOM-less text file, plus the facts needed
for run accounting: the original file's sha256 and how many characters were replaced.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import io
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from dyadwatch.errors import CorruptFileError, EmptyFileError, SourceError

CHUNK = 1 << 22
_FFFD = "\ufffd".encode()
_HEAD = 65536
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class PreparedInput:
    """An input ready for a reader: ``text_path`` is clean UTF-8 with LF line ends."""

    original: Path
    text_path: Path
    sha256: str
    replaced_chars: int
    member: str | None = None


@dataclass(slots=True)
class _Scan:
    valid_utf8: bool = True
    needs_newline_fix: bool = False
    has_bom: bool = False
    literal_fffd: int = 0
    size: int = 0
    head: bytes = b""


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def prepare_input(path: Path | str) -> Iterator[PreparedInput]:
    """Check, hash and clean one input file; temporary copies are removed afterwards."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(path, "no such file", "Check the path and try again")
    if path.stat().st_size == 0:
        raise EmptyFileError(path, "the file is empty", "Download or export it again")
    with tempfile.TemporaryDirectory(prefix="dyadwatch-") as tmp:
        if zipfile.is_zipfile(path) or path.suffix.lower() == ".zip":
            yield _prepare_zip(path, Path(tmp))
        elif _is_gzip(path):
            yield _prepare_gzip(path, Path(tmp))
        else:
            yield _prepare_plain(path, Path(tmp))


def _prepare_plain(path: Path, tmp: Path) -> PreparedInput:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        scan = _scan(handle, digest)
    _check_text(path, scan)
    if scan.valid_utf8 and not scan.needs_newline_fix and not scan.has_bom:
        return PreparedInput(path, path, digest.hexdigest(), 0)
    clean = tmp / (path.name + ".clean")
    with path.open("rb") as handle:
        replaced = _clean_copy(handle, clean) - scan.literal_fffd
    return PreparedInput(path, clean, digest.hexdigest(), replaced)


def _prepare_zip(path: Path, tmp: Path) -> PreparedInput:
    sha = sha256_file(path)
    try:
        with zipfile.ZipFile(path) as archive:
            member = _single_member(path, archive)
            with archive.open(member) as handle:
                scan = _scan(handle, None)
            _check_text(path, scan)
            clean = tmp / Path(member).name
            with archive.open(member) as handle:
                replaced = _clean_copy(handle, clean) - scan.literal_fffd
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
        raise CorruptFileError(
            path, f"truncated or damaged zip archive ({exc})", "Download the file again"
        ) from exc
    return PreparedInput(path, clean, sha, replaced, member=member)


def _is_gzip(path: Path) -> bool:
    """A name ending in .gz, or gzip's magic bytes at the start."""
    if path.suffix.lower() == ".gz":
        return True
    with path.open("rb") as handle:
        return handle.read(2) == _GZIP_MAGIC


def _prepare_gzip(path: Path, tmp: Path) -> PreparedInput:
    """Decompress a .gz file to a clean copy named without its .gz suffix."""
    sha = sha256_file(path)
    name = path.stem if path.suffix.lower() == ".gz" else path.name + ".clean"
    clean = tmp / name
    try:
        with gzip.open(path, "rb") as handle:
            scan = _scan(cast(IO[bytes], handle), None)
        _check_text(path, scan)
        with gzip.open(path, "rb") as handle:
            replaced = _clean_copy(cast(IO[bytes], handle), clean) - scan.literal_fffd
    except (EOFError, zlib.error, OSError) as exc:  # gzip.BadGzipFile is an OSError
        raise CorruptFileError(
            path, f"truncated or damaged gzip file ({exc})", "Download the file again"
        ) from exc
    return PreparedInput(path, clean, sha, replaced)


def _single_member(path: Path, archive: zipfile.ZipFile) -> str:
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    if not names:
        raise EmptyFileError(path, "the zip archive holds no file", "Download it again")
    if len(names) > 1:
        raise SourceError(
            path, f"the zip archive holds {len(names)} files", "Unzip it and ingest each file"
        )
    return names[0]


def _scan(handle: IO[bytes], digest: hashlib._Hash | None) -> _Scan:
    scan = _Scan()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    tail = b""
    while chunk := handle.read(CHUNK):
        if digest is not None:
            digest.update(chunk)
        if not scan.head:
            scan.head = chunk[:_HEAD]
            scan.has_bom = chunk.startswith(codecs.BOM_UTF8)
        scan.size += len(chunk)
        scan.needs_newline_fix = scan.needs_newline_fix or b"\r" in chunk
        scan.literal_fffd += (tail + chunk).count(_FFFD)
        tail = chunk[-2:]
        if scan.valid_utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                scan.valid_utf8 = False
    if scan.valid_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.valid_utf8 = False
    return scan


def _check_text(path: Path, scan: _Scan) -> None:
    if scan.size == 0 or not scan.head.strip():
        raise EmptyFileError(path, "the file holds no rows", "Download or export it again")
    if b"\x00" in scan.head:
        raise CorruptFileError(
            path, "binary data, not a text export", "Check that this is the right file"
        )


def _clean_copy(handle: IO[bytes], dest: Path) -> int:
    """Write ``handle`` as clean UTF-8 with universal newlines; returns the U+FFFD count."""
    replaced = 0
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline=None)
    with dest.open("w", encoding="utf-8", newline="\n") as out:
        while chunk := text.read(CHUNK):
            replaced += chunk.count("\ufffd")
            out.write(chunk)
    text.detach()
    return replaced
