"""``pollen``: set up the store, load or make events, materialize, report, run the demo.

Every error ends the command with one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.settings import SettingsError
from pollen_pipeline.store import Store, StoreError

if TYPE_CHECKING:  # the report imports matplotlib lazily; commands import it when they run
    from pollen_pipeline.report.numbers import Span

UTC = dt.UTC
# backfill_policy and partitioned checks are beta/preview APIs we use on purpose; their
# warnings say nothing a user of the CLI can act on.
warnings.filterwarnings("ignore", message=r".* is currently in (beta|preview)")


class CommandError(RuntimeError):
    """A command failed for a reason the user can act on."""


def _store() -> Store:
    return ClickHouseResource().store()


def _say(message: str) -> None:
    print(message, flush=True)


def cmd_init(_: argparse.Namespace) -> None:
    from pollen_pipeline.catalog import init_store

    store = _store()
    created = init_store(store)
    _say(f"database {store.database}: created {', '.join(created) or 'nothing (all tables exist)'}")


@contextmanager
def _progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar with an ETA on stderr; yields ``update(done, total)``."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

    columns = (*Progress.get_default_columns()[:1], BarColumn(), TaskProgressColumn())
    with Progress(
        *columns,
        TimeRemainingColumn(elapsed_when_finished=True),
        console=_stderr_console(),
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def cmd_generate(args: argparse.Namespace) -> None:
    from pollen_pipeline.catalog import init_store
    from pollen_pipeline.synthetic import (
        default_v2_from,
        generate_events,
        generate_side_sources,
        generate_v2_events,
    )

    store = _store()
    init_store(store)
    with _progress_bar(f"generating {args.days} days") as update:
        total = generate_events(
            store.client,
            store.database,
            args.start,
            args.days,
            args.events_per_day,
            args.seed,
            progress=update,
        )
    _say(f"generated {total:,} events from {args.start} over {args.days} days")
    v2_from = args.v2_from or default_v2_from(args.start, args.days)
    v2_rows = generate_v2_events(
        store.client, store.database, args.start, args.days, args.events_per_day, args.seed, v2_from
    )
    if v2_rows:
        _say(f"generation_event_v2: {v2_rows:,} rows from {v2_from} (read with POLLEN_V2_FROM)")
    tables = generate_side_sources(
        store.client, store.database, args.start, args.days, args.events_per_day, args.seed
    )
    rows = {table: store.scalar(f"SELECT count() FROM {store.table(table)}") for table in tables}
    if rows:
        _say("side sources: " + ", ".join(f"{table} {n:,} rows" for table, n in rows.items()))


def materialize_range(first: dt.date, last: dt.date, select: Sequence[str] | None = None) -> None:
    """Materialize the selected tables (all by default) for the UTC days ``first`` .. ``last``,
    as one Dagster run, recorded in the instance of ``DAGSTER_HOME`` when set (the UI shows it).
    """
    from pollen_pipeline.definitions import defs
    from pollen_pipeline.runs import RunError, materialize_days

    if last < first:
        raise CommandError(f"--end {last} is before --start {first}")
    started = time.monotonic()
    with _progress_bar(f"materializing {first} .. {last}") as update:
        try:
            materialize_days(defs(), first, last, list(select or []), progress=update)
        except RunError as error:
            raise CommandError(str(error)) from error
    _say(f"materialized {first} .. {last} in {time.monotonic() - started:.1f}s")


def cmd_materialize(args: argparse.Namespace) -> None:
    from pollen_pipeline.catalog import init_store

    init_store(_store())
    materialize_range(args.start, args.end, args.select)


def cmd_demo(args: argparse.Namespace) -> None:
    from pollen_pipeline import report
    from pollen_pipeline.headline import headline_numbers
    from pollen_pipeline.synthetic import default_v2_from

    yesterday = dt.datetime.now(UTC).date() - dt.timedelta(days=1)
    first = yesterday - dt.timedelta(days=args.days - 1)
    cmd_init(args)
    _clear_synthetic_events(_store())
    v2_from = default_v2_from(first, args.days)
    generate = argparse.Namespace(
        start=first,
        days=args.days,
        events_per_day=args.events_per_day,
        seed=args.seed,
        v2_from=v2_from,
    )
    cmd_generate(generate)
    # every table reads v1 before v2's first day, v2 (and v1's cache hits and anonymous calls)
    # from it on: event_source.py
    _say(f"POLLEN_V2_FROM={v2_from} for this run")
    with _environment("POLLEN_V2_FROM", v2_from.isoformat()):
        materialize_range(first, yesterday)
    _say(headline_numbers(_store(), first, yesterday))
    span = report.last_complete_week(yesterday + report.DAY)
    _write_report(span, report.default_out(span))  # the demo's last week, as a page of charts


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    """``name=value`` in the environment (read when a run starts), as before afterwards."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


