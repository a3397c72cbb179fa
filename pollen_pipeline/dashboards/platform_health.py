"""The "Pollen Platform Health" dashboard (issue 7): panels of seeds 002, 003 and 004.

Health panels read ``health_hourly``: every production request of any status, by hour,
provider and model, and ``health_daily`` (its hours summed per UTC day) for the days a range
covers whole (:func:`~.grafana.health_rows`). Latency quantiles over any set of rows are read
from the merged bucket histogram, ``sumMap(latency_histogram)`` (``quantile_sql`` of the health
rules, within ``RELATIVE_RESOLUTION`` of the exact value). User and tier panels read
``user_daily`` and the usage tables (billable requests, ROUTER out). Time series bucket the rows
by Grafana's interval, at least an hour (day rows only when the buckets are whole days). SLO
targets are textbox variables whose defaults are ``POLLEN_SLO_*`` when :func:`dashboard` runs
(else seed 003's examples: 99.9% availability, 500 ms p95, 1% errors).
"""

from __future__ import annotations

import os

from pollen_pipeline.checks import NO_GAPS, RECONCILES_WITH_RAW
from pollen_pipeline.dashboards.grafana import (
    DAYS,
    KEY_TYPE,
    MODEL,
    PROVIDER,
    TIER,
    TOP_N,
    JsonDict,
    as_time_series,
    bars,
    common_variables,
    daily_rows,
    day_range,
    developer_ranking,
    developers,
    envelope,
    health_rows,
    health_values,
    model_grain,
    panel,
    pie,
    quantiles,
    query_variable,
    ranged_rows,
    scatter,
    sql_list,
    stat,
    table,
    text,
    textbox,
    timeseries,
    with_ms,
)
from pollen_pipeline.defs.health import rules as latency
from pollen_pipeline.defs.health.health_hourly.checks import status_classes_match_raw

# SLO targets of the "Pollen Platform Health" dashboard (seed 003's examples), as the defaults
# of its textbox variables: environment variable -> (variable name, default).
SLO_TARGETS = {
    "POLLEN_SLO_AVAILABILITY": ("sloAvailability", "0.999"),  # share of requests without a 5xx
    "POLLEN_SLO_LATENCY_P95_MS": ("sloLatencyP95Ms", "500"),  # p95 response time, ms
    "POLLEN_SLO_ERROR_RATE": ("sloErrorRate", "0.01"),  # share of requests that are not 2xx
}
BUCKET_SECONDS = "greatest($__interval_s, 3600)"  # the finest rows are hours
BUCKET = f"toStartOfInterval(hour, INTERVAL {BUCKET_SECONDS} second)"
HEALTH_ROWS = health_rows(f"{MODEL} AND {PROVIDER}")  # totals of the range
SERIES_ROWS = health_rows(f"{MODEL} AND {PROVIDER}", BUCKET_SECONDS)  # per BUCKET
# The $slo* textbox variables as numbers, in SQL (a textbox holds text).
SLO = {name: f"toFloat64OrNull(${{{name}:sqlstring}})" for name, _ in SLO_TARGETS.values()}
SLO_AVAILABILITY, SLO_P95, SLO_ERRORS = SLO.values()
SLO_LABELS = {
    "sloAvailability": "SLO availability",
    "sloLatencyP95Ms": "SLO p95 latency (ms)",
    "sloErrorRate": "SLO error rate",
}

# Aggregates over health_hourly rows; aliases differ from column names (ILLEGAL_AGGREGATION).
REQUESTS = "sum(requests) AS request_count"
ERROR_SHARE = "(sum(requests) - sum(status_2xx)) / nullIf(sum(requests), 0) AS error_share"
RATES = f"""sum(status_2xx) / nullIf(sum(requests), 0) AS success_share,
    {ERROR_SHARE},
    sum(status_5xx) / nullIf(sum(requests), 0) AS server_error_share,
    sum(status_429) / nullIf(sum(requests), 0) AS rate_limited_share"""
AVAILABILITY = "1 - sum(status_5xx) / nullIf(sum(requests), 0)"


def with_latency(key: str, aggregates: str, outer: str, order: str, rows: str = HEALTH_ROWS) -> str:
    """Per ``key`` (an expression ``AS`` a name): the aggregates and p50/p95/p99 of the merged
    histogram of ``rows`` (an inner query: an expression may not read an aggregate's alias)."""
    name = key.rsplit(" AS ", 1)[-1]
    return f"""
SELECT {outer}, {quantiles()}
FROM
(
    SELECT {key}, {aggregates}, sumMap(latency_histogram) AS hist
    FROM {rows}
    GROUP BY {name}
)
ORDER BY {order}"""


