"""The "Pollen Data Quality" dashboard: asset checks, contract filters and freshness.

Sources: ``pipeline_check_results`` (every asset-check evaluation, written by the runs),
``data_quality_daily`` (what each contract filter removed) and the summary tables' own time
columns for freshness. Raw events are never read: their freshness is the newest production
event that the raw-freshness check (every 30 minutes) recorded in its metadata.

Its panels set their own field config: check results and filter counts follow none of the
economics dashboards' field-name conventions.
"""

from __future__ import annotations

from pollen_pipeline.dashboards.grafana import (
    DAYS,
    TABLE_ROWS,
    JsonDict,
    any_of,
    datasource_variable,
    envelope,
    override,
    plain_panel,
    query_variable,
    textbox,
)
from pollen_pipeline.defs.core.data_quality_daily.checks import OTHER_METER_LIMIT
from pollen_pipeline.defs.raw.generation_event.checks import new_production_events

RAW_FRESHNESS_CHECK = new_production_events.__name__
# Core tables with their time column and period length (issue 2's public tables).
FRESH_TABLES = (
    ("usage_hourly", "hour", "HOUR"),
    ("user_daily", "day", "DAY"),
    ("app_daily", "day", "DAY"),
    ("model_daily", "day", "DAY"),
    ("data_quality_daily", "day", "DAY"),
)
LATEST_FAILURES_ROWS = 100

# --- SQL ----------------------------------------------------------------------------------

# Evaluations in the time range, of the assets selected in $asset.
IN_RANGE = f"$__timeFilter(evaluated_at) AND {any_of('asset', 'asset')}"

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
LIMIT {TABLE_ROWS}"""

LATEST_FAILURES = f"""
SELECT evaluated_at, asset, check_name, partition, severity, description, metadata, run_id
FROM pipeline_check_results
WHERE NOT passed AND {IN_RANGE}
ORDER BY evaluated_at DESC
LIMIT {LATEST_FAILURES_ROWS}"""

DAILY = f"FROM data_quality_daily WHERE {DAYS} ORDER BY time"


def _per_day(*columns: str) -> str:
    """Columns of data_quality_daily per day of the range, as a time series."""
    listed = ",\n    ".join(columns)
    return f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    {listed}
{DAILY}"""


REMOVED_EVENTS = _per_day(
    "non_2xx_events",
    "zero_price_events",
    "bug_window_events",
    "router_events",
    "other_meter_events",
    "unnamed_app_events",
)
REMOVED_POLLEN = _per_day(
    "non_2xx_pollen",
    "bug_window_pollen",
    "router_pollen",
    "other_meter_pollen",
    "unnamed_app_pollen",
)
OTHER_METER_SHARE = _per_day(
    "other_meter_pollen / nullIf(economics_pollen, 0) AS other_meter_share",
    f"{OTHER_METER_LIMIT} AS check_limit_share",
)
ROUTER_SHARE = _per_day("router_pollen / nullIf(passed_pollen, 0) AS router_share")


def _newest(table: str, column: str, unit: str) -> str:
    return (
        f"SELECT '{table}' AS table_name, toDateTime(max({column}), 'UTC') + INTERVAL 1 {unit} "
        f"AS covered_until FROM {table}"
    )


# The newest period each table holds, and how long ago it closed. Raw events: the newest
# production event the raw-freshness check saw (its metadata key ``latest_start_time``, written
# by ``judge`` in defs/raw/generation_event/checks.py), without touching raw events.
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

# --- Panels -------------------------------------------------------------------------------


def _run_link() -> JsonDict:
    """The run_id column links to the run in the Dagster UI ($dagster_url)."""
    link = {"title": "Open the run in Dagster", "url": "${dagster_url}/runs/${__value.raw}"}
    return {"defaults": {}, "overrides": [override("byName", "run_id", ("links", [link]))]}


def _table(
    title: str, sql: str, description: str, size: tuple[int, int], *, run_links: bool = False
) -> JsonDict:
    """A table with a header row; with ``run_links`` its run_id column opens the run."""
    field_config = _run_link() if run_links else None
    options = {"showHeader": True}
    return plain_panel(
        "table", title, sql, description, size, options=options, field_config=field_config
    )


