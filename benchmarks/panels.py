"""Panel latency: every Grafana panel query on the summary tables, against the same question
asked of raw events.

Runs in one process against a materialized store (``POLLEN_CLICKHOUSE_URL``): each panel of
every dashboard in ``grafana/dashboards/`` is expanded as Grafana would for the 30-day (and
90-day) range ending on ``--day``, then timed; the headline questions are also asked of raw
events with the contract's own raw filter, which is what dashboards would cost without the
pipeline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

from pollen_pipeline import contract
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.store import Store
from pollen_pipeline_tests.grafana_panels import panel_queries, resolve_variables
from pollen_pipeline_tests.grafana_sql import TimeRange, expand

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 15

# Headline panels and the same question of raw events (production, 2xx, billable, out of the
# bug window, ROUTER out), for the speed-up the pre-aggregation promises.
RAW_QUESTIONS = {
    "1. Paid vs free consumption over time": """
        SELECT toStartOfDay(start_time, 'UTC') AS time,
            sumIf(total_price, selected_meter_slug IN {paid_meter_slugs:Array(String)}) AS paid,
            sumIf(total_price, selected_meter_slug IN {free_meter_slugs:Array(String)}) AS free
        FROM $raw WHERE $window AND $economics GROUP BY time ORDER BY time""",
    "4. Model economics leaderboard": """
        SELECT resolved_model_requested, sum(total_price) AS total, count() AS requests,
            sumIf(total_price, selected_meter_slug IN {paid_meter_slugs:Array(String)}) AS paid
        FROM $raw WHERE $window AND $economics
        GROUP BY resolved_model_requested HAVING requests >= 1000 ORDER BY paid / total DESC""",
    "7. Developer economics scatter": """
        SELECT user_github_username,
            sumIf(total_price, selected_meter_slug IN {free_meter_slugs:Array(String)}) AS tier,
            sumIf(total_price, selected_meter_slug IN {paid_meter_slugs:Array(String)}) AS pack
        FROM $raw WHERE $window AND $economics
        GROUP BY user_github_username HAVING tier + pack >= 10""",
    "8. App economy leaderboard": """
        SELECT api_key_id, any(api_key_name), sum(total_price) AS total, count()
        FROM $raw WHERE $window AND $economics AND api_key_name NOT IN ('undefined', '')
        GROUP BY api_key_id HAVING total >= 100 ORDER BY total DESC""",
}


def timed(store: Store, sql: str, params: dict | None = None, repeats: int = REPEATS) -> dict:
    """p50 and p95 wall milliseconds of ``repeats`` runs (after one warm-up)."""
    store.rows(sql, params)
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        store.rows(sql, params)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(p95, 2)}


def time_range(day: dt.date, days: int) -> TimeRange:
    start = dt.datetime.combine(day - dt.timedelta(days=days - 1), dt.time(), dt.UTC)
    end = dt.datetime.combine(day, dt.time(23, 59, 59), dt.UTC)
    return TimeRange(start, end, interval_seconds=86400)


def panel_timings(store: Store, day: dt.date, days: int, repeats: int) -> list[dict]:
    """Every panel's query, and every query variable's (run once per time range, before the
    panels: the hidden ``$holds_*`` ones decide which table a ranked panel reads)."""
    rows = []
    for path in sorted((ROOT / "grafana" / "dashboards").glob("*.json")):
        dashboard = json.loads(path.read_text())
        span = time_range(day, days)
        variables = resolve_variables(store, dashboard, span, {})
        for variable in dashboard["templating"]["list"]:
            if variable["type"] == "query":
                timing = timed(store, expand(variable["query"], variables, span), repeats=repeats)
                name = f"${variable['name']}"
                rows.append({"dashboard": path.stem, "variable": name, "days": days, **timing})
        for panel, sql in panel_queries(dashboard):
            timing = timed(store, expand(sql, variables, span), repeats=repeats)
            rows.append({"dashboard": path.stem, "panel": panel["title"], "days": days, **timing})
    return rows


def raw_timings(store: Store, day: dt.date, days: int) -> dict[str, dict]:
    span = time_range(day, days)
    window = "start_time >= {start:DateTime('UTC')} AND start_time <= {end:DateTime('UTC')}"
    results = {}
    for title, question in RAW_QUESTIONS.items():
        sql = (
            question.replace("$raw", store.table("generation_event"))
            .replace("$window", window)
            .replace("$economics", contract.RAW_ECONOMICS_EVENTS)
        )
        results[title] = timed(store, sql, {"start": span.start, "end": span.end}, repeats=3)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs per panel")
    args = parser.parse_args()
    store = ClickHouseResource().store()
    store.command(f"USE {store.database}")  # dashboards name tables unqualified, as in Grafana
    timings = [
        *panel_timings(store, args.day, 30, args.repeats),
        *panel_timings(store, args.day, 90, args.repeats),
    ]
    panels = [row for row in timings if "panel" in row]
    variables = [row for row in timings if "variable" in row]
    raw = raw_timings(store, args.day, 30)
    speedups = {
        title: {
            "raw_p50_ms": raw[title]["p50_ms"],
            "panel_p50_ms": row["p50_ms"],
            "speedup": round(raw[title]["p50_ms"] / max(row["p50_ms"], 0.01), 1),
        }
        for row in panels
        if row["days"] == 30 and row["panel"] in raw
        for title in [row["panel"]]
    }
    report = {"panels": panels, "variables": variables, "raw_vs_panel_30d": speedups}
    args.output.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