def _clear_synthetic_events(store: Store) -> None:
    """Empty the raw tables (events and side sources) before the demo generates them again: they
    are made anew on every run, so keeping the last run's would count each row twice. A store
    that holds loaded files is refused instead, never cleared."""
    from pollen_pipeline.catalog import LEDGER_TABLE, raw_tables

    loaded = store.scalar(f"SELECT count() FROM {store.table(LEDGER_TABLE)}")
    if loaded:
        raise CommandError(
            f"{store.database} holds {loaded} loaded file(s) (load_ledger): the demo replaces "
            "every raw event with synthetic ones; point POLLEN_CLICKHOUSE_URL at another store"
        )
    for table in raw_tables():
        store.command(f"TRUNCATE TABLE {store.table(table)}")


def cmd_load(args: argparse.Namespace) -> int:
    """Exit 1 when any line was rejected (the rejects are kept and their place is printed)."""
    from pollen_pipeline.catalog import init_store
    from pollen_pipeline.loader import LoadError, load_files
    from pollen_pipeline.settings import partition_start_date

    store = _store()
    init_store(store)
    try:
        paths = [Path(path) for path in args.paths]
        results = load_files(
            store, paths, partition_start_date(), args.format, _say, table=args.table
        )
    except LoadError as error:
        raise CommandError(str(error)) from error
    return 1 if any(result.rejected for result in results) else 0


def cmd_exclude(args: argparse.Namespace) -> None:
    """Add (or with --remove, drop) excluded users; without ids, list them."""
    from pollen_pipeline import exclusions
    from pollen_pipeline.catalog import init_store

    store = _store()
    init_store(store)
    if args.github_ids and args.remove:
        exclusions.remove(store, args.github_ids)
    elif args.github_ids:
        exclusions.add(store, args.github_ids, args.reason)
    elif args.remove:
        raise CommandError("--remove needs the GitHub ids to remove")
    for github_id, reason, added_at in exclusions.listed(store):
        _say(f"{github_id:<14} {added_at:%Y-%m-%d %H:%M}  {reason}")
    if args.github_ids:
        _say("applies from the next materialization: re-materialize the days it should change")


def cmd_report(args: argparse.Namespace) -> None:
    """Write report.json and report.html for a range (default: the last 7 complete UTC days)."""
    from pollen_pipeline import report
    from pollen_pipeline.settings import partition_start_date

    week = report.last_complete_week(dt.datetime.now(UTC).date())
    first = args.start or (args.end - report.WEEK + report.DAY if args.end else week.first)
    last = args.end or (args.start + report.WEEK - report.DAY if args.start else week.last)
    try:
        span = report.checked_span(first, last, partition_start_date())
    except report.ReportError as error:
        raise CommandError(str(error)) from error
    _write_report(span, args.out or report.default_out(span))


def _write_report(span: Span, out: Path) -> None:
    from pollen_pipeline import report
    from pollen_pipeline.headline import percent

    numbers = report.write_report(_store(), span, out)
    if numbers["empty"]:
        _say(report.page.empty_message(numbers))
    else:
        _say(
            f"report {span.first} .. {span.last}: {numbers['total_pollen']:,.2f} Pollen, paid "
            f"share {percent(numbers['paid_share'])}, free share {percent(numbers['free_share'])}"
        )
    _say(f"open {(out / 'report.html').resolve()}")


