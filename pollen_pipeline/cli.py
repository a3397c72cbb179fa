"""``pollen``: set up the store, make synthetic events, materialize ranges, run the demo.

Every error ends the command with one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
import warnings
from collections.abc import Sequence

from pollen_pipeline.clickhouse import ClickHouseResource, Store, StoreError
from pollen_pipeline.settings import SettingsError

UTC = dt.UTC
# backfill_policy and partitioned checks are beta/preview APIs we use on purpose; their
# warnings say nothing a user of the CLI can act on.
warnings.filterwarnings("ignore", message=r".* is currently in (beta|preview)")
# The CLI prints its own progress; Dagster's step-by-step log stays in the run's event log.
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


class CommandError(RuntimeError):
    """A command failed for a reason the user can act on."""


def _store() -> Store:
    return ClickHouseResource().store()


def _say(message: str) -> None:
    print(message, flush=True)


def cmd_init(_: argparse.Namespace) -> None:
    from pollen_pipeline.tables import init_store

    store = _store()
    created = init_store(store)
    _say(f"database {store.database}: created {', '.join(created) or 'nothing (all tables exist)'}")


def cmd_generate(args: argparse.Namespace) -> None:
    from pollen_pipeline.synthetic import generate_events
    from pollen_pipeline.tables import init_store

    store = _store()
    init_store(store)
    total = generate_events(
        store.client,
        store.database,
        args.start,
        args.days,
        args.events_per_day,
        args.seed,
        progress=lambda done, days: _say(f"  generated day {done}/{days}"),
    )
    _say(f"generated {total:,} events from {args.start} over {args.days} days")


def materialize_range(first: dt.date, last: dt.date, select: Sequence[str] | None = None) -> None:
    """Materialize every core asset (or ``select``) for the UTC days ``first`` .. ``last``.

    Runs go through Dagster (two runs: the hourly scan, then the daily rollups), recorded in the
    instance of ``DAGSTER_HOME`` when set, so they show in the UI.
    """
    from dagster import AssetKey, DagsterInstance

    from pollen_pipeline.definitions import defs
    from pollen_pipeline.jobs import day_range_tags, hour_range_tags

    if last < first:
        raise CommandError(f"--end {last} is before --start {first}")
    instance = DagsterInstance.get() if _dagster_home_set() else DagsterInstance.ephemeral()
    first_hour = dt.datetime.combine(first, dt.time(), UTC)
    last_hour = dt.datetime.combine(last, dt.time(23), UTC)
    runs = [
        ("core_hourly", hour_range_tags(first_hour, last_hour)),
        ("core_daily", day_range_tags(first, last)),
    ]
    for number, (job_name, tags) in enumerate(runs, start=1):
        job = defs.resolve_job_def(job_name)
        keys = [key for key in job.asset_layer.selected_asset_keys]
        if select:
            keys = [key for key in keys if key.to_user_string() in select]
        if not keys:
            continue
        started = time.monotonic()
        _say(f"[{number}/{len(runs)}] {job_name} {first} .. {last}: {len(keys)} assets ...")
        result = job.execute_in_process(
            run_config=QUIET_LOGS,
            instance=instance,
            tags=tags,
            asset_selection=[AssetKey(key.path) for key in keys],
            raise_on_error=False,
        )
        if not result.success:
            raise CommandError(f"{job_name} failed: {_first_failure(result)}")
        _say(f"[{number}/{len(runs)}] {job_name} done in {time.monotonic() - started:.1f}s")


def _dagster_home_set() -> bool:
    import os

    return bool(os.environ.get("DAGSTER_HOME"))


def _first_failure(result) -> str:
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            return f"step {event.step_key}: {' '.join(error.message.split())[:400]}"
    return f"run {result.run_id} did not succeed"


def cmd_materialize(args: argparse.Namespace) -> None:
    from pollen_pipeline.tables import init_store

    init_store(_store())
    materialize_range(args.start, args.end, args.select)


def cmd_demo(args: argparse.Namespace) -> None:
    from pollen_pipeline.headline import headline_numbers

    yesterday = dt.datetime.now(UTC).date() - dt.timedelta(days=1)
    first = yesterday - dt.timedelta(days=args.days - 1)
    cmd_init(args)
    generate = argparse.Namespace(
        start=first, days=args.days, events_per_day=args.events_per_day, seed=args.seed
    )
    cmd_generate(generate)
    materialize_range(first, yesterday)
    _say(headline_numbers(_store(), first, yesterday))


def cmd_load(args: argparse.Namespace) -> int:
    """Exit 1 when any line was rejected (the rejects are kept and their place is printed)."""
    from pathlib import Path

    from pollen_pipeline.loader import LoadError, load_files
    from pollen_pipeline.settings import partition_start_date
    from pollen_pipeline.tables import init_store

    store = _store()
    init_store(store)
    try:
        paths = [Path(path) for path in args.paths]
        results = load_files(store, paths, partition_start_date(), args.format, _say)
    except LoadError as error:
        raise CommandError(str(error)) from error
    return 1 if any(result.rejected for result in results) else 0


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
    generate.set_defaults(run=cmd_generate)
    materialize = commands.add_parser("materialize", help="materialize a range of UTC days")
    materialize.add_argument("--start", type=_date, required=True)
    materialize.add_argument("--end", type=_date, required=True)
    materialize.add_argument("--select", nargs="+", help="asset names (default: all)")
    materialize.set_defaults(run=cmd_materialize)
    load = commands.add_parser("load", help="load event files (NDJSON, CSV, Parquet; .gz)")
    load.add_argument("paths", nargs="+", metavar="PATH")
    load.add_argument("--format", choices=("ndjson", "csv", "parquet"), help="default: by name")
    load.set_defaults(run=cmd_load)
    demo = commands.add_parser("demo", help="init, synthetic events, materialize, headline numbers")
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