# --- SQL, seed 002: usage by tier and user, success and rate limiting ---------------------------

HEALTH_SNAPSHOT = f"""
SELECT {REQUESTS}, {RATES}
FROM {HEALTH_ROWS}"""

# Developers are counted per tier of the day: one user_ranges row per developer and tier.
ACTIVE_USERS = f"""
SELECT sum(users) AS active_users, sum(billable_requests) AS billable_request_count
FROM
(
    SELECT uniqExact(user_id) AS users, sum(requests) AS billable_requests
    FROM user_ranges
    WHERE {ranged_rows("user_ranges")} AND {TIER}
    UNION ALL
    SELECT uniqExact(user_id), sum(requests)
    FROM user_daily_by_user
    WHERE {daily_rows("user_ranges")} AND {TIER}
)"""

REQUESTS_BY_TIER = f"""
SELECT bucket AS time, user_tier AS tier, sum(requests) AS request_count
FROM {model_grain(MODEL, TIER, KEY_TYPE)}
GROUP BY time, tier
ORDER BY time, tier"""

TIER_USERS = """user_tier AS tier,
        uniqExact(user_id) AS active_users,
        sum(requests) AS request_count,
        sum(total_pollen) AS pollen"""
USERS_BY_TIER = f"""
SELECT
    tier, active_users, request_count, pollen, pollen / nullIf(active_users, 0) AS pollen_per_user
FROM
(
    SELECT {TIER_USERS}
    FROM user_ranges
    WHERE {ranged_rows("user_ranges")} AND {TIER}
    GROUP BY tier
    UNION ALL
    SELECT {TIER_USERS}
    FROM user_daily_by_user
    WHERE {daily_rows("user_ranges")} AND {TIER}
    GROUP BY tier
)
ORDER BY request_count DESC"""


def top_users(order: str, limit: str) -> str:
    """Developers of the range by ``order`` (a column below), with their tier and Pollen."""
    return developer_ranking(
        "request_count",
        "pollen",
        "paid_pollen",
        "free_pollen",
        order=f"{order} DESC, user_id",
        limit=limit,
    )


REQUESTS_PER_USER = f"""
SELECT toDateTime(day, 'UTC') AS time, user_github_username AS developer, requests AS request_count
FROM user_daily_by_user
WHERE {DAYS} AND user_id IN (
    SELECT user_id FROM {developers()}
    ORDER BY request_count DESC, user_id LIMIT {TOP_N}
)
ORDER BY time, developer"""

SUCCESS_OVER_TIME = f"""
SELECT {BUCKET} AS time, {REQUESTS}, {RATES}
FROM {SERIES_ROWS}
GROUP BY time
ORDER BY time"""

# --- SQL, seed 003: models and providers, latency, tokens, SLOs ---------------------------------

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
    f"{BUCKET} AS time", REQUESTS, outer="time, request_count", order="time", rows=SERIES_ROWS
)
P95_BY_PROVIDER = f"""
SELECT time, provider, {quantiles(names=("p95",))}
FROM
(
    SELECT {BUCKET} AS time, model_provider_used AS provider, sumMap(latency_histogram) AS hist
    FROM {SERIES_ROWS}
    GROUP BY time, provider
)
ORDER BY time, provider"""

ERRORS_BY_MODEL_AND_HOUR = f"""
SELECT
    {BUCKET} AS time,
    resolved_model_requested AS model,
    {ERROR_SHARE}
FROM {SERIES_ROWS}
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
    """``measure`` per provider, as ``alias``, the largest first."""
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
FROM {SERIES_ROWS}
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
LIMIT {TOP_N}"""

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
        {ERROR_SHARE},
        {quantiles("sumMap(latency_histogram)", ("p95",))},
        sum(requests) AS request_count
    FROM {HEALTH_ROWS}
    GROUP BY model_provider_used WITH ROLLUP
)
ORDER BY provider = '(all providers)' DESC, request_count DESC"""

SLO_TREND = with_latency(
    f"{BUCKET} AS time",
    f"{AVAILABILITY} AS availability_share, {ERROR_SHARE}",
    outer=f"time, availability_share, {SLO_AVAILABILITY} AS slo_availability_share, "
    f"error_share, {SLO_ERRORS} AS slo_error_share, {SLO_P95} AS slo_p95_ms",
    order="time",
    rows=SERIES_ROWS,
)

# --- SQL, seed 004: cache and aggregation health ------------------------------------------------

CACHE_OVER_TIME = f"""
SELECT
    {BUCKET} AS time,
    sum(cache_hits) / nullIf(sum(requests), 0) AS cache_hit_share,
    sum(cache_hits) AS cache_hit_count,
    sum(cache_savings_pollen) AS cache_savings_pollen
