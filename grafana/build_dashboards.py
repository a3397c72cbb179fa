"""Builds the provisioned Grafana dashboards in ``grafana/dashboards/`` from readable panel SQL.

    .venv/bin/python grafana/build_dashboards.py      # rewrite the JSON files

Both the code and the generated JSON are committed; a test checks that they agree.

Every panel reads summary tables only (never ``generation_event`` or the internal
``event_facts_hourly``), with the ClickHouse plugin's macros on the tables' own UTC time
columns. Ranges up to 7 days read ``usage_hourly`` in hourly buckets; longer ones read the daily
tables in daily buckets, so one panel works from 1 to 90 days. ``as_of`` tables (windows,
cohorts, spikes, segments) are read at the latest ``as_of`` on or before the range's end.
Variables use explicit formats and ``$__conditionalAll`` (the plugin drops the condition when
All is selected), so the SQL does not depend on a variable's default formatting.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pollen_pipeline import contract, economics

DASHBOARD_DIR = Path(__file__).resolve().parent / "dashboards"
PLUGIN = "grafana-clickhouse-datasource"
DATASOURCE = {"type": PLUGIN, "uid": "${datasource}"}
POLLEN_UNIT = "suffix: Pollen"
# Field-name conventions of every panel query; the units follow from the names.
POLLEN_FIELDS = ".*pollen.*"
SHARE_FIELDS = ".*(share|momentum).*"
COUNT_FIELDS = ".*_count"
SHORT_RANGE_SECONDS = 7 * 24 * 3600  # up to 7 days: hourly buckets (seed 001: hourly for 24h/7D)
TABLE_ROWS = 200  # cap for leaderboards the seed does not limit to $topN

# --- SQL building blocks -------------------------------------------------------------------

SHORT = f"dateDiff('second', $__fromTime, $__toTime) <= {SHORT_RANGE_SECONDS}"
RANGE_END = "toDate($__toTime, 'UTC')"


def _sql_list(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def any_of(column: str, variable: str) -> str:
    """``column`` is one of the values selected in multi-value ``variable`` (no-op for All)."""
    return f"$__conditionalAll({column} IN (${{{variable}:singlequote}}), ${variable})"


DEVELOPER_KEYS = f"api_key_type IN ({_sql_list(contract.DEVELOPER_KEY_TYPES)})"
ENDUSER_KEYS = f"api_key_type IN ({_sql_list(contract.ENDUSER_KEY_TYPES)})"
MODEL = any_of("resolved_model_requested", "model")
TIER = any_of("user_tier", "tier")
KEY_TYPE = (
    f"$__conditionalAll(if(${{keyType:singlequote}} = 'enduser', {ENDUSER_KEYS}, "
    f"{DEVELOPER_KEYS}), $keyType)"
)
TOP_N = "${topN:raw}"

PAID = "sum(pack_pollen)"
FREE = "sum(tier_pollen)"
MONEY = f"""sum(total_pollen) AS pollen,
    {PAID} AS paid_pollen,
    {FREE} AS free_pollen,
    {PAID} / nullIf({PAID} + {FREE}, 0) AS paid_share"""
VOLUME = """sum(requests) AS request_count,
    sum(tokens) AS token_count,
    sum(total_pollen) / nullIf(sum(requests), 0) AS pollen_per_request,
    1000 * sum(total_pollen) / nullIf(sum(tokens), 0) AS pollen_per_1k_tokens"""


def latest_as_of(table: str) -> str:
    """Condition: the row is of the latest ``as_of`` on or before the range's end (UTC)."""
    return f"as_of = (SELECT max(as_of) FROM {table} WHERE as_of <= {RANGE_END})"


def by_range(hourly: str, daily: str, hourly_filter: str | None = None) -> str:
    """Rows of ``hourly`` (a SELECT on usage_hourly) for short ranges, else of ``daily``.

    Both branches return a ``bucket`` column (DateTime, UTC); only one reads rows for a range.
    """
    extra = f" AND {hourly_filter}" if hourly_filter else ""
    return f"""(
    {hourly}
    WHERE {SHORT} AND $__timeFilter(hour){extra}
    UNION ALL
    {daily}
    WHERE NOT ({SHORT}) AND day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC')
)"""


MODEL_COLUMNS = """resolved_model_requested, user_tier, api_key_type,
        pack_pollen, tier_pollen, other_pollen, total_pollen, requests, tokens"""
# Economics rows at model x tier x key type grain: usage_hourly without ROUTER, or model_daily.
MODEL_GRAIN = by_range(
    f"SELECT hour AS bucket, {MODEL_COLUMNS}\n    FROM usage_hourly",
    f"SELECT toDateTime(day, 'UTC') AS bucket, {MODEL_COLUMNS}\n    FROM model_daily",
    hourly_filter="is_router = 0",
)
# All consumption incl. ROUTER: usage_hourly, or the per-day totals of data_quality_daily.
ROUTER_GRAIN = by_range(
    "SELECT hour AS bucket, total_pollen AS all_pollen,\n"
    "        if(is_router = 1, total_pollen, 0) AS router_part\n    FROM usage_hourly",
    "SELECT toDateTime(day, 'UTC') AS bucket, passed_pollen AS all_pollen,\n"
    "        router_pollen AS router_part\n    FROM data_quality_daily",
)


