"""The "Pollen Platform Health" dashboard (issue 7): panels of seeds 002, 003 and 004.

Built through ``build_dashboards.py`` (its ``DASHBOARDS`` calls :func:`health_dashboard`) with
its panel helpers, so the JSON follows the same conventions and the same tests.

Health panels read ``health_hourly``: every production request of any status, by hour,
provider and model. Latency quantiles over any set of rows are read from the merged bucket
histogram, ``sumMap(latency_histogram)`` (``pollen_pipeline.health.quantile_sql``, within about
2% of the exact value). User and tier panels read ``user_daily`` and the usage tables (billable
requests, ROUTER out). Time series bucket the hourly rows by Grafana's interval, at least an
hour. SLO targets are textbox variables whose defaults are ``POLLEN_SLO_*`` when the builder
runs (else seed 003's examples: 99.9% availability, 500 ms p95, 1% errors).
"""

from __future__ import annotations

import os
from typing import Any

import build_dashboards as ui

from pollen_pipeline import health

PROVIDER = ui.any_of("model_provider_used", "provider")
HEALTH_ROWS = f"health_hourly WHERE $__timeFilter(hour) AND {ui.MODEL} AND {PROVIDER}"
BUCKET_SECONDS = "greatest($__interval_s, 3600)"  # the table's rows are hours
BUCKET = f"toStartOfInterval(hour, INTERVAL {BUCKET_SECONDS} second)"
SLO = {name: f"toFloat64OrNull(${{{name}:sqlstring}})" for name, _ in health.SLO_TARGETS.values()}
SLO_AVAILABILITY, SLO_P95, SLO_ERRORS = SLO.values()

# Aggregates over health_hourly rows; aliases differ from column names (ILLEGAL_AGGREGATION).
REQUESTS = "sum(requests) AS request_count"
RATES = """sum(status_2xx) / nullIf(sum(requests), 0) AS success_share,
    (sum(requests) - sum(status_2xx)) / nullIf(sum(requests), 0) AS error_share,
    sum(status_5xx) / nullIf(sum(requests), 0) AS server_error_share,
    sum(status_429) / nullIf(sum(requests), 0) AS rate_limited_share"""
AVAILABILITY = "1 - sum(status_5xx) / nullIf(sum(requests), 0)"


def quantiles(histogram: str = "hist", names: tuple[str, ...] = tuple(health.QUANTILES)) -> str:
    """Latency quantile columns (``p50_ms`` ...) of a merged histogram column."""
    return ",\n    ".join(
        f"{health.quantile_sql(histogram, health.QUANTILES[name])} AS {name}_ms" for name in names
    )


def with_latency(key: str, aggregates: str, outer: str, order: str) -> str:
    """Per ``key`` (an expression ``AS`` a name): the aggregates and p50/p95/p99 of the merged
    histogram (an inner query: an expression may not read an aggregate's alias)."""
    name = key.rsplit(" AS ", 1)[-1]
    return f"""
SELECT {outer}, {quantiles()}
FROM
(
    SELECT {key}, {aggregates}, sumMap(latency_histogram) AS hist
    FROM {HEALTH_ROWS}
    GROUP BY {name}
)
ORDER BY {order}"""


def _ms(item: dict[str, Any]) -> dict[str, Any]:
    """Milliseconds for the latency fields (``*_ms``)."""
    item["fieldConfig"]["overrides"].append(ui._override("byRegexp", ".*_ms", ("unit", "ms")))
    return item


def _as_time_series(item: dict[str, Any]) -> dict[str, Any]:
    """Query in time-series format: a string column (model, tier...) becomes one series each."""
    for target in item["targets"]:
        target.update(queryType="timeseries", format=0)
    return item


# --- Seed 002: usage by tier and user, success and rate limiting --------------------------------

HEALTH_SNAPSHOT = f"""
SELECT {REQUESTS}, {RATES}
FROM {HEALTH_ROWS}"""

ACTIVE_USERS = f"""
SELECT uniqExact(user_id) AS active_users, sum(requests) AS billable_request_count
FROM user_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND {ui.TIER}"""

REQUESTS_BY_TIER = f"""
SELECT bucket AS time, user_tier AS tier, sum(requests) AS request_count
FROM {ui.model_grain(ui.MODEL, ui.TIER, ui.KEY_TYPE)}
GROUP BY time, tier
ORDER BY time, tier"""

USERS_BY_TIER = f"""
SELECT
    user_tier AS tier,
    uniqExact(user_id) AS active_users,
    sum(requests) AS request_count,
    sum(total_pollen) AS pollen,
    sum(total_pollen) / nullIf(uniqExact(user_id), 0) AS pollen_per_user
FROM user_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND {ui.TIER}
GROUP BY tier
ORDER BY request_count DESC"""


