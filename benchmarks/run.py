"""`make bench`: the pipeline's cost against the one-scan floor, backfill time, and linearity.

Every measured step is a whole process (wall time and peak RSS from the kernel's rusage), on
the embedded store, with events generated inside ClickHouse beforehand and their parts merged
(benchmarks/settle.py; neither is measured).
Prints a table and writes benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DAY = dt.date(2026, 3, 1)
# Disk a million synthetic events take in the store with their summaries (measured: 18 GB for
# the 90-day backfill, 0.2 GB a million, plus a margin), to refuse a run that would fill the disk.
GB_PER_MILLION_EVENTS = 0.25


@dataclass
class Measurement:
    name: str
    seconds: float
    peak_mb: float
    events: int


def run_measured(name: str, command: list[str], env: dict[str, str], events: int) -> Measurement:
    """Run ``command`` as its own process; fail loudly if it fails."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark step {name!r} failed: {' '.join(command)}")
    return Measurement(name, round(seconds, 2), round(usage.ru_maxrss / 1024, 1), events)


def fresh_env(workdir: Path, label: str) -> dict[str, str]:
    """Environment for a new, empty store and Dagster instance under ``workdir/label``."""
    home = workdir / label
    shutil.rmtree(home, ignore_errors=True)
    (home / "dagster_home").mkdir(parents=True)
    shutil.copy(ROOT / "dagster.yaml", home / "dagster_home" / "dagster.yaml")
    return {
        **os.environ,
        "POLLEN_CLICKHOUSE_URL": f"chdb://{home / 'store'}",
        "DAGSTER_HOME": str(home / "dagster_home"),
    }


def pollen(*args: str) -> list[str]:
    return [str(BIN / "pollen"), *args]


def materialize(first: dt.date, last: dt.date, select: list[str]) -> list[str]:
    """`pollen materialize` of the range, of the selected tables (every table if none)."""
    command = pollen("materialize", "--start", str(first), "--end", str(last))
    return [*command, "--select", *select] if select else command


def generate(env: dict[str, str], start: dt.date, days: int, per_day: int) -> None:
    command = pollen(
        "generate", "--start", str(start), "--days", str(days), "--events-per-day", str(per_day)
    )
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    settle = [sys.executable, str(ROOT / "benchmarks" / "settle.py")]
    subprocess.run(settle, env=env, cwd=ROOT, check=True)


def one_day(workdir: Path, events: int, select: list[str]) -> list[Measurement]:
    """Floor vs `pollen materialize` for one day of ``events`` events."""
    env = fresh_env(workdir, f"day_{events}")
    generate(env, DAY, 1, events)
    floor = [sys.executable, str(ROOT / "benchmarks" / "floor.py"), "--day", str(DAY)]
    return [
        run_measured(f"floor {events:,}", floor, env, events),
        run_measured(f"materialize {events:,}", materialize(DAY, DAY, select), env, events),
    ]


def fixed_cost(workdir: Path, select: list[str]) -> Measurement:
    """The pipeline's fixed cost: `pollen materialize` of a day without events (process start,
    imports, one Dagster run of every table with its checks and bookkeeping)."""
    env = fresh_env(workdir, "empty_day")
    subprocess.run(pollen("init"), env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return run_measured("fixed cost (empty day)", materialize(DAY, DAY, select), env, 0)


def backfill(workdir: Path, days: int, per_day: int) -> tuple[dict[str, str], Measurement]:
    """A range of ``days`` days backfilled by one `pollen materialize` (single-run) of every
    table: the panels timed on its store read them all."""
    env = fresh_env(workdir, "backfill")
    first = DAY - dt.timedelta(days=days - 1)
    generate(env, first, days, per_day)
    command = materialize(first, DAY, [])
    return env, run_measured(f"backfill {days}d x {per_day:,}", command, env, days * per_day)


def ratios(results: list[Measurement]) -> list[dict]:
    """materialize / floor for each one-day size."""
    by_name = {m.name: m for m in results}
    rows = []
    for m in results:
        if m.name.startswith("materialize "):
            floor = by_name[m.name.replace("materialize", "floor")]
            rows.append(
                {
                    "events": m.events,
                    "time_ratio": round(m.seconds / floor.seconds, 2),
                    "memory_over_floor_mb": round(m.peak_mb - floor.peak_mb, 1),
                    "materialize_events_per_second": round(m.events / m.seconds),
                }
            )
    return rows


def print_table(results: list[Measurement], summary: list[dict]) -> None:
    print(f"{'step':<32} {'seconds':>9} {'peak MB':>9} {'events/s':>12}")
    for m in results:
        rate = f"{m.events / m.seconds:>12,.0f}" if m.events else f"{'-':>12}"
        print(f"{m.name:<32} {m.seconds:>9.2f} {m.peak_mb:>9.1f} {rate}")
    for row in summary:
        print(
            f"one day of {row['events']:,}: materialize/floor = {row['time_ratio']}x, "
            f"memory over floor {row['memory_over_floor_mb']} MB"
        )


def free_gb(path: Path) -> float:
    path.mkdir(parents=True, exist_ok=True)
    return shutil.disk_usage(path).free / 1e9


def check_disk(workdir: Path, events: int) -> None:
    """Refuse early, with the figure, rather than fill the disk half-way through a backfill."""
    needed = events / 1e6 * GB_PER_MILLION_EVENTS
    if free_gb(workdir) < needed:
        raise SystemExit(
            f"benchmark needs about {needed:.0f} GB free under {workdir} for {events:,} events, "
            f"has {free_gb(workdir):.0f} GB: use --backfill-days or another --workdir"
        )


def panels(env: dict[str, str], output: Path, repeats: int) -> dict:
    """Time every dashboard panel on the backfilled store (benchmarks/panels.py)."""
    command = [sys.executable, str(ROOT / "benchmarks" / "panels.py"), "--day", str(DAY)]
    command += ["--output", str(output), "--repeats", str(repeats)]
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return json.loads(output.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000, 5_000_000, 10_000_000])
    parser.add_argument("--backfill-days", type=int, default=90)
    parser.add_argument("--backfill-per-day", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=ROOT / ".pollen" / "bench")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks/results/latest.json")
    parser.add_argument(
        "--select",
        nargs="+",
        default=[],
        metavar="SELECTION",
        help="the fixed cost and the one-day runs of these tables only (as `pollen materialize "
        "--select`; default: all); the backfill is of every table, for the panels",
    )
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.backfill_days, args.backfill_per_day = [20_000], 3, 5_000
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "selection": args.select or "every summary table",
        "steps": [],
    }
    results: list[Measurement] = []

    def record(measurements: list[Measurement]) -> None:
        results.extend(measurements)
        report["steps"] = [asdict(m) for m in results]
        report["one_day"] = ratios(results)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2) + "\n")
        for m in measurements:
            print(f"{m.name:<32} {m.seconds:>9.2f}s {m.peak_mb:>9.1f} MB", flush=True)

    record([fixed_cost(args.workdir, args.select)])
    shutil.rmtree(args.workdir / "empty_day", ignore_errors=True)
    for size in args.sizes:
        check_disk(args.workdir, size)
        record(one_day(args.workdir, size, args.select))
        shutil.rmtree(args.workdir / f"day_{size}", ignore_errors=True)
    check_disk(args.workdir, args.backfill_days * args.backfill_per_day)
    env, measurement = backfill(args.workdir, args.backfill_days, args.backfill_per_day)
    record([measurement])
    repeats = 1 if args.quick else 15
    report["panels"] = panels(env, args.workdir / "panels.json", repeats)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print_table(results, report["one_day"])
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
