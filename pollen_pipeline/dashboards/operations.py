"""The "Pollen Operations" dashboard (issue 15): what on call looks at, from summary tables only.

- ``load_minutely`` (rebuilt every 5 minutes): requests, errors, 5xx, 429 and tokens per minute,
  event type, provider and model: peak and average RPM, tokens per second, images per minute,
  error rates, and the numbers of the two on-call alert rules; ``platform_minutely``, its rows
  summed per minute, for the minute peaks when no provider, model or event type is chosen and
  for the sudden-load rule's number;
- ``errors_hourly``: errors by exact status, error code and source (``errors_daily`` for the
  days a range covers whole); ``error_messages_daily``: the normalised messages;
- ``demand_daily``: demand refused for lack of balance (402) and rate limited (429), per tier;
- ``health_hourly``: latency from its bucket histogram, by event type (``health_daily`` for the
  days a range covers whole); and, for ranges longer than a day, the same counts as
  ``load_minutely`` per hour (:func:`load`).

Time series bucket by Grafana's interval, never below a minute (a day or less) or an hour
(longer ranges, or hourly tables); peaks are of minutes whatever the range; daily tables count
every UTC day the range touches (:data:`~.grafana.DAYS`). The provider, model and event type
variables apply where the table has the column (each panel's description says which). The
alert panels show the platform as the rules see it, unfiltered.
"""

from __future__ import annotations

from pollen_pipeline.dashboards.grafana import (
    DAYS,
    EVENT_TYPE,
    MODEL,
    PROVIDER,
    TABLE_ROWS,
    JsonDict,
    as_time_series,
    daily_rows,
    datasource_variable,
    envelope,
    health_rows,
    health_values,
    hours_and_whole_days,
    quantiles,
    query_variable,
    ranged_rows,
    sql_list,
    stat,
    table,
    timeseries,
    with_ms,
)
from pollen_pipeline.defs.health import rules as latency
from pollen_pipeline.defs.ops.platform_minutely.rules import IMAGE_EVENT_TYPE

PEAK_WINDOW_MINUTES = 15  # "peak RPM (15 minutes)": the busiest 15 clock minutes, averaged
TOP_MESSAGES = 50  # as the team's "Top Error Messages"
UNSET_MESSAGES = ("undefined", "")  # the raw column's default, and empty: no message to show
# The alert rules' parameters (grafana/provisioning/alerting/pollen-alerts.yaml), drawn on the
# panels the rules link to.
ALERT_WINDOW_MINUTES = 10
ALERT_MIN_REQUESTS = 20
SERVER_ERROR_WARNING = 0.5
SERVER_ERROR_CRITICAL = 0.75
SUDDEN_LOAD_RATIO = 3

# --- SQL ------------------------------------------------------------------------------------

VARIABLES = f"{PROVIDER} AND {MODEL} AND {EVENT_TYPE}"
# Ranges up to a day read load_minutely; longer ones read the same counts per hour (and per day,
# for the days they cover whole) from the health tables: a month of minutes is 60 times the
# rows, for lines no screen can show.
MINUTES = "dateDiff('second', $__fromTime, $__toTime) <= 86400"
LOAD_COLUMNS = """event_type, model_provider_used, resolved_model_requested,
        requests, errors, status_5xx, status_429, tokens_in, tokens_out"""
BUCKET_SECONDS = f"greatest($__interval_s, if({MINUTES}, 60, 3600))"


def load(bucket_seconds: str | None) -> str:
    """FROM clause: the range's load rows, a ``period`` column: load_minutely's minutes for a
    range up to a day, else health rows (:func:`~.grafana.health_rows`; whole days only when
    the buckets of ``bucket_seconds``, if any, are whole days)."""
    return f"""(
    SELECT minute AS period, {LOAD_COLUMNS}
    FROM load_minutely
    WHERE {MINUTES} AND $__timeFilter(minute)
    UNION ALL
    SELECT hour AS period, {LOAD_COLUMNS}
    FROM {health_rows(f"NOT ({MINUTES})", bucket_seconds)}
)"""


