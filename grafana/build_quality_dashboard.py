"""Builds the "Pollen Data Quality" dashboard, ``grafana/dashboards/pollen-data-quality.json``.

    .venv/bin/python grafana/build_quality_dashboard.py      # rewrite the JSON file

Code and JSON are both committed; ``pollen_pipeline_tests/test_quality_dashboard.py`` checks
that they agree and runs every query against a materialized store.

Sources: ``pipeline_check_results`` (every asset-check evaluation, written by the runs),
``data_quality_daily`` (what each contract filter removed) and the summary tables' own time
columns for freshness. Raw events are never read: their freshness is the newest production
event that the raw-freshness check (every 30 minutes) recorded in its metadata.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_dashboards import dashboard  # one envelope and grid layout for every dashboard

PATH = Path(__file__).resolve().parent / "dashboards" / "pollen-data-quality.json"
PLUGIN = "grafana-clickhouse-datasource"
DATASOURCE = {"type": PLUGIN, "uid": "${datasource}"}
OTHER_METER_LIMIT = 0.01  # checks.core.OTHER_METER_LIMIT: the meter check's threshold
RAW_FRESHNESS_CHECK = "new_production_events"  # freshness.RAW_FRESHNESS_CHECK
# Core tables with their time column and period length (issue 2's public tables).
FRESH_TABLES = (
    ("usage_hourly", "hour", "HOUR"),
    ("user_daily", "day", "DAY"),
    ("app_daily", "day", "DAY"),
    ("model_daily", "day", "DAY"),
    ("data_quality_daily", "day", "DAY"),
)

# --- SQL --------------------------------------------------------------------------------------

ASSETS = "$__conditionalAll(asset IN (${asset:singlequote}), $asset)"
IN_RANGE = f"$__timeFilter(evaluated_at) AND {ASSETS}"

ASSET_OPTIONS = """SELECT DISTINCT asset FROM pipeline_check_results ORDER BY asset"""

FAILING_NOW = f"""
SELECT countIf(NOT latest_passed) AS failing_checks, count() AS evaluated_checks
FROM (
    SELECT asset, check_name, partition, argMax(passed, evaluated_at) AS latest_passed
    FROM pipeline_check_results
    WHERE {IN_RANGE}
    GROUP BY asset, check_name, partition
)"""

RESULTS_OVER_TIME = f"""
SELECT
    $__timeInterval(evaluated_at) AS time,
    countIf(passed = 1) AS passed_checks,
    countIf(passed = 0 AND severity = 'WARN') AS failed_warn,
    countIf(passed = 0 AND severity = 'ERROR') AS failed_error
FROM pipeline_check_results
WHERE {IN_RANGE}
GROUP BY time
ORDER BY time"""

STILL_FAILING = f"""
SELECT
    asset,
    check_name,
    partition,
    argMax(severity, evaluated_at) AS severity,
    max(evaluated_at) AS last_evaluated,
    argMax(description, evaluated_at) AS description,
    argMax(run_id, evaluated_at) AS run_id
FROM pipeline_check_results
WHERE {IN_RANGE}
GROUP BY asset, check_name, partition
HAVING argMax(passed, evaluated_at) = 0
ORDER BY last_evaluated DESC
LIMIT 200"""

LATEST_FAILURES = f"""
SELECT evaluated_at, asset, check_name, partition, severity, description, metadata, run_id
FROM pipeline_check_results
WHERE NOT passed AND {IN_RANGE}
ORDER BY evaluated_at DESC
LIMIT 100"""

DAILY = "FROM data_quality_daily WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') ORDER BY time"

REMOVED_EVENTS = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    non_2xx_events,
    zero_price_events,
    bug_window_events,
    router_events,
    other_meter_events,
    unnamed_app_events
{DAILY}"""

REMOVED_POLLEN = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    non_2xx_pollen,
    bug_window_pollen,
    router_pollen,
    other_meter_pollen,
    unnamed_app_pollen
{DAILY}"""

OTHER_METER_SHARE = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    other_meter_pollen / nullIf(economics_pollen, 0) AS other_meter_share,
    {OTHER_METER_LIMIT} AS check_limit_share
{DAILY}"""

ROUTER_SHARE = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    router_pollen / nullIf(passed_pollen, 0) AS router_share
{DAILY}"""


def _newest(table: str, column: str, unit: str) -> str:
    return (
        f"SELECT '{table}' AS table_name, toDateTime(max({column}), 'UTC') + INTERVAL 1 {unit} "
        f"AS covered_until FROM {table}"
    )


# The newest period each table holds, and how long ago it closed. Raw events: the newest
# production event the raw-freshness check saw (its metadata), without touching raw events.
FRESHNESS = f"""
SELECT table_name, covered_until, dateDiff('minute', covered_until, now()) AS minutes_behind
FROM (
    {" UNION ALL ".join(_newest(*table) for table in FRESH_TABLES)}
    UNION ALL
    SELECT
        'raw events (newest production event)' AS table_name,
        parseDateTimeBestEffortOrNull(
            argMax(JSONExtractString(metadata, 'latest_start_time'), evaluated_at), 'UTC'
        ) AS covered_until
    FROM pipeline_check_results
    WHERE check_name = '{RAW_FRESHNESS_CHECK}'
)
ORDER BY minutes_behind DESC"""

LAST_EVALUATED = """
SELECT
    asset,
    max(evaluated_at) AS last_checked,
    dateDiff('minute', max(evaluated_at), now()) AS minutes_ago,
    argMax(partition, evaluated_at) AS last_partition