def model_grain(*filters: str) -> str:
    return f"{MODEL_GRAIN} AS src\nWHERE {' AND '.join(filters) or '1'}"


# --- Panels --------------------------------------------------------------------------------


def _override(matcher: str, pattern: str, *properties: tuple[str, Any]) -> dict[str, Any]:
    return {
        "matcher": {"id": matcher, "options": pattern},
        "properties": [{"id": key, "value": value} for key, value in properties],
    }


def _overrides(time_series: bool, bar_fields: Iterable[str]) -> list[dict[str, Any]]:
    share = [("unit", "percentunit"), ("min", 0)]
    if time_series:  # shares are a line on the right axis, never stacked with amounts
        share += [
            ("max", 1),
            ("custom.axisPlacement", "right"),
            ("custom.drawStyle", "line"),
            ("custom.fillOpacity", 0),
            ("custom.stacking", {"mode": "none"}),
        ]
    counts = [("unit", "short")]
    if time_series:  # request counts have their own scale: right axis, unstacked
        counts += [("custom.axisPlacement", "right"), ("custom.stacking", {"mode": "none"})]
    return [
        _override("byRegexp", POLLEN_FIELDS, ("unit", POLLEN_UNIT)),
        _override("byRegexp", SHARE_FIELDS, *share),
        _override("byRegexp", COUNT_FIELDS, *counts),
        *(_override("byName", name, ("custom.drawStyle", "bars")) for name in bar_fields),
    ]


def _target(sql: str, query_type: str) -> dict[str, Any]:
    return {
        "refId": "A",
        "datasource": DATASOURCE,
        "editorType": "sql",
        "queryType": query_type,
        "format": 0 if query_type == "timeseries" else 1,  # sqlds: 0 time series, 1 table
        "rawSql": sql.strip(),
    }


