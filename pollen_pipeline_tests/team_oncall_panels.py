"""The legacy on-call panels (errors @ 20a279ca, platform-load @ 9082af6b, overview @ 3d545b95)
asked of raw v1 rows, as the team wrote them: every environment, price and user, bug window
kept, count(DISTINCT request_id) for requests. Their $granularity at each dashboard's default:
minute on errors and overview (date_trunc('minute') is toStartOfMinute), hour on platform-load
(date_trunc('hour') is toStartOfHour); $__timeFilter and $__fromTime/$__toTime over a fixed range
of whole UTC minutes. Where their ORDER BY leaves ties, the series key breaks them."""

from __future__ import annotations

RANGE = "start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}"
MINUTE = "toStartOfMinute(start_time, 'UTC')"
HOUR = "toStartOfHour(start_time, 'UTC')"
OK = "response_status >= 200 AND response_status < 300"
KNOWN_MODEL = "model_used != '' AND model_used != 'undefined'"
PROMPT = (
    "token_count_prompt_text + token_count_prompt_audio + token_count_prompt_image "
    "+ token_count_prompt_cached"
)
COMPLETION = (
    "token_count_completion_text + token_count_completion_reasoning "
    "+ token_count_completion_audio + token_count_completion_image"
)

# errors: the series is provider and model, the requested one unless the request named none.
PROVIDER_MODEL = """concat(model_provider_used, ' - ', CASE WHEN resolved_model_requested !=
    'undefined' AND resolved_model_requested != '' THEN resolved_model_requested
    ELSE model_used END)"""
ERROR = "response_status >= 400 AND response_status != 403"
# The provider_model variable at "All": every series with an error in the range.
ALL_SERIES = f"""{PROVIDER_MODEL} IN (SELECT DISTINCT {PROVIDER_MODEL} FROM $v1
    WHERE {RANGE} AND {ERROR})"""


def status_share(status: int) -> str:
    """errors 10-22: one status's share of every request of the series and minute."""
    return f"""SELECT {MINUTE} AS ts, {PROVIDER_MODEL} AS provider_model,
        countIf(response_status = {status}) * 100.0 / count() AS error_rate
    FROM $v1 WHERE {RANGE} AND {ALL_SERIES}
    GROUP BY ts, provider_model HAVING countIf(response_status = {status}) > 0
    ORDER BY ts, provider_model"""


# platform-load: successful requests (2xx); per minute for its peaks (their SQL fixes the minute).
SUCCESS = f"{RANGE} AND {OK}"
PER_MINUTE = f"""SELECT {MINUTE} AS ts, count(DISTINCT request_id) AS rpm FROM $v1
    WHERE {SUCCESS} GROUP BY ts"""
TEXT = f"{SUCCESS} AND event_type = 'generate.text'"
IMAGE = f"{SUCCESS} AND event_type = 'generate.image'"
SPANNED_SECONDS = "GREATEST(1, dateDiff('second', min(start_time), max(start_time)))"
# At the hour, their per-minute rates divide the hour's count by 60, per-second ones its sum by
# 3600 (their CASE on $granularity).
RPM = "count(DISTINCT request_id) / 60"


def hourly(measures: str, where: str, series: str = "") -> str:
    """A platform-load series at their $granularity's default, hour: per hour (and ``series``)."""
    keys = f"ts, {series}" if series else "ts"
    return f"""SELECT {HOUR} AS ts, {f"{series}, " if series else ""}{measures}
    FROM $v1 WHERE {where} GROUP BY {keys} ORDER BY {keys}"""