FROM pipeline_check_results
GROUP BY asset
ORDER BY minutes_ago DESC"""

# --- Panels -----------------------------------------------------------------------------------


def _target(sql: str, time_series: bool) -> dict[str, Any]:
    return {
        "refId": "A",
        "datasource": DATASOURCE,
        "editorType": "sql",
        "queryType": "timeseries" if time_series else "table",
        "format": 0 if time_series else 1,  # sqlds: 0 time series, 1 table
        "rawSql": sql.strip(),
    }


def panel(kind: str, title: str, sql: str, description: str, size: tuple[int, int], **extra):
    return {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "gridPos": {"w": size[0], "h": size[1]},
        "targets": [_target(sql, kind == "timeseries")],
        "fieldConfig": extra.pop("field_config", {"defaults": {}, "overrides": []}),
        "options": extra.pop("options", {}),
        **extra,
    }


def _share_config() -> dict[str, Any]:
    return {"defaults": {"unit": "percentunit", "min": 0}, "overrides": []}


def _run_link() -> dict[str, Any]:
    """The run_id column links to the run in the Dagster UI ($dagster_url)."""
    link = {"title": "Open the run in Dagster", "url": "${dagster_url}/runs/${__value.raw}"}
    return {
        "defaults": {},
        "overrides": [
            {
                "matcher": {"id": "byName", "options": "run_id"},
                "properties": [{"id": "links", "value": [link]}],
            }
        ],
    }


def panels() -> list[dict[str, Any]]:
    table = {"showHeader": True}
    return [
        panel(
            "stat",
            "Checks failing now",
            FAILING_NOW,
            "Asset checks (per asset, check and partition) whose latest evaluation in the range "
            "failed, out of all evaluated.",
            (6, 5),
            options={"reduceOptions": {"calcs": ["lastNotNull"], "values": False}},
        ),
        panel(
            "timeseries",
            "Check results over time",
            RESULTS_OVER_TIME,
            "Evaluations per interval: passed, failed at WARN, failed at ERROR.",
            (18, 8),
        ),
        panel(
            "table",
            "Checks still failing",
            STILL_FAILING,
            "Checks whose latest evaluation failed; the alert sensor posted each failure.",
            (24, 8),
            options=table,
            field_config=_run_link(),
        ),
        panel(
            "table",
            "Latest failures",
            LATEST_FAILURES,
            "The last 100 failed evaluations, with their metadata (e.g. the reconciliation "
            "difference, the other-meter share by day).",
            (24, 9),
            options=table,
            field_config=_run_link(),
        ),
        panel(
            "timeseries",
            "Events removed by each contract filter",
            REMOVED_EVENTS,
            "data_quality_daily: non-2xx, zero price and the meter bug window are removed; "
            "ROUTER, other meters and unnamed apps are counted among the events that passed.",
            (12, 8),
        ),
        panel(
            "timeseries",
            "Pollen removed or set aside by each filter",
            REMOVED_POLLEN,
            "The Pollen behind the same filters.",
            (12, 8),
        ),
        panel(
            "timeseries",
            "Other-meter share of billable Pollen",
            OTHER_METER_SHARE,
            "Pollen on meters that are neither pack nor tier, as a share of the day's economics "
            "Pollen. Above the 1% line the meter check fails (the signature of a meter bug).",
            (12, 8),
            field_config=_share_config(),
        ),
        panel(
            "timeseries",
            "ROUTER share of consumption",
            ROUTER_SHARE,
            "ROUTER's share of the Pollen that passed the contract (about 16% in January 2026).",
            (12, 8),
            field_config=_share_config(),
        ),
        panel(
            "table",
            "Freshness of every table",
            FRESHNESS,
            "The newest period each table covers and how many minutes ago it closed; raw events "
            "from the raw-freshness check (fails after 2 hours without a production event).",
            (12, 9),
            options=table,
        ),
        panel(
            "table",
            "Last check evaluation per asset",
            LAST_EVALUATED,
            "When each asset was last materialized and checked (every asset, from the check "
            "history), and the partition it covered.",
            (12, 9),
            options=table,
        ),
    ]


def variables() -> list[dict[str, Any]]:
    return [
        {
            "name": "datasource",
            "label": "Data source",
            "type": "datasource",
            "query": PLUGIN,
        },
        {
            "name": "asset",
            "label": "Asset",
            "type": "query",
            "datasource": DATASOURCE,
            "query": ASSET_OPTIONS,
            "definition": ASSET_OPTIONS,
            "refresh": 2,
            "multi": True,
            "includeAll": True,
            "current": {"text": "All", "value": "$__all"},
            "sort": 0,
        },
        {
            "name": "dagster_url",
            "label": "Dagster UI",
            "type": "textbox",
            "query": "http://localhost:3000",
            "current": {"text": "http://localhost:3000", "value": "http://localhost:3000"},
            "hide": 2,  # set it in the dashboard settings when Dagster runs elsewhere
        },
    ]


def build() -> dict[str, Any]:
    return dashboard(
        "pollen-data-quality",
        "Pollen Data Quality",
        ["pollen", "data-quality", "checks"],
        variables(),
        panels(),
        refresh="5m",  # check results and freshness change while someone watches
        refresh_intervals=("1m", "5m", "15m", "1h"),
    )


def render() -> str:
    return json.dumps(build(), indent=2) + "\n"


def main() -> int:
    PATH.write_text(render())
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