def _series(
    title: str, sql: str, description: str, size: tuple[int, int] = (12, 8), *, shares: bool = False
) -> JsonDict:
    """A time series; ``shares`` (0..1) are shown as percentages."""
    share_config = {"defaults": {"unit": "percentunit", "min": 0}, "overrides": []}
    field_config = share_config if shares else None
    return plain_panel("timeseries", title, sql, description, size, field_config=field_config)


def _check_panels() -> list[JsonDict]:
    """What the checks say: failing now, results over time, what still fails and why."""
    return [
        plain_panel(
            "stat",
            "Checks failing now",
            FAILING_NOW,
            "Asset checks (per asset, check and partition) whose latest evaluation in the range "
            "failed, out of all evaluated.",
            (6, 5),
            options={"reduceOptions": {"calcs": ["lastNotNull"], "values": False}},
        ),
        _series(
            "Check results over time",
            RESULTS_OVER_TIME,
            "Evaluations per interval: passed, failed at WARN, failed at ERROR.",
            (18, 8),
        ),
        _table(
            "Checks still failing",
            STILL_FAILING,
            "Checks whose latest evaluation failed; the alert sensor posted each failure.",
            (24, 8),
            run_links=True,
        ),
        _table(
            "Latest failures",
            LATEST_FAILURES,
            f"The last {LATEST_FAILURES_ROWS} failed evaluations, with their metadata (e.g. the "
            "reconciliation difference, the other-meter share by day).",
            (24, 9),
            run_links=True,
        ),
    ]


def _filter_panels() -> list[JsonDict]:
    """What the contract's filters removed or set aside, per day."""
    return [
        _series(
            "Events removed by each contract filter",
            REMOVED_EVENTS,
            "data_quality_daily: non-2xx, zero price and the meter bug window are removed; "
            "ROUTER, other meters and unnamed apps are counted among the events that passed.",
        ),
        _series(
            "Pollen removed or set aside by each filter",
            REMOVED_POLLEN,
            "The Pollen behind the same filters.",
        ),
        _series(
            "Other-meter share of billable Pollen",
            OTHER_METER_SHARE,
            "Pollen on meters that are neither pack nor tier, as a share of the day's economics "
            f"Pollen. Above the {OTHER_METER_LIMIT:.0%} line the meter check fails (the "
            "signature of a meter bug).",
            shares=True,
        ),
        _series(
            "ROUTER share of consumption",
            ROUTER_SHARE,
            "ROUTER's share of the Pollen that passed the contract (about 16% in January 2026).",
            shares=True,
        ),
    ]


def _freshness_panels() -> list[JsonDict]:
    """How current every table is, and when each asset was last checked."""
    return [
        _table(
            "Freshness of every table",
            FRESHNESS,
            "The newest period each table covers and how many minutes ago it closed; raw events "
            "from the raw-freshness check (fails after 2 hours without a production event).",
            (12, 9),
        ),
        _table(
            "Last check evaluation per asset",
            LAST_EVALUATED,
            "When each asset was last materialized and checked (every asset, from the check "
            "history), and the partition it covered.",
            (12, 9),
        ),
    ]


def _variables() -> list[JsonDict]:
    return [
        datasource_variable(),
        query_variable("asset", "Asset", ASSET_OPTIONS),
        # Hidden: set it in the dashboard settings when Dagster runs elsewhere.
        textbox("dagster_url", "Dagster UI", "http://localhost:3000", hidden=True),
    ]


def dashboard() -> JsonDict:
    """The "Pollen Data Quality" dashboard (``pollen-data-quality.json``)."""
    return envelope(
        "pollen-data-quality",
        "Pollen Data Quality",
        ["pollen", "data-quality", "checks"],
        _variables(),
        [*_check_panels(), *_filter_panels(), *_freshness_panels()],
        refresh="5m",  # check results and freshness change while someone watches
        refresh_intervals=("1m", "5m", "15m", "1h"),
    )