ERRORS = {
    ("errors", 2): f"""SELECT {MINUTE} AS ts, {PROVIDER_MODEL} AS provider_model,
        count(DISTINCT request_id) AS errors
    FROM $v1 WHERE {RANGE} AND {ALL_SERIES} AND {ERROR}
    GROUP BY ts, provider_model ORDER BY ts, provider_model""",
    ("errors", 3): f"""SELECT ts, provider_model,
        error_count * 100.0 / (error_count + success_count) AS error_rate
    FROM (
        SELECT {MINUTE} AS ts, {PROVIDER_MODEL} AS provider_model,
            countIf({ERROR}) AS error_count, countIf({OK}) AS success_count
        FROM $v1 WHERE {RANGE} AND {ALL_SERIES}
        GROUP BY ts, provider_model HAVING error_count > 0 OR success_count > 0
    ) WHERE error_count > 0 ORDER BY ts, provider_model""",
    **{
        ("errors", panel): status_share(status)
        for panel, status in (
            (10, 400),
            (11, 401),
            (12, 402),
            (13, 404),
            (16, 422),
            (17, 429),
            (20, 500),
            (21, 502),
            (22, 503),
        )
    },
}

PLATFORM_LOAD = {
    ("platform-load", 101): f"""SELECT round(count(DISTINCT request_id)
        / GREATEST(1, uniqExact(toDate(start_time, 'UTC'))), 0) FROM $v1 WHERE {RANGE} AND {OK}""",
    ("platform-load", 102): f"""SELECT round(count(DISTINCT request_id)
        / GREATEST(1, dateDiff('minute', min(start_time), max(start_time))), 1)
    FROM $v1 WHERE {RANGE} AND {OK}""",
    ("platform-load", 103): f"SELECT max(rpm) FROM ({PER_MINUTE})",
    ("platform-load", 104): f"""WITH per_min AS ({PER_MINUTE})
    SELECT round(max(rolling_rpm), 1) FROM (
        SELECT avg(rpm) OVER (ORDER BY ts ROWS BETWEEN 14 PRECEDING AND CURRENT ROW) AS rolling_rpm
        FROM per_min)""",
    ("platform-load", 105): f"""SELECT round(max(rpm) / GREATEST(1, avg(rpm)), 2)
    FROM ({PER_MINUTE})""",
    ("platform-load", 201): hourly(RPM, SUCCESS),
    ("platform-load", 202): hourly(RPM, SUCCESS, "event_type"),
    ("platform-load", 203): hourly(
        RPM,
        f"{SUCCESS} AND model_provider_used != '' AND model_provider_used != 'undefined'",
        "model_provider_used",
    ),
    ("platform-load", 301): hourly(
        f"SUM({PROMPT}) / 3600, SUM({COMPLETION}) / 3600, SUM({PROMPT} + {COMPLETION}) / 3600", TEXT
    ),
    ("platform-load", 302): f"SELECT round(SUM({PROMPT}) / {SPANNED_SECONDS}, 0) FROM $v1 "
    f"WHERE {TEXT}",
    ("platform-load", 303): f"SELECT round(SUM({COMPLETION}) / {SPANNED_SECONDS}, 0) FROM $v1 "
    f"WHERE {TEXT}",
    ("platform-load", 304): f"""SELECT round(SUM({PROMPT} + {COMPLETION}) / {SPANNED_SECONDS}, 0)
    FROM $v1 WHERE {TEXT}""",
    ("platform-load", 305): f"""SELECT round(max(total_tok_sec), 0) FROM (
        SELECT {MINUTE} AS ts, SUM({PROMPT} + {COMPLETION}) / 60.0 AS total_tok_sec
        FROM $v1 WHERE {TEXT} GROUP BY ts)""",
    ("platform-load", 306): hourly(
        f"SUM({PROMPT} + {COMPLETION}) / 3600", f"{TEXT} AND {KNOWN_MODEL}", "model_used"
    ),
    ("platform-load", 401): hourly(RPM, IMAGE),
    ("platform-load", 402): hourly(RPM, f"{IMAGE} AND {KNOWN_MODEL}", "model_used"),
    ("platform-load", 403): f"""SELECT model_used AS model, count(DISTINCT request_id) AS total
    FROM $v1 WHERE {IMAGE} AND {KNOWN_MODEL} GROUP BY model ORDER BY total DESC, model LIMIT 10""",
    ("platform-load", 501): f"""SELECT model_used AS Model, model_provider_used AS Provider,
        count(DISTINCT request_id) AS Requests,
        round(count(DISTINCT request_id)
            / GREATEST(1, dateDiff('minute', min(start_time), max(start_time))), 2),
        round(avg({PROMPT}), 0), round(avg({COMPLETION}), 0), round(SUM(total_cost), 2)
    FROM $v1 WHERE {RANGE} AND {OK} AND {KNOWN_MODEL}
    GROUP BY model_used, model_provider_used ORDER BY Requests DESC, Model, Provider""",
    ("platform-load", 502): hourly(
        "count(DISTINCT request_id)", f"{SUCCESS} AND {KNOWN_MODEL}", "model_used"
    ),
    ("platform-load", 601): hourly(
        "avg(date_diff('millisecond', start_time, end_time))",
        f"{SUCCESS} AND end_time > start_time",
        "event_type",
    ),
    ("platform-load", 602): hourly(f"round(avg({PROMPT}), 0), round(avg({COMPLETION}), 0)", TEXT),
    ("platform-load", 603): f"""SELECT event_type,
        round(countIf(cache_hit = true) * 100.0 / GREATEST(1, count()), 2) AS cache_hit_pct
    FROM $v1 WHERE {RANGE} AND {OK} GROUP BY event_type ORDER BY cache_hit_pct DESC, event_type""",
}