LOAD_ROWS = f"{load(BUCKET_SECONDS)}\nWHERE {VARIABLES}"  # per BUCKET
BUCKET = f"toStartOfInterval(period, INTERVAL {BUCKET_SECONDS} second)"
PER_BUCKET_MINUTE = f"({BUCKET_SECONDS} / 60)"
MINUTE_ROWS = f"load_minutely WHERE $__timeFilter(minute) AND {VARIABLES}"
# No provider, model or event type chosen: the platform's minutes are platform_minutely's rows.
ALL_VARIABLES = (
    "$__conditionalAll(0, $provider) AND $__conditionalAll(0, $model) "
    "AND $__conditionalAll(0, $eventType)"
)
HOUR_BUCKET_SECONDS = "greatest($__interval_s, 3600)"
HOUR_BUCKET = f"toStartOfInterval(hour, INTERVAL {HOUR_BUCKET_SECONDS} second)"
# Errors of the range: errors_daily for the days it covers whole, errors_hourly around them.
ERROR_COLUMNS = """model_provider_used, resolved_model_requested, response_status,
        error_response_code, error_source, events, total_pollen, first_at, last_at"""
ERROR_ROWS = hours_and_whole_days(
    "errors_hourly", "errors_daily", ERROR_COLUMNS, f"{PROVIDER} AND {MODEL}"
)  # totals of the range
ERROR_SERIES_ROWS = hours_and_whole_days(
    "errors_hourly", "errors_daily", ERROR_COLUMNS, f"{PROVIDER} AND {MODEL}", HOUR_BUCKET_SECONDS
)  # per HOUR_BUCKET
HEALTH_ROWS = health_rows(VARIABLES)  # totals of the range
HEALTH_SERIES_ROWS = health_rows(VARIABLES, HOUR_BUCKET_SECONDS)  # per HOUR_BUCKET
# Minutes from the first to the last minute with requests: what "average per minute" divides by
# (as the team's average RPM, from the first to the last request).
SPAN_MINUTES = "greatest(1, dateDiff('minute', min(minute), max(minute)) + 1)"


def trailing_sum(column: str, first_seconds: int, last_seconds: int) -> str:
    """Window: the sum of ``column`` over the minutes ``first_seconds`` .. ``last_seconds``
    before each row's minute (clock minutes: a minute without requests adds 0)."""
    return (
        f"sum({column}) OVER (ORDER BY toUInt32(minute) "
        f"RANGE BETWEEN {first_seconds} PRECEDING AND {last_seconds} PRECEDING)"
    )


# The platform's requests, tokens and images per minute, after the variables: whatever the
# range, peaks are of minutes. With every variable All, platform_minutely's row of the minute;
# else load_minutely's rows of the minute that pass them, summed.
PER_MINUTE = f"""(
    SELECT
        minute,
        requests AS minute_requests,
        tokens AS minute_tokens,
        image_requests AS minute_images
    FROM platform_minutely
    WHERE {ALL_VARIABLES} AND $__timeFilter(minute)
    UNION ALL
    SELECT
        minute,
        sum(requests),
        sum(tokens_in + tokens_out),
        sumIf(requests, event_type = '{IMAGE_EVENT_TYPE}')
    FROM {MINUTE_ROWS} AND NOT ({ALL_VARIABLES})
    GROUP BY minute
)"""

RPM_SUMMARY = f"""
SELECT
    max(minute_requests) AS peak_rpm_1m,
    max(rolling_requests) / {PEAK_WINDOW_MINUTES} AS peak_rpm_{PEAK_WINDOW_MINUTES}m,
    sum(minute_requests) / {SPAN_MINUTES} AS average_rpm,
    max(minute_requests) * {SPAN_MINUTES} / nullIf(sum(minute_requests), 0) AS peak_to_average
FROM
(
    SELECT
        minute,
        minute_requests,
        {trailing_sum("minute_requests", 60 * (PEAK_WINDOW_MINUTES - 1), 0)} AS rolling_requests
    FROM {PER_MINUTE}
)"""

THROUGHPUT_SUMMARY = f"""
SELECT
    sum(minute_tokens) / (60 * {SPAN_MINUTES}) AS tokens_per_second,
    max(minute_tokens) / 60 AS peak_tokens_per_second,
    sum(minute_images) / {SPAN_MINUTES} AS images_per_minute,
    max(minute_images) AS peak_images_per_minute
FROM {PER_MINUTE}"""