def top_users(order: str, limit: str) -> str:
    return f"""
SELECT
    argMax(user_github_username, day) AS developer,
    argMax(user_tier, day) AS tier,
    sum(requests) AS request_count,
    sum(total_pollen) AS pollen,
    sum(pack_pollen) AS paid_pollen,
    sum(tier_pollen) AS free_pollen
FROM user_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND {ui.TIER}
GROUP BY user_id
ORDER BY {order} DESC, user_id
LIMIT {limit}"""


REQUESTS_PER_USER = f"""
SELECT toDateTime(day, 'UTC') AS time, user_github_username AS developer, requests AS request_count
FROM user_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND user_id IN (
    SELECT user_id FROM user_daily
    WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND {ui.TIER}
    GROUP BY user_id ORDER BY sum(requests) DESC, user_id LIMIT {ui.TOP_N}
)
ORDER BY time, developer"""

SUCCESS_OVER_TIME = f"""
SELECT {BUCKET} AS time, {REQUESTS}, {RATES}
FROM {HEALTH_ROWS}
GROUP BY time
ORDER BY time"""

# --- Seed 003: models and providers, latency, tokens, SLOs --------------------------------------

PROVIDER_COMPARISON = with_latency(
    "model_provider_used AS provider",
    f"""{REQUESTS}, {RATES},
        sum(total_pollen) AS pollen,
        sum(total_pollen) / nullIf(sum(requests), 0) AS pollen_per_request""",
    outer="* EXCEPT (hist)",
    order="request_count DESC",
)
MODEL_COMPARISON = with_latency(
    "resolved_model_requested AS model",
    f"{REQUESTS}, {RATES}, sum(total_pollen) / nullIf(sum(requests), 0) AS pollen_per_request",
    outer="* EXCEPT (hist)",
    order="request_count DESC",
)
LATENCY_TREND = with_latency(
    f"{BUCKET} AS time", REQUESTS, outer="time, request_count", order="time"
)
P95_BY_PROVIDER = f"""
SELECT time, provider, {quantiles(names=("p95",))}
FROM
(
    SELECT {BUCKET} AS time, model_provider_used AS provider, sumMap(latency_histogram) AS hist
    FROM {HEALTH_ROWS}
    GROUP BY time, provider
)
ORDER BY time, provider"""

ERRORS_BY_MODEL_AND_HOUR = f"""
SELECT
    {BUCKET} AS time,
    resolved_model_requested AS model,
    (sum(requests) - sum(status_2xx)) / nullIf(sum(requests), 0) AS error_share
FROM {HEALTH_ROWS}
GROUP BY time, model
ORDER BY time, model"""

PROVIDER_SCATTER = f"""
SELECT
    model_provider_used AS provider,
    sum(status_2xx) / nullIf(sum(requests), 0) AS success_share,
    sum(total_pollen) / nullIf(sum(requests), 0) AS pollen_per_request,
    {REQUESTS}
FROM {HEALTH_ROWS}
GROUP BY provider
ORDER BY request_count DESC"""


def by_provider(measure: str, alias: str) -> str:
    return f"""
SELECT model_provider_used AS provider, {measure} AS {alias}
FROM {HEALTH_ROWS}
GROUP BY provider
ORDER BY {alias} DESC"""


TOKENS_PER_SECOND = f"""
SELECT
    {BUCKET} AS time,
    (sum(tokens_in) + sum(tokens_out)) / {BUCKET_SECONDS} AS tokens_per_second,
    sum(tokens_in) / {BUCKET_SECONDS} AS input_tokens_per_second,
    sum(tokens_out) / {BUCKET_SECONDS} AS output_tokens_per_second
FROM {HEALTH_ROWS}
GROUP BY time
ORDER BY time"""

TOKENS_BY_MODEL = f"""
SELECT
    resolved_model_requested AS model,
    1000000 * sum(total_pollen) / nullIf(sum(tokens_in) + sum(tokens_out), 0)
        AS pollen_per_1m_tokens,
    sum(tokens_in) / nullIf(sum(tokens_out), 0) AS input_output_ratio,
    sum(tokens_in) / nullIf(sum(requests), 0) AS input_tokens_per_request,
    sum(tokens_out) / nullIf(sum(requests), 0) AS output_tokens_per_request
FROM {HEALTH_ROWS}
GROUP BY model
ORDER BY sum(tokens_in) + sum(tokens_out) DESC
LIMIT {ui.TOP_N}"""

