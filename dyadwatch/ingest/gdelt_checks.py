"""Row checks of the GDELT fast path, as one SQL CASE that names the first problem found."""

from __future__ import annotations

from dyadwatch.sources.gdelt import FIELDS, EventLayout

_INTEGER_FIELDS = ("NumMentions", "NumSources", "NumArticles")
_NUMBER_FIELDS = ("AvgTone",)


def sql_quote(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _shown(expr: str) -> str:
    """A field's value as shown in a reason: quoted, at most 40 characters."""
    return f"'''' || left({expr}, 40) || ''''"


def check_cases(layout: EventLayout, max_field: int) -> str:
    """A CASE expression over ``f`` (the split fields) and ``line``: NULL for a good row."""
    widths = ", ".join(str(w) for w in layout.widths)
    expected = " or ".join(str(w) for w in layout.widths)
    gid, date = f"f[{FIELDS['GLOBALEVENTID']}]", f"f[{FIELDS['SQLDATE']}]"
    code, gold = f"f[{FIELDS['EventCode']}]", f"f[{FIELDS['GoldsteinScale']}]"
    longest = "list_max(list_transform(f, lambda x: length(x)))"
    cases = [
        (
            f"len(f) NOT IN ({widths})",
            f"'expected {expected} tab-separated columns, found ' || len(f)",
        ),
        (
            f"length(line) > {max_field} AND {longest} > {max_field}",
            f"'a field is ' || {longest} || "
            f"' characters long, over the limit of {max_field} (DYADWATCH_MAX_FIELD_BYTES)'",
        ),
        (
            f"try_cast({gid} AS BIGINT) IS NULL",
            f"'GLOBALEVENTID ' || {_shown(gid)} || ' is not an integer'",
        ),
        (
            f"try_strptime({date}, '%Y%m%d') IS NULL",
            f"'SQLDATE ' || {_shown(date)} || ' is not a valid YYYYMMDD date'",
        ),
        (
            f"NOT regexp_full_match({code}, '[0-9]{{2,4}}')",
            f"'EventCode ' || {_shown(code)} || ' is not a CAMEO code'",
        ),
        (
            f"{gold} <> '' AND try_cast({gold} AS DOUBLE) IS NULL",
            f"'GoldsteinScale ' || {_shown(gold)} || ' is not a number'",
        ),
        (
            f"abs(try_cast({gold} AS DOUBLE)) > 10",
            f"'GoldsteinScale ' || {gold} || ' is outside -10..10'",
        ),
    ]
    for name in _INTEGER_FIELDS:
        value = f"f[{FIELDS[name]}]"
        cases.append(
            (
                f"{value} <> '' AND try_cast({value} AS BIGINT) IS NULL",
                f"'{name} ' || {_shown(value)} || ' is not an integer'",
            )
        )
    for name in _NUMBER_FIELDS:
        value = f"f[{FIELDS[name]}]"
        cases.append(
            (
                f"{value} <> '' AND try_cast({value} AS DOUBLE) IS NULL",
                f"'{name} ' || {_shown(value)} || ' is not a number'",
            )
        )
    whens = "\n".join(f"WHEN {cond} THEN {reason}" for cond, reason in cases)
    return f"CASE {whens} END"