def per_bucket(series: str, measure: str, *filters: str) -> str:
    """``measure`` (an aggregate ``AS`` a name) per bucket and ``series`` (a column, possibly
    ``AS`` a name) over the load rows that pass ``filters``."""
    name = series.rsplit(" AS ", 1)[-1]
    extra = "".join(f" AND {condition}" for condition in filters)
    return f"""
SELECT {BUCKET} AS time, {series}, {measure}
FROM {LOAD_ROWS}{extra}
GROUP BY time, {name}
ORDER BY time, {name}"""


RPM = f"sum(requests) / {PER_BUCKET_MINUTE} AS requests_per_minute"
RPM_BY_EVENT_TYPE = per_bucket("event_type", RPM)
RPM_BY_PROVIDER = per_bucket("model_provider_used AS provider", RPM)
TOKENS_PER_SECOND_BY_EVENT_TYPE = per_bucket(
    "event_type",
    f"sum(tokens_in) / {BUCKET_SECONDS} AS input_tokens_per_second, "
    f"sum(tokens_out) / {BUCKET_SECONDS} AS output_tokens_per_second",
)
IMAGES_PER_MINUTE_BY_PROVIDER = per_bucket(
    "model_provider_used AS provider",
    f"sum(requests) / {PER_BUCKET_MINUTE} AS images_per_minute",
    f"event_type = '{IMAGE_EVENT_TYPE}'",
)
PROVIDER_MODEL = "concat(model_provider_used, ' - ', resolved_model_requested) AS provider_model"


def per_provider_model(measure: str, bucket_seconds: str, rows: str, having: str = "") -> str:
    """``measure`` (an aggregate ``AS`` a name) per bucket of ``bucket_seconds`` and provider x
    model over ``rows`` (a FROM clause), the groups kept by ``having``. Grouped by the key
    columns and named after: a string key built for every row costs twice as much."""
    name = measure.rsplit(" AS ", 1)[-1]
    keep = f"\n    HAVING {having}" if having else ""
    return f"""
SELECT time, {PROVIDER_MODEL}, {name}
FROM
(
    SELECT
        toStartOfInterval(period, INTERVAL {bucket_seconds} second) AS time,
        model_provider_used,
        resolved_model_requested,
        {measure}
    FROM {rows}
    GROUP BY time, model_provider_used, resolved_model_requested{keep}
)
ORDER BY time, provider_model"""


ERROR_RATE_BY_PROVIDER_MODEL = per_provider_model(
    "sum(errors) / sum(requests) AS error_share", BUCKET_SECONDS, LOAD_ROWS
)
# The critical and warning rules' number: 5xx share per provider x model and 10 minutes (or the
# bucket, when longer), where the bucket holds enough requests to judge. Platform-wide, as the
# rules.
SERVER_ERROR_BUCKET = f"greatest($__interval_s, if({MINUTES}, {60 * ALERT_WINDOW_MINUTES}, 3600))"
SERVER_ERRORS_FOR_ALERTS = per_provider_model(
    "sum(status_5xx) / sum(requests) AS server_error_share",
    SERVER_ERROR_BUCKET,
    load(SERVER_ERROR_BUCKET),
    having=f"sum(requests) >= {ALERT_MIN_REQUESTS}",
)

# The sudden-load rule's number: each minute's requests against the average requests per
# minute of the hour before it, the busiest minute per bucket. Platform-wide, as the rule.
SUDDEN_LOAD = f"""
SELECT toStartOfInterval(minute, INTERVAL greatest($__interval_s, 60) second) AS time,
    max(load_ratio) AS load_ratio
FROM
(
    SELECT
        minute,
        minute_requests * 60 / nullIf({trailing_sum("minute_requests", 3600, 60)}, 0)
            AS load_ratio
    FROM
    (
        SELECT minute, requests AS minute_requests
        FROM platform_minutely
        WHERE minute >= $__fromTime - INTERVAL 1 HOUR AND minute <= $__toTime
    )
)
WHERE minute >= $__fromTime
GROUP BY time
ORDER BY time"""