SLO_STATUS = f"""
SELECT
    provider,
    availability_share,
    {SLO_AVAILABILITY} AS slo_availability_share,
    if(availability_share >= slo_availability_share, 'met', 'missed') AS availability,
    p95_ms,
    {SLO_P95} AS slo_p95_ms,
    if(p95_ms <= slo_p95_ms, 'met', 'missed') AS latency,
    error_share,
    {SLO_ERRORS} AS slo_error_share,
    if(error_share <= slo_error_share, 'met', 'missed') AS errors
FROM
(
    SELECT
        if(grouping(model_provider_used) = 1, '(all providers)', model_provider_used)
            AS provider,
        {AVAILABILITY} AS availability_share,
        (sum(requests) - sum(status_2xx)) / nullIf(sum(requests), 0) AS error_share,
        {quantiles("sumMap(latency_histogram)", ("p95",))},
        sum(requests) AS request_count
    FROM {HEALTH_ROWS}
    GROUP BY model_provider_used WITH ROLLUP
)
ORDER BY provider = '(all providers)' DESC, request_count DESC"""

SLO_TREND = with_latency(
    f"{BUCKET} AS time",
    f"{AVAILABILITY} AS availability_share, "
    "(sum(requests) - sum(status_2xx)) / nullIf(sum(requests), 0) AS error_share",
    outer=f"time, availability_share, {SLO_AVAILABILITY} AS slo_availability_share, "
    f"error_share, {SLO_ERRORS} AS slo_error_share, {SLO_P95} AS slo_p95_ms",
    order="time",
)

# --- Seed 004: cache and aggregation health -----------------------------------------------------

CACHE_OVER_TIME = f"""
SELECT
    {BUCKET} AS time,
    sum(cache_hits) / nullIf(sum(requests), 0) AS cache_hit_share,
    sum(cache_hits) AS cache_hit_count,
    sum(cache_savings_pollen) AS cache_savings_pollen
FROM {HEALTH_ROWS}
GROUP BY time
ORDER BY time"""

CACHE_TOTALS = f"""
SELECT
    sum(cache_savings_pollen) AS cache_savings_pollen,
    sum(cache_hits) AS cache_hit_count,
    sum(cache_hits) / nullIf(sum(requests), 0) AS cache_hit_share
FROM {HEALTH_ROWS}"""

# Production events the one scan saw per day (data_quality_daily) vs what health_hourly holds:
# a difference, or fewer hours than expected, means hours of health_hourly are missing.
AGGREGATION_BY_DAY = """
SELECT
    toString(q.day) AS day,
    q.production_events AS production_event_count,
    h.health_requests AS health_request_count,
    toInt64(q.production_events) - toInt64(h.health_requests) AS missing_request_count,
    h.hours AS hours_in_health_hourly
FROM data_quality_daily AS q
LEFT JOIN
(
    SELECT toDate(hour) AS day, sum(requests) AS health_requests, uniqExact(hour) AS hours
    FROM health_hourly
    WHERE $__timeFilter(hour)
    GROUP BY day
) AS h ON h.day = q.day
WHERE q.day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC')
ORDER BY q.day DESC"""

HEALTH_CHECKS = ("reconciles_with_raw", "no_gaps", "status_classes_match_raw")
# The latest evaluation of each raw-vs-aggregate check of the hourly tables (the scan, usage and
# health), whatever the time range: the state now.
LATEST_CHECKS = f"""
SELECT
    asset,
    check_name,
    argMax(partition, evaluated_at) AS last_partition,
    if(argMax(passed, evaluated_at) = 1, 'passed', 'FAILED') AS status,
    argMax(description, evaluated_at) AS description,
    max(evaluated_at) AS last_evaluated,
    countIf(passed = 0) AS failed_evaluation_count
FROM pipeline_check_results
WHERE endsWith(asset, '_hourly') AND check_name IN ({ui._sql_list(HEALTH_CHECKS)})
GROUP BY asset, check_name
ORDER BY status, asset, check_name"""