FROM {SERIES_ROWS}
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
AGGREGATION_BY_DAY = f"""
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
WHERE {day_range("q.day")}
ORDER BY q.day DESC"""

HEALTH_CHECKS = (RECONCILES_WITH_RAW, NO_GAPS, status_classes_match_raw.__name__)
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
WHERE endsWith(asset, '_hourly') AND check_name IN ({sql_list(HEALTH_CHECKS)})
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

PROVIDERS = health_values("model_provider_used")

# --- Panels -------------------------------------------------------------------------------------


def _request_panels() -> list[JsonDict]:
    """Seed 002: requests by tier, success and rate limiting, active users."""
    return [
        stat(
            "Requests, success and rate limiting",
            HEALTH_SNAPSHOT,
            "Production requests of every status; success = 2xx, errors = not 2xx, rate limited "
            "= 429. Variables: model, provider.",
            size=(16, 4),
        ),
        stat(
            "Active users",
            ACTIVE_USERS,
            "Users with billable requests in the range (ROUTER out). Variable: tier.",
            size=(8, 4),
        ),
        as_time_series(
            timeseries(
                "Requests by tier",
                REQUESTS_BY_TIER,
                "Billable requests per tier (hourly up to 7 days, else daily).",
                calcs=("sum",),
                stacked=True,
            )
        ),
        timeseries(
            "Success rate and rate-limited share",
            SUCCESS_OVER_TIME,
            "Per bucket: 2xx, non-2xx, 5xx and 429 shares of production requests.",
            calcs=("mean", "max"),
        ),
    ]


def _user_panels() -> list[JsonDict]:
    """Seed 002: users per tier, the heaviest users by requests and by Pollen, and their daily
    requests."""
    return [
        table(
            "Users by tier",
            USERS_BY_TIER,
            "Active users, requests and Pollen per tier. Variable: tier.",
            sort_by="request_count",
            size=(12, 8),
        ),
        table(
            "Top users by requests",
            top_users("request_count", TOP_N),
            "Developers with the most billable requests, with tier and Pollen. Variables: tier, "
            "top N.",
            sort_by="request_count",
            size=(12, 8),
        ),
        table(
            "Top 5 users by Pollen",
            top_users("pollen", "5"),
            "Developers with the most Pollen spent, paid and free. Variable: tier.",
            sort_by="pollen",
            size=(12, 8),
        ),
        as_time_series(
            timeseries(
                "Requests per user (top N, daily)",
                REQUESTS_PER_USER,
                "Daily billable requests of the top N users by requests: per-user data is kept "
                "per day only. Variables: tier, top N.",
                calcs=("sum",),
            )
        ),
    ]


def _comparison_panels() -> list[JsonDict]:
    """Seed 003: providers and models side by side, with their latency."""
    within = f"{latency.RELATIVE_RESOLUTION:.0%}"
    return [
        with_ms(
            table(
                "Provider comparison",
                PROVIDER_COMPARISON,
                "Per provider: requests, success / error / 5xx / 429 shares, Pollen per request "
                f"and latency p50/p95/p99 (merged hourly histograms, within ~{within}).",
                sort_by="request_count",
            )
        ),
        with_ms(
            table(
                "Model comparison",
                MODEL_COMPARISON,
                "Per requested model: requests, error rates, Pollen per request, latency.",
                sort_by="request_count",
            )
        ),
    ]


def _latency_panels() -> list[JsonDict]:
    """Seed 003: latency over time, overall and per provider; errors by model and hour."""
    return [
        with_ms(
            timeseries(
                "Latency p50 / p95 / p99",
                LATENCY_TREND,
                "Quantiles of response_time per bucket, from the merged histograms.",
                calcs=("mean", "max"),
            )
        ),
        with_ms(
            as_time_series(
                timeseries(
                    "Latency p95 by provider",
                    P95_BY_PROVIDER,
                    "p95 response time per provider and bucket.",
                    calcs=("mean", "max"),
                )
            )
        ),
        as_time_series(
            panel(
                "status-history",
                "Error share by model and hour",
                ERRORS_BY_MODEL_AND_HOUR,
                "Heatmap of non-2xx share: one row per model, one cell per bucket.",
                size=(24, 9),
                options={"showValue": "never", "rowHeight": 0.9, "colWidth": 0.9},
            )
        ),
    ]