ERROR_RATES = f"""
SELECT
    model_provider_used AS provider,
    resolved_model_requested AS model,
    sum(requests) AS request_count,
    sum(errors) AS error_count,
    sum(errors) / sum(requests) AS error_share,
    sum(status_5xx) / sum(requests) AS server_error_share,
    sum(status_429) / sum(requests) AS rate_limited_share
FROM {load(None)}
WHERE {VARIABLES}
GROUP BY provider, model
ORDER BY error_count DESC, provider, model
LIMIT {TABLE_ROWS}"""

ERRORS_BY_STATUS = f"""
SELECT {HOUR_BUCKET} AS time, toString(response_status) AS status, sum(events) AS errors
FROM {ERROR_SERIES_ROWS}
GROUP BY time, status
ORDER BY time, status"""

ERROR_BREAKDOWN = f"""
SELECT
    response_status AS status,
    error_response_code AS code,
    error_source AS source,
    model_provider_used AS provider,
    resolved_model_requested AS model,
    sum(events) AS error_count,
    sum(total_pollen) AS charged_pollen,
    min(first_at) AS first_error_at,
    max(last_at) AS last_error_at
FROM {ERROR_ROWS}
GROUP BY status, code, source, provider, model
ORDER BY error_count DESC, status, provider, model
LIMIT {TABLE_ROWS}"""

TOP_ERROR_MESSAGES = f"""
SELECT
    message,
    response_status AS status,
    error_response_code AS code,
    model_provider_used AS provider,
    sum(events) AS error_count,
    min(first_at) AS first_seen_at,
    max(last_at) AS last_seen_at
FROM error_messages_daily
WHERE {DAYS} AND {PROVIDER} AND message NOT IN ({sql_list(UNSET_MESSAGES)})
GROUP BY message, status, code, provider
ORDER BY error_count DESC, message
LIMIT {TOP_MESSAGES}"""

# A tier's distinct refused users over the range: one as_of of demand_ranges when the range is
# standard and no model is chosen, else demand_daily's id arrays of the range merged (~750k ids
# for 90 days, the panel's cost).
DEMAND_RANGES = ("demand_ranges", ("model",))
REFUSED_USERS = f"""(
    SELECT user_tier, refused_users
    FROM demand_ranges
    WHERE {ranged_rows(*DEMAND_RANGES)}
    UNION ALL
    SELECT user_tier, uniqExactArray(refused_user_ids)
    FROM demand_daily
    WHERE {daily_rows(*DEMAND_RANGES)} AND {MODEL}
    GROUP BY user_tier
)"""

REFUSED_BY_TIER = f"""
SELECT
    tier,
    request_count,
    refused_count,
    refused_count / request_count AS refused_share,
    refused_users AS refused_user_count,
    insufficient_balance_count,
    rate_limited_count,
    rate_limited_count / request_count AS rate_limited_share
FROM
(
    SELECT
        user_tier AS tier,
        sum(requests) AS request_count,
        sum(refused_402) AS refused_count,
        sum(insufficient_balance_messages) AS insufficient_balance_count,
        sum(rate_limited_429) AS rate_limited_count
    FROM demand_daily
    WHERE {DAYS} AND {MODEL}
    GROUP BY tier
) AS demand
LEFT JOIN {REFUSED_USERS} AS users ON users.user_tier = demand.tier
ORDER BY refused_count DESC, tier"""

REFUSED_OVER_TIME = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    user_tier AS tier,
    sum(refused_402) AS refused,
    sum(rate_limited_429) AS rate_limited
