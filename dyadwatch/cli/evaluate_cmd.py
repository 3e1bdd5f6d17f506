"""``dyadwatch evaluate coder``: score the event coder on the labelled corpus (dev and the
frozen test split) beside the rule baseline; ``evaluate verdicts``: the verdicts and
alerts against the record of documented shifts; ``evaluate devsets``: the older
PETRARCH-gold dev sets. ``coder`` and ``verdicts`` each write their own part of
EVALUATION.md, and with ``--scores-out`` the JSON the methods page bundles. Nothing
here assumes a checkout: the dev sets' folder is an option (or DYADWATCH_DEVSETS_DIR)."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from dyadwatch.cli.context import CliState, fail, state, store_for
from dyadwatch.errors import ConfigError, DyadwatchError

if TYPE_CHECKING:  # the coding package is heavy: imported only when a command runs
    from dyadwatch.coding.evaluate import EvaluationReport, SetScore

app = typer.Typer(
    help="Measure the event coder on labelled sets, and the verdicts on the record of shifts.",
    no_args_is_help=True,
    add_completion=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"


class Split(StrEnum):
    dev = "dev"
    test = "test"
    all = "all"


@app.command("coder")
def coder(
    ctx: typer.Context,
    split: Split = typer.Option(Split.all, "--split", help="dev, test (frozen) or all."),
    labels: Path = typer.Option(
        Path("labels"), "--labels", help="The labelled corpus folder (labels/ in a checkout)."
    ),
    out: Path = typer.Option(None, "--out", help="Also write EVALUATION.md to this path."),
    scores_out: Path = typer.Option(
        None, "--scores-out", help="Also write the scores as JSON (bundled for the methods page)."
    ),
    baseline: bool = typer.Option(
        True, "--baseline/--no-baseline", help="Score the rule coder too."
    ),
) -> None:
    """Score the coder (and the rule baseline) on the labelled corpus: dev beside test."""
    from dyadwatch.coding import load_coder, load_rule_coder
    from dyadwatch.coding.evaluate_gold_report import build_report, render_markdown, report_to_dict

    cli = state(ctx)
    splits = ("dev", "test") if split is Split.all else (split.value,)
    pair = cli.settings.dyad_countries
    coders: dict[str, object] = {"learned": load_coder(pair)}
    if baseline:
        coders["rules"] = load_rule_coder()
    try:
        report = build_report(coders, labels=labels, splits=splits, pair=pair)
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc
    today = dt.date.today()
    command = shlex.join(["dyadwatch", "evaluate", "coder", "--split", split.value])
    text = render_markdown(report, command=command, today=today)
    if out is not None:
        write_section(out, "coder", text)
    if scores_out is not None:
        record = {**report_to_dict(report, today=today), "command": command}
        _write_json(scores_out, record)
    cli.out.print(text, markup=False, highlight=False, soft_wrap=True)


@app.command("devsets")
def devsets(
    ctx: typer.Context,
    set_name: str = typer.Option(
        "all", "--set", help="A dev set (petr2_gsr, gigaword, petr_unit, …) or 'all'."
    ),
    out: Path = typer.Option(None, "--out", help="Also write EVALUATION.md to this path."),
    fmt: Format = typer.Option(Format.table, "--format", help="Print a table or JSON."),
    devsets_dir: Path | None = typer.Option(
        None,
        "--devsets-dir",
        envvar="DYADWATCH_DEVSETS_DIR",
        help="Directory of the dev-set files (shared/data/devsets); required.",
    ),
) -> None:
    """Score the coder against PETRARCH-2's gold on the older dev sets (machine gold)."""
    from dyadwatch.coding.devsets import load_devsets
    from dyadwatch.coding.evaluate import evaluate_with_baseline
    from dyadwatch.coding.evaluate_report import report_to_dict, write_evaluation_md

    out_console, err = _consoles(ctx)
    try:
        if devsets_dir is None:
            raise ConfigError(
                "no dev-set folder: pass --devsets-dir (or set DYADWATCH_DEVSETS_DIR) to the "
                "shared/data/devsets directory"
            )
        sets = load_devsets(set_name, root=devsets_dir)
        reports = evaluate_with_baseline(_real_coder(), sets)
        if out is not None:
            from dyadwatch.coding.hand_labels import hand_labelled_section

            write_evaluation_md(
                reports,
                out,
                command=_command(set_name, out),
                today=dt.date.today(),
                extra=[hand_labelled_section()],
            )
    except DyadwatchError as exc:
        raise fail(err, exc) from exc
    if fmt is Format.json:
        text = json.dumps([report_to_dict(r) for r in reports], indent=2)
        out_console.print(text, markup=False, highlight=False, soft_wrap=True)
        return
    for report in reports:
        out_console.print(_table(report))


def _real_coder():  # type: ignore[no-untyped-def]
    from dyadwatch.coding import load_coder  # heavy: loaded only when the command runs

    return load_coder()