CANNOT_SHOW = """
**What `generation_event` cannot show**, and the event fields that would be needed:

* **Circuit breakers** (state, time in state, failure count): the gateway's breaker transitions
  are not events. Needs a breaker event stream: `provider`, `state` (open / half-open / closed),
  `changed_at`, `failure_count`, `threshold`.
* **Budgets** (monthly budget, allocation by model or team, spend vs budget, forecasts): no
  budget exists in the data. Needs a budget table: `scope` (model / provider / team),
  `period`, `amount_pollen`.
* **Provider health scores and uptime**: requests only exist when a provider is called, so an
  idle or skipped provider is invisible. Needs synthetic probes (`provider`, `probed_at`,
  `ok`, `latency_ms`) and a written score formula.
* **Timeouts and error types**: the summaries keep status classes only. Needs
  `error_response_code` / `error_source` in the hourly grain (they are raw columns) and a
  `timed_out` flag.
* **Rate-limit quotas**: 429 outcomes are here, the limits per tier are not. Needs the limiter's
  policy (`tier`, `limit`, `window`) or its metrics.
* **Real-time (minute) views, p999, queue vs provider time**: the grain is the hour and
  `response_time` is end to end. Needs minute aggregates and `provider_time_ms` / `queue_time_ms`.
* **Token estimate efficiency and margin**: there are no estimated token counts, and today
  `total_cost` equals `total_price`. Needs `estimated_tokens` and real provider costs.
* Active users and per-user panels count billable requests without ROUTER (`user_daily`);
  per-user series are daily (no hourly per-user summary is kept for dashboards).
"""


# --- Variables and dashboard --------------------------------------------------------------------

PROVIDER_VARIABLE = ui.query_variable(
    "provider",
    "Provider",
    """SELECT DISTINCT model_provider_used FROM health_hourly
WHERE $__timeFilter(hour) ORDER BY model_provider_used""",
)


def textbox(name: str, label: str, value: str) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "type": "textbox",
        "query": value,
        "current": {"text": value, "value": value},
        "options": [{"text": value, "value": value, "selected": True}],
        "includeAll": False,
        "multi": False,
    }


def slo_variables() -> list[dict[str, Any]]:
    """SLO targets: defaults from ``POLLEN_SLO_*`` at build time, editable on the dashboard."""
    labels = {"sloAvailability": "SLO availability", "sloLatencyP95Ms": "SLO p95 latency (ms)"}
    labels["sloErrorRate"] = "SLO error rate"
    return [
        textbox(name, labels[name], os.environ.get(env, default))
        for env, (name, default) in health.SLO_TARGETS.items()
    ]


def _seed_002() -> list[dict[str, Any]]:
    return [
        ui.stat(
            "Requests, success and rate limiting",
            HEALTH_SNAPSHOT,
            "Production requests of every status; success = 2xx, errors = not 2xx, rate limited "
            "= 429. Variables: model, provider.",
            size=(16, 4),
        ),
        ui.stat(
            "Active users",
            ACTIVE_USERS,
            "Users with billable requests in the range (ROUTER out). Variable: tier.",
            size=(8, 4),
        ),
        _as_time_series(
            ui.timeseries(
                "Requests by tier",
                REQUESTS_BY_TIER,
                "Billable requests per tier (hourly up to 7 days, else daily).",
                calcs=("sum",),
                stacked=True,
            )
        ),
        ui.timeseries(
            "Success rate and rate-limited share",
            SUCCESS_OVER_TIME,
            "Per bucket: 2xx, non-2xx, 5xx and 429 shares of production requests.",
            calcs=("mean", "max"),
        ),
        ui.table(
            "Users by tier",
            USERS_BY_TIER,
            "Active users, requests and Pollen per tier. Variable: tier.",
            sort_by="request_count",
            size=(12, 8),
        ),
        ui.table(
            "Top users by requests",
            top_users("request_count", ui.TOP_N),
            "Developers with the most billable requests, with tier and Pollen. Variables: tier, "
            "top N.",
            sort_by="request_count",
            size=(12, 8),
        ),
        ui.table(
            "Top 5 users by Pollen",
            top_users("pollen", "5"),
            "Developers with the most Pollen spent, paid and free. Variable: tier.",
            sort_by="pollen",
            size=(12, 8),
        ),
        _as_time_series(
            ui.timeseries(
                "Requests per user (top N, daily)",
                REQUESTS_PER_USER,
                "Daily billable requests of the top N users by requests: per-user data is kept "
                "per day only. Variables: tier, top N.",
                calcs=("sum",),
            )
        ),
    ]