def _provider_scatter() -> JsonDict:
    """Providers as points: cost against success, sized by their requests."""
    item = scatter(
        "Providers: Pollen per request vs success rate",
        PROVIDER_SCATTER,
        "One point per provider; point size = requests.",
        x="success_share",
        y="pollen_per_request",
    )
    series = item["options"]["series"][0]
    series["y"] = {"matcher": {"id": "byName", "options": "pollen_per_request"}}
    series["size"] = {"matcher": {"id": "byName", "options": "request_count"}}
    series["pointSize"] = {"field": "request_count", "min": 6, "max": 40}
    return item


def _cost_panels() -> list[JsonDict]:
    """Seed 003: what providers cost and carry, and the tokens behind it."""
    share = "Share of the range per provider."
    return [
        _provider_scatter(),
        pie("Requests by provider", by_provider("sum(requests)", "request_count"), share),
        pie("Pollen by provider", by_provider("sum(total_pollen)", "pollen"), share),
        timeseries(
            "Tokens per second",
            TOKENS_PER_SECOND,
            "Input + output tokens of production requests per second, averaged over the bucket.",
            calcs=("mean", "max"),
        ),
        bars(
            "Pollen per 1M tokens and input:output ratio by model",
            TOKENS_BY_MODEL,
            "Pollen per million tokens, input/output token ratio and tokens per request, for "
            "the top N models by tokens.",
            x_field="model",
        ),
    ]


def _slo_panels() -> list[JsonDict]:
    """Seed 003: the SLOs, met or missed, and their trend."""
    return [
        with_ms(
            table(
                "SLO compliance",
                SLO_STATUS,
                "Availability (1 - 5xx share), p95 latency and error rate (non-2xx share) per "
                "provider and overall, against the SLO variables.",
                sort_by="request_count",
                size=(24, 8),
            )
        ),
        with_ms(
            timeseries(
                "SLO trend",
                SLO_TREND,
                "Availability, error rate and p95 per bucket with the targets as flat lines.",
                calcs=("mean", "min", "max"),
            )
        ),
    ]


def _pipeline_panels() -> list[JsonDict]:
    """Seed 004: cache hits and savings, whether the hourly aggregates are complete."""
    return [
        timeseries(
            "Cache hit rate and savings",
            CACHE_OVER_TIME,
            "Share of production requests served from cache, and what those hits would have "
            "cost at their own token prices (the Pollen saved).",
            calcs=("mean", "sum"),
            bar_fields=("cache_savings_pollen",),
        ),
        stat(
            "Cache savings",
            CACHE_TOTALS,
            "Pollen saved by cache hits in the range, hits and hit rate.",
            size=(12, 8),
        ),
        table(
            "Aggregation health by day",
            AGGREGATION_BY_DAY,
            "Production events the raw scan saw (data_quality_daily) vs requests in "
            "health_hourly and its hours per day: a difference means hourly rows are missing.",
            sort_by="day",
            size=(12, 8),
        ),
        table(
            "Raw vs aggregate checks (latest)",
            LATEST_CHECKS,
            "Latest evaluation of the reconciliation, gaps and status-class checks of the hourly "
            "tables against raw events, whatever the time range.",
            sort_by="last_evaluated",
        ),
        text("What this data cannot show", CANNOT_SHOW, size=(24, 12)),
    ]


def slo_variables() -> list[JsonDict]:
    """SLO targets: defaults from ``POLLEN_SLO_*`` now (when the dashboard is built), editable
    on the dashboard."""
    return [
        textbox(name, SLO_LABELS[name], os.environ.get(env, default))
        for env, (name, default) in SLO_TARGETS.items()
    ]


def dashboard() -> JsonDict:
    """The "Pollen Platform Health" dashboard (``pollen-platform-health.json``)."""
    return envelope(
        "pollen-platform-health",
        "Pollen Platform Health",
        ["pollen", "health", "slo"],
        [*common_variables(), query_variable("provider", "Provider", PROVIDERS), *slo_variables()],
        [
            *_request_panels(),
            *_user_panels(),
            *_comparison_panels(),
            *_latency_panels(),
            *_cost_panels(),
            *_slo_panels(),
            *_pipeline_panels(),
        ],
    )
