"""The public API is exactly what __all__ lists, sorted (after httpx's test)."""

from __future__ import annotations

import inspect

import dyadwatch


def test_all_is_sorted_and_complete() -> None:
    assert dyadwatch.__all__ == sorted(dyadwatch.__all__)
    public = {
        name
        for name, value in vars(dyadwatch).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public == set(dyadwatch.__all__)


def test_every_error_derives_from_the_root() -> None:
    errors = [getattr(dyadwatch, n) for n in dyadwatch.__all__ if n.endswith("Error")]
    assert errors and all(issubclass(e, dyadwatch.DyadwatchError) for e in errors)