def _seed_003() -> list[dict[str, Any]]:
    return [
        _ms(
            ui.table(
                "Provider comparison",
                PROVIDER_COMPARISON,
                "Per provider: requests, success / error / 5xx / 429 shares, Pollen per request "
                "and latency p50/p95/p99 (merged hourly histograms, within ~2%).",
                sort_by="request_count",
            )
        ),
        _ms(
            ui.table(
                "Model comparison",
                MODEL_COMPARISON,
                "Per requested model: requests, error rates, Pollen per request, latency.",
                sort_by="request_count",
            )
        ),
        _ms(
            ui.timeseries(
                "Latency p50 / p95 / p99",
                LATENCY_TREND,
                "Quantiles of response_time per bucket, from the merged histograms.",
                calcs=("mean", "max"),
            )
        ),
        _ms(
            _as_time_series(
                ui.timeseries(
                    "Latency p95 by provider",
                    P95_BY_PROVIDER,
                    "p95 response time per provider and bucket.",
                    calcs=("mean", "max"),
                )
            )
        ),
        _as_time_series(
            ui.panel(
                "status-history",
                "Error share by model and hour",
                ERRORS_BY_MODEL_AND_HOUR,
                "Heatmap of non-2xx share: one row per model, one cell per bucket.",
                size=(24, 9),
                options={"showValue": "never", "rowHeight": 0.9, "colWidth": 0.9},
            )
        ),
        _provider_scatter(),
        _pie("Requests by provider", by_provider("sum(requests)", "request_count")),
        _pie("Pollen by provider", by_provider("sum(total_pollen)", "pollen")),
        ui.timeseries(
            "Tokens per second",
            TOKENS_PER_SECOND,
            "Input + output tokens of production requests per second, averaged over the bucket.",
            calcs=("mean", "max"),
        ),
        ui.bars(
            "Pollen per 1M tokens and input:output ratio by model",
            TOKENS_BY_MODEL,
            "Pollen per million tokens, input/output token ratio and tokens per request, for "
            "the top N models by tokens.",
            x_field="model",
        ),
        _ms(
            ui.table(
                "SLO compliance",
                SLO_STATUS,
                "Availability (1 - 5xx share), p95 latency and error rate (non-2xx share) per "
                "provider and overall, against the SLO variables.",
                sort_by="request_count",
                size=(24, 8),
            )
        ),
        _ms(
            ui.timeseries(
                "SLO trend",
                SLO_TREND,
                "Availability, error rate and p95 per bucket with the targets as flat lines.",
                calcs=("mean", "min", "max"),
            )
        ),
    ]


def _seed_004() -> list[dict[str, Any]]:
    return [
        ui.timeseries(
            "Cache hit rate and savings",
            CACHE_OVER_TIME,
            "Share of production requests served from cache, and what those hits would have "
            "cost at their own token prices (the Pollen saved).",
            calcs=("mean", "sum"),
            bar_fields=("cache_savings_pollen",),
        ),
        ui.stat(
            "Cache savings",
            CACHE_TOTALS,
            "Pollen saved by cache hits in the range, hits and hit rate.",
            size=(12, 8),
        ),
        ui.table(
            "Aggregation health by day",
            AGGREGATION_BY_DAY,
            "Production events the raw scan saw (data_quality_daily) vs requests in "
            "health_hourly and its hours per day: a difference means hourly rows are missing.",
            sort_by="day",
            size=(12, 8),
        ),
        ui.table(
            "Raw vs aggregate checks (latest)",
            LATEST_CHECKS,
            "Latest evaluation of the reconciliation, gaps and status-class checks of the hourly "
            "tables against raw events, whatever the time range.",
            sort_by="last_evaluated",
        ),
        ui.text("What this data cannot show", CANNOT_SHOW, size=(24, 12)),
    ]


def _provider_scatter() -> dict[str, Any]:
    item = ui.scatter(
        "Providers: Pollen per request vs success rate",
        PROVIDER_SCATTER,
        "One point per provider; point size = requests.",
        x="success_share",
        y="pollen_per_request",
    )
    by_name = {"id": "byName", "options": "request_count"}
    series = item["options"]["series"][0]
    series["y"] = {"matcher": {"id": "byName", "options": "pollen_per_request"}}
    series["size"] = {"matcher": by_name}
    series["pointSize"] = {"field": "request_count", "min": 6, "max": 40}
    return item


def _pie(title: str, sql: str) -> dict[str, Any]:
    options = {
        "reduceOptions": {"values": True, "calcs": ["lastNotNull"], "fields": ""},
        "pieType": "donut",
        "displayLabels": ["name", "percent"],
        "legend": ui.legend(),
    }
    return ui.panel("piechart", title, sql, "Share of the range per provider.", options=options)


def health_dashboard() -> dict[str, Any]:
    return ui.dashboard(
        "pollen-platform-health",
        "Pollen Platform Health",
        ["pollen", "health", "slo"],
        [*ui.COMMON_VARIABLES, PROVIDER_VARIABLE, *slo_variables()],
        [*_seed_002(), *_seed_003(), *_seed_004()],
    )