def _consoles(ctx: typer.Context) -> tuple[Console, Console]:
    state = ctx.find_object(CliState)
    if state is None:
        return Console(), Console(stderr=True)
    return state.out, state.err


def _command(set_name: str, out: Path) -> str:
    return shlex.join(["dyadwatch", "evaluate", "devsets", "--set", set_name, "--out", str(out)])


def _table(report: EvaluationReport) -> Table:
    table = Table(
        title=f"{report.coder_name} {report.coder_version}  (peak {report.peak_rss_mb:,.0f} MB)"
    )
    for column in (
        "set",
        "scored",
        "type acc",
        "macro-F1",
        "any",
        "quad",
        "src ctry",
        "tgt ctry",
        "false ev",
        "miss",
        "sent/s",
    ):
        table.add_column(column, justify="left" if column == "set" else "right")
    for score in (*report.sets, *report.groups):
        table.add_row(*_row(score))
    return table


def _row(score: SetScore) -> list[str]:
    m = score.metrics
    values = (
        m.type_accuracy,
        m.type_macro_f1,
        m.any_match_accuracy,
        m.quad_accuracy,
        m.source_country_accuracy,
        m.target_country_accuracy,
        m.false_event_rate,
        m.miss_rate,
    )
    speed = score.sentences_per_second
    return [
        score.name,
        str(m.n_scored),
        *("–" if v is None else f"{v:.3f}" for v in values),
        "–" if speed is None else f"{speed:,.0f}",
    ]


@app.command("clusters")
def clusters(
    ctx: typer.Context,
    labels: Path = typer.Option(
        None, "--labels", help="CSV of labelled report pairs (default: the bundled sample)."
    ),
    sample: int = typer.Option(0, "--sample", help="Print N new pairs to label, and stop."),
) -> None:
    """Precision of the event clusters in the store, on report pairs labelled by hand."""
    from dyadwatch.coding.cluster_eval import cluster_precision, sample_pairs
    from dyadwatch.coding.hand_labels import CLUSTER_LABELS

    cli = state(ctx)
    with store_for(cli) as store:
        if sample:
            for pair in sample_pairs(store, n=sample):
                cli.out.print(
                    json.dumps(asdict(pair), ensure_ascii=False), markup=False, soft_wrap=True
                )
            return
        result = cluster_precision(store, labels or CLUSTER_LABELS)
    shown = "n/a" if result.precision is None else f"{result.precision:.2f}"
    cli.out.print(
        f"cluster precision {shown}: {result.same} of {result.clustered} labelled pairs that "
        f"share a cluster are the same event ({result.labelled} pairs labelled)"
    )


@app.command("verdicts")
def verdicts(
    ctx: typer.Context,
    record: Path = typer.Option(
        None, "--record", help="CSV of documented shifts (default: the bundled record)."
    ),
    out: Path = typer.Option(
        None, "--out", help="Also write the verdicts' section into this EVALUATION.md."
    ),
    scores_out: Path = typer.Option(
        None, "--scores-out", help="Also write the scores as JSON (bundled for the methods page)."
    ),
) -> None:
    """Score the store's verdicts and alerts against the record of documented shifts,
    beside the naive rule (a month's count above 1.5 times its 6-month mean)."""
    from dyadwatch.analysis.shift_record import load_record
    from dyadwatch.analysis.verdict_eval import score_verdicts
    from dyadwatch.analysis.verdict_eval_report import render, scores_to_dict

    cli = state(ctx)
    try:
        shifts = load_record(record, dyad=cli.settings.dyad_countries)
        with (
            store_for(cli, read_only=True) as store,
            cli.err.status("judging every month and scanning alerts…"),
        ):
            scores = score_verdicts(store, cli.settings, shifts)
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc
    args = ["dyadwatch", "--db", str(cli.settings.db), "evaluate", "verdicts"]
    today = dt.date.today()
    text = render(scores, command=shlex.join(args), today=today)
    if out is not None:
        write_section(out, "verdicts", text)
    if scores_out is not None:
        _write_json(scores_out, scores_to_dict(scores, command=shlex.join(args), today=today))
    cli.out.print(text, markup=False, highlight=False, soft_wrap=True)


def _write_json(path: Path, record: dict[str, object]) -> None:
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")


SECTIONS = ("coder", "verdicts")  # the parts of EVALUATION.md, in order


def write_section(path: Path, name: str, text: str) -> None:
    """Write one part of ``EVALUATION.md`` and keep the others (a file without markers is
    taken as the coder's part)."""
    import re

    old = path.read_text(encoding="utf-8") if path.exists() else ""
    parts = {
        key: body
        for key, body in re.findall(r"<!-- part:(\w+) -->\n(.*?)<!-- /part:\1 -->\n", old, re.S)
    }
    if old and not parts:
        parts = {"coder": old}
    parts[name] = text
    path.write_text(
        "".join(
            f"<!-- part:{key} -->\n{parts[key]}<!-- /part:{key} -->\n"
            for key in SECTIONS
            if key in parts
        ),
        encoding="utf-8",
    )