def panel(
    kind: str,
    title: str,
    sql: str,
    description: str,
    *,
    size: tuple[int, int] = (12, 8),
    options: dict[str, Any] | None = None,
    custom: dict[str, Any] | None = None,
    bar_fields: Iterable[str] = (),
    transformations: list[dict[str, Any]] | None = None,
    defaults: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One SQL panel; units come from the field names (``*pollen*``, ``*share*``)."""
    time_series = kind == "timeseries"
    return {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "gridPos": {"w": size[0], "h": size[1]},
        "targets": [_target(sql, "timeseries" if time_series else "table")],
        "fieldConfig": {
            "defaults": {"custom": custom or {}, **(defaults or {})},
            "overrides": _overrides(time_series, bar_fields),
        },
        "options": options or {},
        "transformations": transformations or [],
    }


def alert_at(value: float) -> dict[str, Any]:
    """Thresholds: green below ``value``, red from it on."""
    steps = [{"color": "green", "value": None}, {"color": "red", "value": value}]
    return {"mode": "absolute", "steps": steps}


def legend(*calcs: str) -> dict[str, Any]:
    return {"showLegend": True, "displayMode": "table", "placement": "bottom", "calcs": list(calcs)}


def timeseries(title: str, sql: str, description: str, calcs: Iterable[str], **kw) -> dict:
    stacked = kw.pop("stacked", False)
    custom = {
        "drawStyle": "line",
        "fillOpacity": 35 if stacked else 10,
        "stacking": {"mode": "normal" if stacked else "none", "group": "A"},
        "axisSoftMin": 0,
    }
    options = {"legend": legend(*calcs), "tooltip": {"mode": "multi", "sort": "none"}}
    return panel("timeseries", title, sql, description, custom=custom, options=options, **kw)


def table(title: str, sql: str, description: str, sort_by: str, **kw) -> dict:
    kw.setdefault("size", (24, 9))
    options = {"showHeader": True, "sortBy": [{"displayName": sort_by, "desc": True}]}
    return panel("table", title, sql, description, options=options, **kw)


def bars(title: str, sql: str, description: str, **kw) -> dict:
    options = {
        "orientation": "horizontal",
        "xField": kw.pop("x_field"),
        "legend": legend(),
        "showValue": "auto",
        "groupWidth": 0.7,
    }
    return panel("barchart", title, sql, description, options=options, **kw)


def stat(title: str, sql: str, description: str, field: str | None = None, **kw) -> dict:
    kw.setdefault("size", (6, 4))
    fields = f"/^{field}$/" if field else ""
    options = {
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": fields, "values": False},
        "colorMode": "value",
        "graphMode": "none",
        "textMode": "value_and_name",
        "orientation": "auto",
    }
    return panel("stat", title, sql, description, options=options, **kw)


def scatter(title: str, sql: str, description: str, x: str, y: str, **kw) -> dict:
    options = {
        # Grafana 11 (mapping) and 10 (seriesMapping/dims) read different keys; both are given.
        "mapping": "auto",
        "seriesMapping": "auto",
        "dims": {"x": x},
        "series": [{"x": {"matcher": {"id": "byName", "options": x}}, "y": {}}],
        "legend": legend(),
        "tooltip": {"mode": "single"},
    }
    custom = {"show": "points", "pointSize": {"fixed": 6}}
    return panel("xychart", title, sql, description, options=options, custom=custom, **kw)


def text(title: str, content: str, size: tuple[int, int] = (24, 5)) -> dict[str, Any]:
    return {
        "type": "text",
        "title": title,
        "gridPos": {"w": size[0], "h": size[1]},
        "options": {"mode": "markdown", "content": content.strip()},
    }


# --- Variables -----------------------------------------------------------------------------


def datasource_variable() -> dict[str, Any]:
    return {"name": "datasource", "label": "Data source", "type": "datasource", "query": PLUGIN}


def query_variable(name: str, label: str, sql: str, *, multi: bool = True) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "type": "query",
        "datasource": DATASOURCE,
        "query": sql.strip(),
        "definition": sql.strip(),
        "refresh": 2,  # on time range change: the options are those of the range
        "multi": multi,
        "includeAll": multi,
        "current": {"text": "All", "value": "$__all"} if multi else {},
        "sort": 0,
    }


def custom_variable(
    name: str, label: str, options: list[tuple[str, str]], *, default: str, include_all: bool
) -> dict[str, Any]:
    texts = {value: text for text, value in options}
    current = (
        {"text": "All", "value": "$__all"}
        if default == "$__all"
        else {"text": texts[default], "value": default}
    )
    return {
        "name": name,
        "label": label,
        "type": "custom",
        "query": ",".join(f"{text} : {value}" for text, value in options),
        "options": [
            {"text": text, "value": value, "selected": value == default} for text, value in options
        ],
        "multi": False,
        "includeAll": include_all,
        "current": current,
    }


def dimension_values(column: str) -> str:
    return f"""SELECT DISTINCT {column} FROM model_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') ORDER BY {column}"""


COMMON_VARIABLES = [
    datasource_variable(),
    query_variable("model", "Model", dimension_values("resolved_model_requested")),
    query_variable("tier", "Tier", dimension_values("user_tier")),
    custom_variable(
        "keyType",
        "Key type",
        [("Developer", "developer"), ("End-user", "enduser")],
        default="$__all",
        include_all=True,
    ),
    custom_variable(
        "topN",
        "Top N",
        [(n, n) for n in ("5", "10", "20", "50")],
        default="10",
        include_all=False,
    ),
]
APP_VARIABLE = query_variable(
    "app",
    "App",
    """SELECT api_key_id, concat(argMax(api_key_name, day), ' (', api_key_id, ')') AS label
FROM app_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND is_named_app = 1
GROUP BY api_key_id
ORDER BY sum(total_pollen) DESC
LIMIT 500""",
    multi=False,
)


# --- Dashboard "Pollen Economics" (seed 000) -----------------------------------------------

PAID_VS_FREE = f"""
SELECT
    bucket AS time,
    {PAID} AS paid_pollen,
    {FREE} AS free_pollen,
    {FREE} / nullIf({PAID} + {FREE}, 0) AS free_share
FROM {model_grain(TIER, KEY_TYPE)}
GROUP BY time
ORDER BY time"""

BYOP_SPLIT = f"""
SELECT
    bucket AS time,
    sumIf(pack_pollen, {DEVELOPER_KEYS}) AS developer_paid_pollen,
    sumIf(tier_pollen, {DEVELOPER_KEYS}) AS developer_free_pollen,
    sumIf(pack_pollen, {ENDUSER_KEYS}) AS enduser_paid_pollen,
    sumIf(tier_pollen, {ENDUSER_KEYS}) AS enduser_free_pollen,
    sumIf(pack_pollen + tier_pollen, NOT {DEVELOPER_KEYS} AND NOT {ENDUSER_KEYS})
        AS other_key_types_pollen,
    sumIf(pack_pollen + tier_pollen, {ENDUSER_KEYS})
        / nullIf(sumIf(pack_pollen + tier_pollen, {DEVELOPER_KEYS} OR {ENDUSER_KEYS}), 0)
        AS enduser_share
FROM {model_grain(MODEL)}
GROUP BY time
ORDER BY time"""

# All-time cohorts as known at the range's end; the rate counts cohorts at least 7 days old
# (younger ones can still convert), as the headline numbers of `pollen demo` do.
COHORT = f"""
SELECT
    cohort_users AS active_users,
    within_7d AS converted_7d,
    within_30d AS converted_30d,
    final_converted_7d / nullIf(final_users_7d, 0) AS conversion_rate_7d
FROM
(
    SELECT
        sum(users) AS cohort_users,
        sum(converted_7d) AS within_7d,
        sum(converted_30d) AS within_30d,
        sumIf(converted_7d, is_final_7d = 1) AS final_converted_7d,
        sumIf(users, is_final_7d = 1) AS final_users_7d
    FROM cohort_conversion_daily
    WHERE {latest_as_of("cohort_conversion_daily")}
)"""

MODEL_LEADERBOARD = f"""
SELECT
    resolved_model_requested AS model,
    {MONEY},
    {VOLUME}
FROM {model_grain(TIER, KEY_TYPE)}
GROUP BY model
HAVING request_count >= 1000
ORDER BY paid_share DESC, pollen DESC
LIMIT {TOP_N}"""

TOP_PAID_MODELS = f"""
SELECT resolved_model_requested AS model, {PAID} AS paid_pollen
FROM {model_grain(TIER)}
GROUP BY model
HAVING paid_pollen > 0
ORDER BY paid_pollen DESC
LIMIT {TOP_N}"""

TOP_SUBSIDY_MODELS = f"""
SELECT model, free_pollen, free_pollen / sum(free_pollen) OVER () AS share_of_all_free
FROM
(
    SELECT resolved_model_requested AS model, {FREE} AS free_pollen
    FROM {model_grain(TIER)}
    GROUP BY model
)
WHERE free_pollen > 0
ORDER BY free_pollen DESC
LIMIT {TOP_N}"""

DEVELOPER_SCATTER = f"""
SELECT
    argMax(user_github_username, day) AS developer,
    {FREE} AS free_pollen,
    {PAID} AS paid_pollen
FROM user_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC')
GROUP BY user_id
HAVING paid_pollen + free_pollen >= {economics.SCATTER_MIN_PACK_TIER_POLLEN!r}
ORDER BY paid_pollen DESC"""

APP_LEADERBOARD = f"""
SELECT
    argMax(api_key_name, day) AS app,
    argMax(user_github_username, day) AS developer,
    {PAID} / nullIf({PAID} + {FREE}, 0) AS paid_share,
    sum(total_pollen) AS pollen,
    {PAID} AS paid_pollen,
    {FREE} AS free_pollen,
    sum(requests) AS request_count
FROM app_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND is_named_app = 1
GROUP BY api_key_id
HAVING pollen >= 100
ORDER BY paid_share DESC, pollen DESC
LIMIT {TABLE_ROWS}"""

MOMENTUM = f"""
SELECT
    user_github_username AS developer,
    user_tier AS tier,
    pack_30d AS paid_pollen_30d,
    tier_30d AS free_pollen_30d,
    paid_share_30d,
    active_days_30d,
    momentum,
    enduser_share_30d
FROM user_windows
WHERE {latest_as_of("user_windows")} AND qualifies = 1
ORDER BY momentum DESC, paid_pollen_30d DESC
LIMIT {TOP_N}"""

TIER_OVERLAY = f"""
SELECT
    user_tier AS tier,
    {", ".join(f"paid_share_{name}" for name in economics.QUANTILES)}
FROM tier_overlay_daily
WHERE {latest_as_of("tier_overlay_daily")}
ORDER BY pollen_per_user"""

ROUTER_SHARE = f"""
SELECT
    bucket AS time,
    sum(all_pollen) AS total_pollen_incl_router,
    sum(router_part) AS router_pollen,
    sum(router_part) / nullIf(sum(all_pollen), 0) AS router_share
FROM {ROUTER_GRAIN} AS src
GROUP BY time
ORDER BY time"""

DATA_NOTES = f"""
**Data notes.** Every number counts production, 2xx, billable (`total_price > 0`) requests only.

* **Bug window excluded:** {contract.BUG_WINDOW_START:%Y-%m-%d %H:%M:%S} to
  {contract.BUG_WINDOW_END:%Y-%m-%d %H:%M:%S} UTC (`meter:combined` made paid and free
  indistinguishable).
* **ROUTER excluded** (`user_github_id = '{contract.ROUTER_GITHUB_ID}'`, Pollinations' own
  service account) from every panel except *ROUTER share over time*.
* **BYOP data is young** (`temporary` keys since about 2026-01-01): read the BYOP split as an
  early signal.
* Paid = pack meters, free = tier meters; other meters (dev, `undefined`) count in totals only.
  Shares are 0..1 of paid + free. Amounts are Pollen (about 1 USD), "paid consumption", not
  revenue. Apps named `undefined` or empty are left out of app rankings.
* Ranges up to 7 days are hourly (`usage_hourly`), longer ones daily and count every UTC day
  the range touches; tables of developers, apps, referrers and paths are daily. All times UTC.
  Windowed tables (cohorts, momentum, tier overlay) show the latest day on or before the
  range's end.
"""


def economics_dashboard() -> dict[str, Any]:
    cohort_stats = [
        ("Active users (cohort)", "active_users"),
        ("Converted within 7D", "converted_7d"),
        ("Converted within 30D", "converted_30d"),
        ("Conversion rate (7D)", "conversion_rate_7d"),
    ]
    panels = [
        timeseries(
            "1. Paid vs free consumption over time",
            PAID_VS_FREE,
            "North star: paid (pack) and free (tier) Pollen stacked, free share on the right "
            "axis. Variables: tier, key type.",
            calcs=("sum", "mean"),
            stacked=True,
        ),
        timeseries(
            "2. BYOP split: developer vs end-user keys (early signal)",
            BYOP_SPLIT,
            "Developer keys (secret + publishable) vs end-user keys (temporary), each paid and "
            "free, with the end-user share = end-user / (developer + end-user) pack + tier "
            "Pollen on the right; keys of any other type are shown apart and stay out of the "
            "share. Early signal: about 3 weeks of BYOP data. Variable: model.",
            calcs=("sum", "mean"),
            bar_fields=(
                "developer_paid_pollen",
                "developer_free_pollen",
                "enduser_paid_pollen",
                "enduser_free_pollen",
                "other_key_types_pollen",
            ),
        ),
        *(
            stat(
                f"3. {title}",
                COHORT,
                "Tier-to-pack cohorts, all time (first tier event = signup proxy). The 7D rate "
                "counts cohorts at least 7 days old.",
                field=field,
            )
            for title, field in cohort_stats
        ),
        table(
            "4. Model economics leaderboard",
            MODEL_LEADERBOARD,
            "Per requested model, at least 1000 requests; sorted by paid share (most "
            "economically healthy first). Variables: tier, key type, top N.",
            sort_by="paid_share",
        ),
        bars(
            "5. Top models by paid consumption",
            TOP_PAID_MODELS,
            "Pack-funded Pollen per model (paid consumption, not cash-in). Variables: tier, top N.",
            x_field="model",
        ),
        bars(
            "6. Top models by subsidy burn",
            TOP_SUBSIDY_MODELS,
            "Tier (free) Pollen per model and its share of all free Pollen in the range. "
            "Candidates for throttling, pricing or promotion to paid. Variables: tier, top N.",
            x_field="model",
        ),
        scatter(
            "7. Developer economics scatter",
            DEVELOPER_SCATTER,
            "One dot per developer with at least 10 Pollen of pack + tier in the range (other "
            "meters do not count): free (tier) on X, paid (pack) on Y. Bottom-right = subsidy "
            "risk, top-left = self-funded.",
            x="free_pollen",
            y="paid_pollen",
            size=(24, 9),
        ),
        table(
            "8. App economy leaderboard",
            APP_LEADERBOARD,
            "Apps (API keys) with at least 100 Pollen in the range, unnamed keys excluded; "
            "sorted by paid share.",
            sort_by="paid_share",
        ),
        table(
            "9. Developer economics & momentum",
            MOMENTUM,
            "Developers with more than 10 Pollen of pack in 30 days; momentum = pack 7D / pack "
            "30D (rising stars first). 30-day windows ending on the latest day in the range. "
            "Variable: top N.",
            sort_by="momentum",
        ),
        bars(
            "10. Tier overlay diagnostic: paid share distribution per tier",
            TIER_OVERLAY,
            "Diagnostic only: p10 / p25 / p50 / p75 / p90 of the 30-day paid share of the "
            "developers of each tier. Heavy overlap between tiers = the tiers need redesign.",
            x_field="tier",
        ),
        timeseries(
            "ROUTER share over time (diagnostic)",
            ROUTER_SHARE,
            "All consumption and ROUTER's (left axis) and ROUTER's share (right axis). "
            "Expected trend: down as external usage grows.",
            calcs=("sum", "mean"),
        ),
        text("Data notes", DATA_NOTES),
    ]
    return dashboard(
        "pollen-economics",
        "Pollen Economics",
        ["pollen", "economics"],
        COMMON_VARIABLES,
        panels,
    )


# --- Dashboard "Pollen Usage & Cost" (seed 001) --------------------------------------------

SNAPSHOT = f"""
SELECT
    {MONEY},
    {FREE} / nullIf({PAID} + {FREE}, 0) AS free_share,
    {VOLUME}
FROM {model_grain(MODEL, TIER, KEY_TYPE)}"""

SPEND_OVER_TIME = f"""
SELECT
    bucket AS time,
    {MONEY},
    sum(requests) AS request_count
FROM {model_grain(MODEL, TIER, KEY_TYPE)}
GROUP BY time
ORDER BY time"""

SPIKE_RATIO = f"""
SELECT
    ratio_30d AS spike_ratio_24h_vs_30d,
    pollen_1d AS pollen_24h,
    avg_daily_30d AS avg_daily_pollen_30d,
    paid_1d AS paid_pollen_24h,
    free_1d AS free_pollen_24h
FROM spikes_daily
WHERE {latest_as_of("spikes_daily")} AND entity_type = 'system'"""

TOP_MODELS = f"""
SELECT *, pollen / sum(pollen) OVER () AS cost_share
FROM
(
    SELECT
        resolved_model_requested AS model,
        {MONEY},
        {VOLUME}
    FROM {model_grain(MODEL, TIER, KEY_TYPE)}
    GROUP BY model
)
ORDER BY pollen DESC
LIMIT {TOP_N}"""

MODEL_COST_SHARE = f"""
SELECT
    resolved_model_requested AS model,
    cost_share_1d,
    cost_share_30d,
    cost_share_change,
    total_1d AS pollen_1d,
    total_30d AS pollen_30d
FROM model_windows
WHERE {latest_as_of("model_windows")} AND {MODEL}
ORDER BY abs(ifNull(cost_share_change, 0)) DESC, pollen_30d DESC
LIMIT {TOP_N}"""

TOP_APPS = f"""
SELECT
    app, key_type, developer, pollen, paid_pollen, free_pollen, paid_share,
    request_count, token_count, pollen_per_request, models_max_per_day, referrer_domains
FROM
(
    SELECT
        api_key_id,
        argMax(api_key_name, day) AS app,
        argMax(api_key_type, day) AS key_type,
        argMax(user_github_username, day) AS developer,
        {MONEY},
        {VOLUME},
        max(models_used) AS models_max_per_day
    FROM app_daily
    WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND is_named_app = 1 AND {KEY_TYPE}
    GROUP BY api_key_id
) AS apps
LEFT JOIN
(
    SELECT api_key_id, uniqExact(referrer_domain) AS referrer_domains
    FROM referrer_daily
    WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC')
    GROUP BY api_key_id
) AS referrers USING (api_key_id)
ORDER BY pollen DESC
LIMIT {TOP_N}"""

TOP_DEVELOPERS = f"""
SELECT
    developer, tier, pollen, paid_pollen, free_pollen, paid_share, request_count, token_count,
    active_apps, models_max_per_day
FROM
(
    SELECT
        user_id,
        argMax(user_github_username, day) AS developer,
        argMax(user_tier, day) AS tier,
        {MONEY},
        {VOLUME},
        max(models_used) AS models_max_per_day
    FROM user_daily
    WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND {TIER}
    GROUP BY user_id
) AS developers
LEFT JOIN
(
    SELECT user_id, uniqExact(api_key_id) AS active_apps
    FROM app_daily
    WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC')
    GROUP BY user_id
) AS apps USING (user_id)
ORDER BY pollen DESC
LIMIT {TOP_N}"""

APP_DRILLDOWN = f"""
SELECT *, pollen / sum(pollen) OVER () AS app_cost_share
FROM
(
    SELECT
        resolved_model_requested AS model,
        {MONEY},
        {VOLUME}
    FROM app_model_daily
    WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND api_key_id = ${{app:singlequote}}
    GROUP BY model
)
ORDER BY pollen DESC"""

CONSISTENCY = f"""
SELECT
    argMax(user_github_username, day) AS developer,
    argMax(user_tier, day) AS tier,
    uniqExact(day) AS active_days,
    sum(total_pollen) AS pollen,
    sum(requests) AS request_count
FROM user_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND {TIER}
GROUP BY user_id
ORDER BY active_days DESC, pollen DESC
LIMIT {TOP_N}"""

# Per developer over the range: Pollen, tokens and the tier of their latest day.
PER_DEVELOPER = """(
    SELECT
        user_id,
        argMax(user_github_username, day) AS developer,
        argMax(user_tier, day) AS tier,
        sum(total_pollen) AS user_pollen,
        sum(pack_pollen) AS user_paid,
        sum(tier_pollen) AS user_free,
        sum(tokens) AS user_tokens
    FROM user_daily
    WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC')
    GROUP BY user_id
)"""

TIER_CONCENTRATION = f"""
SELECT
    tier,
    pollen,
    pollen / sum(pollen) OVER () AS pollen_share,
    users,
    users / sum(users) OVER () AS user_share,
    pollen / users AS pollen_per_user,
    paid_share
FROM
(
    SELECT
        tier,
        sum(user_pollen) AS pollen,
        count() AS users,
        sum(user_paid) / nullIf(sum(user_paid) + sum(user_free), 0) AS paid_share
    FROM {PER_DEVELOPER}
    GROUP BY tier
)
ORDER BY pollen DESC"""

TIER_SCATTER = f"""
SELECT user_tokens AS tokens, user_pollen AS pollen, tier, developer
FROM {PER_DEVELOPER}
ORDER BY tier, pollen DESC"""

SEGMENT_ORDER = f"indexOf([{_sql_list(economics.SEGMENT_LABELS)}], segment)"
IMPLICIT_TIERS = f"""
SELECT
    segment,
    users,
    pollen_30d,
    pollen_30d / sum(pollen_30d) OVER () AS pollen_share,
    pollen_30d / users AS pollen_per_user,
    arrayStringConcat(
        arrayMap(x -> concat(x.1, ': ', toString(x.2)), arrayReverseSort(x -> x.2, mix)), ', '
    ) AS current_tier_mix
FROM
(
    SELECT segment, sum(tier_users) AS users, sum(tier_pollen_30d) AS pollen_30d,
        groupArray((toString(user_tier), tier_users)) AS mix
    FROM
    (
        SELECT segment, user_tier, count() AS tier_users, sum(total_30d) AS tier_pollen_30d
        FROM user_segments
        WHERE {latest_as_of("user_segments")}
        GROUP BY segment, user_tier
    )
    GROUP BY segment
)
ORDER BY {SEGMENT_ORDER}"""

WHO_CHANGED = f"""
SELECT
    entity_type AS kind,
    entity_name AS name,
    pollen_1d AS pollen_24h,
    avg_daily_7d AS avg_daily_pollen_7d,
    ratio_7d AS ratio_24h_vs_7d,
    paid_1d AS paid_pollen_24h,
    free_1d AS free_pollen_24h,
    ratio_30d AS ratio_24h_vs_30d,
    is_spike
FROM spikes_daily
WHERE {latest_as_of("spikes_daily")} AND entity_type IN ('user', 'app') AND pollen_1d > 0
ORDER BY ratio_24h_vs_7d DESC NULLS LAST, pollen_24h DESC
LIMIT {TOP_N}"""

REFERRERS = f"""
SELECT
    domain,
    sum(app_pollen) AS pollen,
    sum(app_paid) AS paid_pollen,
    sum(app_free) AS free_pollen,
    sum(app_requests) AS request_count,
    count() AS apps,
    argMax(app_name, app_pollen) AS top_app
FROM
(
    SELECT
        referrer_domain AS domain,
        api_key_id,
        argMax(api_key_name, day) AS app_name,
        sum(total_pollen) AS app_pollen,
        sum(pack_pollen) AS app_paid,
        sum(tier_pollen) AS app_free,
        sum(requests) AS app_requests
    FROM referrer_daily
    WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC')
    GROUP BY domain, api_key_id
)
GROUP BY domain
ORDER BY pollen DESC
LIMIT {TOP_N}"""

REQUEST_PATHS = f"""
SELECT
    request_path AS path,
    {MONEY},
    {VOLUME},
    max(models_used) AS models_max_per_day
FROM request_path_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND {TIER} AND {KEY_TYPE}
GROUP BY path
ORDER BY pollen DESC
LIMIT {TOP_N}"""

ROUTING = f"""
SELECT
    requested_model,
    used_model,
    provider,
    rerouted,
    request_count,
    request_count / sum(request_count) OVER (PARTITION BY requested_model)
        AS share_of_requested,
    pollen
FROM
(
    SELECT
        resolved_model_requested AS requested_model,
        model_used AS used_model,
        model_provider_used AS provider,
        max(is_rerouted) AS rerouted,
        sum(requests) AS request_count,
        sum(total_pollen) AS pollen
    FROM routing_daily
    WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND {MODEL}
    GROUP BY requested_model, used_model, provider
)
ORDER BY rerouted DESC, pollen DESC
LIMIT {TABLE_ROWS}"""

KEY_TYPES = f"""
SELECT
    api_key_type AS key_type,
    {MONEY},
    {VOLUME},
    uniqExact(resolved_model_requested) AS models_used
FROM {model_grain(MODEL, TIER)}
GROUP BY key_type
ORDER BY pollen DESC"""

BILLING = f"""
SELECT
    api_key_type AS key_type,
    sum(requests) AS request_count,
    sum(billed_requests) AS billed,
    sum(unbilled_requests) AS unbilled,
    sum(unbilled_requests) / nullIf(sum(requests), 0) AS unbilled_share,
    sum(cache_hit_requests) AS cache_hits,
    sum(total_pollen) AS pollen
FROM request_path_daily
WHERE day BETWEEN toDate($__fromTime, 'UTC') AND toDate($__toTime, 'UTC') AND {TIER}
GROUP BY key_type
ORDER BY pollen DESC"""


def usage_dashboard() -> dict[str, Any]:
    panels = [
        stat(
            "System snapshot",
            SNAPSHOT,
            "Total, paid, free Pollen, paid share, requests, tokens, Pollen per request and per "
            "1K tokens for the range. Variables: model, tier, key type.",
            size=(24, 4),
        ),
        timeseries(
            "Spend over time",
            SPEND_OVER_TIME,
            "Pollen per hour (ranges up to 7 days) or per day, paid and free, with requests.",
            calcs=("sum",),
        ),
        stat(
            "24h vs 30D spike ratio",
            SPIKE_RATIO,
            "Pollen of the latest full UTC day / (Pollen of the 30 days up to it / 30). 2 or "
            "more = today is abnormal: investigate.",
            field="spike_ratio_24h_vs_30d",
            size=(12, 8),
            defaults={"decimals": 2, "thresholds": alert_at(economics.SPIKE_MIN_RATIO_30D)},
        ),
        table(
            "Top models by Pollen",
            TOP_MODELS,
            "Budget hogs, with the paid/free mix and unit costs. Variables: model, tier, key "
            "type, top N.",
            sort_by="pollen",
        ),
        table(
            "Model cost share: 24h vs 30D",
            MODEL_COST_SHARE,
            "Share of all Pollen per model on the latest full day vs its 30 days; the largest "
            "changes first (which model suddenly takes more budget).",
            sort_by="cost_share_change",
        ),
        table(
            "Top apps by Pollen",
            TOP_APPS,
            "Apps (API keys, unnamed excluded) with paid/free mix, model and referrer "
            "diversity. Variables: key type, top N.",
            sort_by="pollen",
        ),
        table(
            "Top developers by Pollen",
            TOP_DEVELOPERS,
            "Heavy users with their current tier (an overlay, not truth), paid/free mix, "
            "active apps. Variables: tier, top N.",
            sort_by="pollen",
        ),
        table(
            "App drill-down: model mix of ${app:text}",
            APP_DRILLDOWN,
            "Pick an app in the $app variable: which models drive its cost.",
            sort_by="pollen",
        ),
        table(
            "Developer consistency (active days)",
            CONSISTENCY,
            "Distinct UTC days with usage in the range: consistent users vs one-off spikes.",
            sort_by="active_days",
            size=(12, 9),
        ),
        table(
            "Tier cost concentration",
            TIER_CONCENTRATION,
            "Share of Pollen and of users per current tier, Pollen per user. A tiny tier "
            "costing a lot = tier assignment is broken.",
            sort_by="pollen",
            size=(12, 9),
        ),
        scatter(
            "Tier scatter: tokens vs Pollen per developer",
            TIER_SCATTER,
            "One dot per developer, coloured by current tier. Tiers that do not stratify the "
            "dots do not describe behaviour.",
            x="tokens",
            y="pollen",
            transformations=[
                {"id": "partitionByValues", "options": {"fields": ["tier"], "keepFields": False}}
            ],
        ),
        table(
            "Implicit tiers: 30D Pollen segments",
            IMPLICIT_TIERS,
            "Developers ranked by 30-day Pollen into top 5% / next 15% / middle 60% / bottom "
            "20%, with the current tiers inside each segment.",
            sort_by="pollen_30d",
            size=(12, 8),
        ),
        table(
            "Who changed today? (24h vs 7D)",
            WHO_CHANGED,
            "Users and apps whose latest full day is far above their 7-day daily average; paid "
            "vs free says whether it is paid growth or free burn. Variable: top N.",
            sort_by="ratio_24h_vs_7d",
        ),
        table(
            "Referrer domains",
            REFERRERS,
            "Where usage comes from: Pollen, requests, apps and the top app per referrer "
            "domain. Variable: top N.",
            sort_by="pollen",
        ),
        table(
            "Request paths",
            REQUEST_PATHS,
            "Which API surface consumes the budget. Variables: tier, key type, top N.",
            sort_by="pollen",
            size=(12, 8),
        ),
        table(
            "API key types",
            KEY_TYPES,
            "secret / publishable (developer) vs temporary (end-user, BYOP). Variables: model, "
            "tier.",
            sort_by="pollen",
            size=(12, 8),
        ),
        table(
            "Routing integrity: requested vs used model",
            ROUTING,
            "Requests whose model used differs from the model requested come first, with what "
            "they cost. Variable: model (requested).",
            sort_by="rerouted",
        ),
        table(
            "Billed vs unbilled usage",
            BILLING,
            "Requests flagged is_billed_usage or not, per key type. The facts hold billed "
            "request counts, not billed Pollen. Variable: tier.",
            sort_by="pollen",
        ),
        text("Data notes", DATA_NOTES),
    ]
    return dashboard(
        "pollen-usage-cost",
        "Pollen Usage & Cost",
        ["pollen", "usage", "cost"],
        [*COMMON_VARIABLES, APP_VARIABLE],
        panels,
    )


# --- Dashboards ----------------------------------------------------------------------------


def _layout(panels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ids and grid positions: panels flow left to right, 24 columns wide."""
    x = y = row_height = 0
    for number, item in enumerate(panels, start=1):
        width, height = item["gridPos"]["w"], item["gridPos"]["h"]
        if x + width > 24:
            x, y, row_height = 0, y + row_height, 0
        item["id"] = number
        item["gridPos"] = {"x": x, "y": y, "w": width, "h": height}
        x, row_height = x + width, max(row_height, height)
    return panels


def dashboard(
    uid: str,
    title: str,
    tags: list[str],
    variables: list[dict],
    panels: list[dict],
    *,
    refresh: str = "",
    refresh_intervals: tuple[str, ...] = ("5m", "15m", "1h", "6h"),
) -> dict[str, Any]:
    ranges = [("1d", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days")]
    ranges.append(("90d", "Last 90 days"))
    return {
        "uid": uid,
        "title": title,
        "tags": tags,
        "timezone": "utc",
        "editable": True,
        "graphTooltip": 1,
        "schemaVersion": 39,
        "version": 1,
        "refresh": refresh,
        "time": {"from": "now-30d", "to": "now"},
        "timepicker": {
            "refresh_intervals": list(refresh_intervals),
            "time_options": [span for span, _ in ranges],
            "quick_ranges": [
                {"display": label, "from": f"now-{span}", "to": "now"} for span, label in ranges
            ],
        },
        "templating": {"list": variables},
        "annotations": {"list": []},
        "links": [],
        "panels": _layout(panels),
    }


def health_dashboard() -> dict[str, Any]:
    """The "Pollen Platform Health" dashboard (issue 7): its panels live in
    build_health_dashboard.py and use the helpers above (imported when called, so neither
    module imports the other first)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import build_health_dashboard

    return build_health_dashboard.health_dashboard()


DASHBOARDS = {
    "pollen-economics.json": economics_dashboard,
    "pollen-usage-cost.json": usage_dashboard,
    "pollen-platform-health.json": health_dashboard,
}


def render_all() -> dict[str, str]:
    """File name -> JSON text of every dashboard."""
    return {name: json.dumps(build(), indent=2) + "\n" for name, build in DASHBOARDS.items()}


def main() -> int:
    DASHBOARD_DIR.mkdir(parents=True, exist_ok=True)
    for name, content in render_all().items():
        (DASHBOARD_DIR / name).write_text(content)
        print(f"wrote {DASHBOARD_DIR / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