def cmd_sql(args: argparse.Namespace) -> None:
    """Print table ``args.table``'s SELECT for the UTC days --start .. --end as a run executes it
    (the raw table's fragments chosen, configuration read), its parameters inlined as literals so
    that it runs as printed; with --preview N, also run it and print its first N rows."""
    from pollen_pipeline.catalog import summary_tables
    from pollen_pipeline.components.summary_table import plan_of
    from pollen_pipeline.store import Window
    from pollen_pipeline.table_sql import TemplateError, bound_params, inline_params

    tables = summary_tables()
    if args.table not in tables:
        raise CommandError(f"no summary table {args.table!r}; the tables: {', '.join(tables)}")
    first = args.start or dt.datetime.now(UTC).date() - dt.timedelta(days=1)
    last = args.end or first
    if last < first:
        raise CommandError(f"--end {last} is before --start {first}")
    resource = ClickHouseResource()
    store, source = resource.store(), resource.source()
    raw = source or store
    plan = plan_of(args.table)
    # a monthly table's run rewrites the months its days touch
    window = plan.table.written_window(
        Window(_midnight(first), _midnight(last + dt.timedelta(days=1)))
    )
    first, last = window.start.date(), window.end.date() - dt.timedelta(days=1)
    long_run = plan.is_long(window)
    settings = resource.settings()
    sides = {name: settings.side_table(name) for name in plan.side_sources}
    try:
        events = plan.scanned(settings.event_tables, raw)
        select = plan.render(store, raw, events, long_run=long_run, sides=sides)
    except TemplateError as error:
        raise CommandError(str(error)) from error
    params = store.bind({**window.params(), **select.params})
    used = sorted(bound_params(select.sql))
    how = ", as a long run" if long_run else ""
    _say(f"-- {args.table}: {plan.sql.path('select.sql')}, UTC days {first} .. {last}{how}")
    _say(f"-- bound parameters, inlined below: {', '.join(used) or 'none'}")
    _say(inline_params(select.sql.strip(), params))
    if args.preview:
        runs_on = source if plan.reads_source and source else store
        rows = runs_on.frame(f"SELECT * FROM ({select.sql}\n) LIMIT {args.preview}", params)
        _say(f"-- the first {len(rows)} rows:")
        _say(rows.to_markdown(index=False))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), UTC)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pollen", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init", help="create the database and missing tables").set_defaults(
        run=cmd_init
    )
    generate = commands.add_parser("generate", help="insert synthetic raw events")
    generate.add_argument("--start", type=_date, required=True)
    generate.add_argument("--days", type=int, default=1)
    generate.add_argument("--events-per-day", type=int, default=10_000)
    generate.add_argument("--seed", type=int, default=1)
    generate.add_argument(
        "--v2-from",
        type=_date,
        help="first UTC day of generation_event_v2 (default: 14 days before the range's end, or "
        "its middle day in a shorter range)",
    )
    generate.set_defaults(run=cmd_generate)
    materialize = commands.add_parser("materialize", help="materialize a range of UTC days")
    materialize.add_argument("--start", type=_date, required=True)
    materialize.add_argument("--end", type=_date, required=True)
    materialize.add_argument(
        "--select",
        nargs="+",
        metavar="SELECTION",
        help="tables: names or Dagster asset selections, e.g. user_daily 'group:economics' "
        "'key:user_daily+' (default: every summary table)",
    )
    materialize.set_defaults(run=cmd_materialize)
    load = commands.add_parser(
        "load", help="load files into a raw table (NDJSON, CSV, Parquet; .gz)"
    )
    load.add_argument("paths", nargs="+", metavar="PATH")
    load.add_argument(
        "--table",
        default="generation_event",
        metavar="TABLE",
        help="the raw table: generation_event (default) or a side source, e.g. d1_user",
    )
    load.add_argument("--format", choices=("ndjson", "csv", "parquet"), help="default: by name")
    load.set_defaults(run=cmd_load)
    exclude = commands.add_parser(
        "exclude", help="keep users out of every usage and economics number (no ids: list them)"
    )
    exclude.add_argument("github_ids", nargs="*", metavar="GITHUB_ID")
    exclude.add_argument("--reason", default="", help="why (e.g. 'banned in D1')")
    exclude.add_argument("--remove", action="store_true", help="take the ids off the list")
    exclude.set_defaults(run=cmd_exclude)
    report = commands.add_parser(
        "report", help="the weekly report: report.json and an offline report.html with charts"
    )
    report.add_argument("--start", type=_date, help="first UTC day (default: 7 days before end)")
    report.add_argument("--end", type=_date, help="last UTC day (default: yesterday)")
    report.add_argument("--out", type=Path, help="folder (default: POLLEN_REPORT_DIR/START_END)")
    report.set_defaults(run=cmd_report)
    sql = commands.add_parser(
        "sql", help="print a table's SELECT as a run executes it (and --preview its rows)"
    )
    sql.add_argument("table", metavar="TABLE")
    sql.add_argument("--start", type=_date, help="first UTC day (default: yesterday)")
    sql.add_argument("--end", type=_date, help="last UTC day (default: --start)")
    sql.add_argument("--preview", type=_positive, metavar="N", help="run it: the first N rows")
    sql.set_defaults(run=cmd_sql)
    demo = commands.add_parser(
        "demo", help="init, synthetic events, materialize, headline numbers, report"
    )
    demo.add_argument("--days", type=int, default=60)
    demo.add_argument("--events-per-day", type=int, default=20_000)
    demo.add_argument("--seed", type=int, default=1)
    demo.set_defaults(run=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # The driver logs connection failures itself; the CLI reports them once, in one line.
    logging.getLogger("clickhouse_connect").setLevel(logging.CRITICAL)
    args = build_parser().parse_args(argv)
    try:
        code = args.run(args)  # None, or the exit code of a command that can partly fail
    except (StoreError, SettingsError, CommandError) as error:
        print(f"pollen: error: {error}", file=sys.stderr)
        return 1
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