def status_distribution(event_type: str) -> str:
    """overview 5758 / 5786: each status class's share of the minute's requests, 403 out."""
    return f"""WITH total_requests AS (
        SELECT {MINUTE} AS ts, count() AS total FROM $v1
        WHERE {RANGE} AND response_status != 403 AND event_type = '{event_type}' GROUP BY ts
    ), status_counts AS (
        SELECT {MINUTE} AS ts, CASE
                WHEN response_status >= 200 AND response_status < 300 THEN '2xx Success'
                WHEN response_status >= 400 AND response_status < 500 THEN '4xx Client Errors'
                WHEN response_status >= 500 AND response_status < 600 THEN '5xx Server Errors'
                ELSE 'Other' END AS status_category,
            count() AS status_count
        FROM $v1 WHERE {RANGE} AND response_status != 403 AND event_type = '{event_type}'
        GROUP BY ts, status_category
    )
    SELECT s.ts, s.status_category, s.status_count * 100.0 / t.total
    FROM status_counts s INNER JOIN total_requests t ON s.ts = t.ts
    WHERE s.status_category != 'Other' ORDER BY s.ts, s.status_category"""


TEXT_OR_IMAGE = "event_type IN ('generate.text', 'generate.image')"
OVERVIEW = {
    ("overview", 5758): status_distribution("generate.text"),
    ("overview", 5786): status_distribution("generate.image"),
    ("overview", 5800): f"""SELECT {MINUTE} AS ts,
        concat(model_provider_used, ' - ', model_used) AS provider_model,
        count(DISTINCT request_id)
    FROM $v1 WHERE {RANGE} AND {OK}
    GROUP BY ts, model_provider_used, model_used ORDER BY ts, model_provider_used, model_used""",
    ("overview", 5742): f"""SELECT {MINUTE} AS ts, resolved_model_requested AS model,
        count(DISTINCT request_id)
    FROM $v1 WHERE {RANGE} AND {OK} GROUP BY ts, model ORDER BY ts, model""",
    ("overview", 5752): f"""SELECT {MINUTE} AS ts, event_type,
        countIf(cache_hit = true) * 100.0 / count()
    FROM $v1 WHERE {RANGE} AND {TEXT_OR_IMAGE} GROUP BY ts, event_type ORDER BY ts, event_type""",
    ("overview", 5761): f"""SELECT {MINUTE} AS ts, event_type, count(DISTINCT request_id)
    FROM $v1 WHERE {RANGE} AND {TEXT_OR_IMAGE} GROUP BY ts, event_type ORDER BY ts, event_type""",
    ("overview", 5795): f"""SELECT {MINUTE} AS ts, model_provider_used, count(DISTINCT request_id)
    FROM $v1 WHERE {RANGE} AND {OK}
    GROUP BY ts, model_provider_used ORDER BY ts, model_provider_used""",
}

ONCALL = {**ERRORS, **PLATFORM_LOAD, **OVERVIEW}