FROM demand_daily
WHERE {DAYS} AND {MODEL}
GROUP BY time, tier
ORDER BY time, tier"""

P95_BY_EVENT_TYPE = f"""
SELECT time, event_type, {quantiles(names=("p95",))}
FROM
(
    SELECT {HOUR_BUCKET} AS time, event_type, sumMap(latency_histogram) AS hist
    FROM {HEALTH_SERIES_ROWS}
    GROUP BY time, event_type
)
ORDER BY time, event_type"""

LATENCY_BY_EVENT_TYPE = f"""
SELECT event_type, provider, request_count, mean_ms, {quantiles()}
FROM
(
    SELECT
        event_type,
        model_provider_used AS provider,
        sum(requests) AS request_count,
        sum(response_time_sum) / sum(requests) AS mean_ms,
        sumMap(latency_histogram) AS hist
    FROM {HEALTH_ROWS}
    GROUP BY event_type, provider
)
ORDER BY request_count DESC, event_type, provider"""

# --- Panels ---------------------------------------------------------------------------------

VARIABLES_ALL = "Variables: provider, model, event type."


def with_threshold_lines(item: JsonDict, *steps: tuple[str, float]) -> JsonDict:
    """Thresholds of ``item`` drawn as lines: green below the first step, then ``steps``."""
    defaults = item["fieldConfig"]["defaults"]
    defaults["thresholds"] = {
        "mode": "absolute",
        "steps": [
            {"color": "green", "value": None},
            *({"color": color, "value": value} for color, value in steps),
        ],
    }
    defaults["custom"]["thresholdsStyle"] = {"mode": "line"}
    return item


def _alert_panels() -> list[JsonDict]:
    """The numbers the alert rules judge, with their thresholds."""
    return [
        with_threshold_lines(
            as_time_series(
                timeseries(
                    "5xx share by provider x model (10-minute windows)",
                    SERVER_ERRORS_FOR_ALERTS,
                    f"5xx / requests per {ALERT_WINDOW_MINUTES} minutes (per hour or Grafana's "
                    "interval beyond a day's range), for provider x model pairs with at least "
                    f"{ALERT_MIN_REQUESTS} requests in the window: the alert rules warn above "
                    f"{SERVER_ERROR_WARNING:.0%} and page above {SERVER_ERROR_CRITICAL:.0%} "
                    f"(over the last {ALERT_WINDOW_MINUTES} minutes load_minutely holds). All "
                    "providers and models.",
                    calcs=("max",),
                )
            ),
            ("orange", SERVER_ERROR_WARNING),
            ("red", SERVER_ERROR_CRITICAL),
        ),
        with_threshold_lines(
            timeseries(
                "Sudden load: a minute against the hour before",
                SUDDEN_LOAD,
                "Requests in a minute / the average requests per minute of the 60 minutes "
                "before it, the highest per bucket. The sudden-load rule fires above "
                f"{SUDDEN_LOAD_RATIO}. All event types, providers and models.",
                calcs=("max",),
            ),
            ("red", SUDDEN_LOAD_RATIO),
        ),
    ]


def _load_panels() -> list[JsonDict]:
    """Peak and average RPM, tokens per second and images per minute."""
    return [
        stat(
            "Requests per minute: peak and average",
            RPM_SUMMARY,
            "Production requests of any status. Peak of one minute; peak of "
            f"{PEAK_WINDOW_MINUTES} consecutive clock minutes averaged (quiet minutes count as "
            "0); average over the minutes from the first to the last request of the range. "
            + VARIABLES_ALL,
            size=(12, 4),
        ),
        stat(
            "Tokens per second and images per minute",
            THROUGHPUT_SUMMARY,
            "Input + output tokens per second and image requests (generate.image) per minute, "
            "averaged from the first to the last request of the range, and their busiest "
            f"minute. {VARIABLES_ALL}",
            size=(12, 4),
        ),
        as_time_series(
            timeseries(
                "Requests per minute by event type",
                RPM_BY_EVENT_TYPE,
                f"Average requests per minute in each bucket. {VARIABLES_ALL}",
                calcs=("mean", "max"),
            )
        ),
        as_time_series(
            timeseries(
                "Requests per minute by provider",
                RPM_BY_PROVIDER,
                f"Average requests per minute in each bucket. {VARIABLES_ALL}",
                calcs=("mean", "max"),
            )
        ),
        as_time_series(
            timeseries(
                "Tokens per second by event type",
                TOKENS_PER_SECOND_BY_EVENT_TYPE,
                "Input (the four prompt counts) and output (the four completion counts) tokens "
                f"per second in each bucket. {VARIABLES_ALL}",
                calcs=("mean", "max"),
            )
        ),
        as_time_series(
            timeseries(
                "Images per minute by provider",
                IMAGES_PER_MINUTE_BY_PROVIDER,
                f"generate.image requests per minute in each bucket. {VARIABLES_ALL}",
                calcs=("mean", "max"),
            )
        ),
    ]


def _error_panels() -> list[JsonDict]:
    """Error rates by provider x model, errors by status, code and source, top messages."""
    scope = "Errors: status >= 400 or outside 100..599."
    return [
        as_time_series(
            timeseries(
                "Error rate by provider x model",
                ERROR_RATE_BY_PROVIDER_MODEL,
                f"Errors / requests in each bucket. {scope} {VARIABLES_ALL}",
                calcs=("mean", "max"),
            )
        ),
        as_time_series(
            timeseries(
                "Errors by status code",
                ERRORS_BY_STATUS,
                f"Errors per exact status (0 = none recorded), hourly. {scope} Variables: "
                "provider, model.",
                calcs=("sum",),
                stacked=True,
            )
        ),
        table(
            "Error rates by provider x model",
            ERROR_RATES,
            "Requests, errors and error / 5xx / 429 shares per provider and requested model in "
            f"the range. {scope} {VARIABLES_ALL}",
            sort_by="error_count",
        ),
        table(
            "Errors by status, code and source",
            ERROR_BREAKDOWN,
            "Per exact status, error_response_code, error_source, provider and model: errors, "
            "Pollen charged for them (0 unless errors are billed), first and last. A 402 has "
            f"code UNKNOWN_ERROR (the gateway maps none). {scope} Variables: provider, model.",
            sort_by="error_count",
        ),
        table(
            "Top error messages",
            TOP_ERROR_MESSAGES,
            f"The {TOP_MESSAGES} most frequent messages, normalised (digit runs -> '#', first "
            "200 characters) so one kind of error is one row, over the UTC days the range "
            "touches; errors without a message are left out. Variable: provider.",
            sort_by="error_count",
            size=(24, 10),
        ),
    ]


def _demand_panels() -> list[JsonDict]:
    """Demand refused for lack of balance (402) and rate limited (429), per tier."""
    return [
        table(
            "Refused demand (402) and rate limiting (429) by tier",
            REFUSED_BY_TIER,
            "Per tier (the request's own), over the UTC days the range touches: requests, "
            "refused for lack of balance (status 402: its code is UNKNOWN_ERROR), the users "
            "refused, insufficient-balance messages (a cross-check: paid-only and spend-policy "
            "402s say otherwise), rate limited (429). Variable: model.",
            sort_by="refused_count",
            size=(12, 8),
        ),
        as_time_series(
            timeseries(
                "Refused (402) and rate-limited (429) requests per day by tier",
                REFUSED_OVER_TIME,
                "Daily, per tier. Variable: model.",
                calcs=("sum",),
                bar_fields=("refused", "rate_limited"),
            )
        ),
    ]


def _latency_panels() -> list[JsonDict]:
    """Latency from health_hourly's histogram, by event type."""
    within = f"{latency.RELATIVE_RESOLUTION:.0%}"
    return [
        with_ms(
            as_time_series(
                timeseries(
                    "Latency p95 by event type",
                    P95_BY_EVENT_TYPE,
                    f"p95 response time per event type, hourly, from the merged latency "
                    f"histograms (within ~{within}). {VARIABLES_ALL}",
                    calcs=("mean", "max"),
                )
            )
        ),
        with_ms(
            table(
                "Latency by event type and provider",
                LATENCY_BY_EVENT_TYPE,
                f"Requests, mean and p50 / p95 / p99 response time in the range (whole hours). "
                f"{VARIABLES_ALL}",
                sort_by="request_count",
                size=(12, 8),
            )
        ),
    ]


def variables() -> list[JsonDict]:
    """Data source, provider, model and event type, with the options of the range."""
    return [
        datasource_variable(),
        query_variable("provider", "Provider", health_values("model_provider_used")),
        query_variable("model", "Model", health_values("resolved_model_requested")),
        query_variable("eventType", "Event type", health_values("event_type")),
    ]


def dashboard() -> JsonDict:
    """The "Pollen Operations" dashboard (``pollen-operations.json``)."""
    board = envelope(
        "pollen-operations",
        "Pollen Operations",
        ["pollen", "operations", "on-call"],
        variables(),
        [
            *_alert_panels(),
            *_load_panels(),
            *_error_panels(),
            *_demand_panels(),
            *_latency_panels(),
        ],
        refresh="5m",  # load_minutely is rebuilt every 5 minutes
        refresh_intervals=("1m", "5m", "15m", "1h"),
    )
    board["time"] = {"from": "now-6h", "to": "now"}  # on call looks at the last hours
    return board
