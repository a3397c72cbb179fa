"""Building blocks of every dashboard: SQL fragments, panels, variables, layout, envelope.

Panels read summary tables only, through the ClickHouse plugin's macros on the tables' own UTC
time columns. Ranges up to 7 days read ``usage_hourly`` in hourly buckets; longer ones read the
daily tables in daily buckets, so one panel works from 1 to 90 days (:func:`by_range`).
``as_of`` tables (windows, cohorts, spikes, segments) are read at the latest ``as_of`` on or
before the range's end (:func:`latest_as_of`). Panels that total a range per developer, app,
referrer or model read one ``as_of`` of a ``*_ranges`` table when the range is standard (7, 30
or 90 whole UTC days) and the table holds its end, else the daily tables: a condition constant
per query picks the branch (:func:`ranged_rows`, :func:`daily_rows`), "holds its end" being a
hidden variable the dashboard sets with the time range (:func:`with_holds_variables`). Variables
use explicit formats and ``$__conditionalAll`` (the plugin drops the condition when All is
selected), so the SQL does not depend on a variable's default formatting.

This module knows no dashboard: the dashboard modules import it, never the other way round.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from pollen_pipeline import contract
from pollen_pipeline.defs.economics.rules import RANGE_WINDOWS, WINDOWS
from pollen_pipeline.defs.health import rules as latency

JsonDict = dict[str, Any]

PLUGIN = "grafana-clickhouse-datasource"
DATASOURCE = {"type": PLUGIN, "uid": "${datasource}"}
POLLEN_UNIT = "suffix: Pollen"
# Field-name conventions of every panel query; the units follow from the names.
POLLEN_FIELDS = ".*pollen.*"
SHARE_FIELDS = ".*(share|momentum).*"
COUNT_FIELDS = ".*_count"
MS_FIELDS = ".*_ms"
SHORT_RANGE_SECONDS = 7 * 24 * 3600  # up to 7 days: hourly buckets (seed 001: hourly for 24h/7D)
TABLE_ROWS = 200  # cap for tables the seed does not limit to $topN
GRID_COLUMNS = 24  # Grafana's grid width

# --- SQL building blocks ------------------------------------------------------------------

SHORT = f"dateDiff('second', $__fromTime, $__toTime) <= {SHORT_RANGE_SECONDS}"
RANGE_END = "toDate($__toTime, 'UTC')"


def day_range(column: str = "day") -> str:
    """Condition: the Date ``column`` is a UTC day the time range touches."""
    return f"{column} BETWEEN toDate($__fromTime, 'UTC') AND {RANGE_END}"


DAYS = day_range()

# A standard range: exactly 7, 30 or 90 UTC days, from a midnight to the last second of a day.
RANGE_DAYS = "dateDiff('day', toDate($__fromTime, 'UTC'), toDate($__toTime, 'UTC')) + 1"
STANDARD_RANGE = f"""toStartOfDay($__fromTime, 'UTC') = $__fromTime
    AND toStartOfDay($__toTime + 1, 'UTC') = $__toTime + 1
    AND {RANGE_DAYS} IN ({", ".join(str(WINDOWS[name]) for name in RANGE_WINDOWS)})"""


HOLDS = "holds_"  # prefix of the hidden variables of holds_range_end


def holds_range_end(table: str) -> str:
    """Condition (a literal once Grafana substitutes it): ``table`` (an as_of table) holds the
    range's end, as its hidden variable ``$holds_<table>`` found when the time range was set
    (:func:`with_holds_variables`). As a scalar subquery in the panel, ClickHouse still planned the
    branches it ruled out: 2-7 ms of a ranked panel's p50 (benchmarks/README.md, "Run 12")."""
    return f"(${HOLDS}{table} = 1)"


def holds_query(table: str) -> str:
    """1 when ``table`` (an as_of table) holds the time range's end, else 0."""
    return f"SELECT toUInt8(count() > 0) FROM {table} WHERE as_of = {RANGE_END}"


def with_holds_variables(variables: list[JsonDict], panels: list[JsonDict]) -> list[JsonDict]:
    """``variables`` with the hidden ``$holds_<table>`` ones their and the panels' SQL names,
    after the data source (which they read) and before the others (whose queries may name them)."""
    found = sorted(set(re.findall(rf"\${HOLDS}(\w+)", json.dumps([variables, panels]))))
    holds = [hidden_query_variable(f"{HOLDS}{table}", holds_query(table)) for table in found]
    sources = [variable for variable in variables if variable["type"] == "datasource"]
    others = [variable for variable in variables if variable["type"] != "datasource"]
    return [*sources, *holds, *others]


def served_by_ranges(table: str, unfiltered: tuple[str, ...] = ()) -> str:
    """Condition (constant per query): the range is standard, ``table`` (a *_ranges table) holds
    the range's end as ``as_of``, and each variable of ``unfiltered`` (filters the table cannot
    apply) is All (``$__conditionalAll`` makes ``0`` true for All)."""
    all_selected = "".join(f"\n    AND $__conditionalAll(0, ${name})" for name in unfiltered)
    return f"{STANDARD_RANGE}\n    AND {holds_range_end(table)}{all_selected}"


def ranged_rows(table: str, unfiltered: tuple[str, ...] = ()) -> str:
    """Condition: rows of ``table`` (a *_ranges table) summing the range, when it serves it."""
    served = served_by_ranges(table, unfiltered)
    return f"{served}\n    AND as_of = {RANGE_END} AND window_days = {RANGE_DAYS}"


def daily_rows(table: str, unfiltered: tuple[str, ...] = ()) -> str:
    """Condition: daily rows of the range, when ``table`` (a *_ranges table) does not serve it."""
    return f"NOT ({served_by_ranges(table, unfiltered)})\n    AND {DAYS}"


def sql_list(values: Iterable[str]) -> str:
    """Quoted SQL literals for ``IN (...)``; the values are the project's own constants."""
    return ", ".join(f"'{value}'" for value in values)


def any_of(column: str, variable: str) -> str:
    """``column`` is one of the values selected in multi-value ``variable`` (no-op for All)."""
    return f"$__conditionalAll({column} IN (${{{variable}:singlequote}}), ${variable})"


# Rows of a range from an hourly table and its daily rollup (health, errors): the rollup's rows
# for the UTC days the range covers whole, the hourly table's for the hours around them. A whole
# day is one whose every hour starts inside the range ($__timeFilter on hours keeps 00:00 ..
# 23:00): from the first midnight at or after the range's start to the end of the last day
# whose 23:00 is at or before its end, and no later than the last day the rollup holds (the
# daily run builds yesterday's after midnight).
WHOLE_DAYS_START = "toStartOfDay($__fromTime + 86399, 'UTC')"


def _whole_days_end(daily: str) -> str:
    return f"""least(
            toStartOfDay($__toTime - 82800, 'UTC') + 86400,
            toDateTime((SELECT max(day) FROM {daily}) + 1, 'UTC'))"""


def hours_and_whole_days(
    hourly: str, daily: str, columns: str, filters: str, bucket_seconds: str | None = None
) -> str:
    """FROM clause: the range's rows of ``columns`` (and ``hour``: a day's row at its midnight)
    that pass ``filters``, from ``hourly`` and its daily rollup ``daily``: the same sums, minima
    and maxima as the hours alone, from ~25 times fewer rows over long ranges. For time series
    (``bucket_seconds``), days are read only when the buckets are whole days: a day's row must
    not stand for several buckets."""
    days = f"modulo({bucket_seconds}, 86400) = 0" if bucket_seconds else "1"
    end = _whole_days_end(daily)
    return f"""(
    SELECT hour, {columns}
    FROM {hourly}
    WHERE $__timeFilter(hour)
        AND NOT ({days} AND hour >= {WHOLE_DAYS_START} AND hour < {end})
    UNION ALL
    SELECT toDateTime(day, 'UTC') AS hour, {columns}
    FROM {daily}
    WHERE {days}
        AND day >= toDate({WHOLE_DAYS_START}, 'UTC')
        AND day < toDate({end}, 'UTC')
)
WHERE {filters}"""


HEALTH_COLUMNS = """model_provider_used, resolved_model_requested, event_type, requests,
        status_2xx, status_4xx, status_429, status_5xx, errors, latency_histogram,
        latency_max_ms, response_time_sum, tokens_in, tokens_out, cache_hits,
        cache_savings_pollen, total_pollen"""


def health_rows(filters: str, bucket_seconds: str | None = None) -> str:
    """FROM clause: the range's health rows (:func:`hours_and_whole_days` of health_hourly
    and health_daily) that pass ``filters``."""
    return hours_and_whole_days(
        "health_hourly", "health_daily", HEALTH_COLUMNS, filters, bucket_seconds
    )


DEVELOPER_KEYS = f"api_key_type IN ({sql_list(contract.DEVELOPER_KEY_TYPES)})"
ENDUSER_KEYS = f"api_key_type IN ({sql_list(contract.ENDUSER_KEY_TYPES)})"
# An app of the app rankings, and its developer (contract.app_id: a BYOP app's keys are one)
APP_ID = contract.app_id(ENDUSER_KEYS)
APP_DEVELOPER = contract.app_developer(ENDUSER_KEYS)
MODEL = any_of("resolved_model_requested", "model")
TIER = any_of("user_tier", "tier")
PROVIDER = any_of("model_provider_used", "provider")
EVENT_TYPE = any_of("event_type", "eventType")
KEY_TYPE = (
    f"$__conditionalAll(if(${{keyType:singlequote}} = 'enduser', {ENDUSER_KEYS}, "
    f"{DEVELOPER_KEYS}), $keyType)"
)
TOP_N = "${topN:raw}"

# Aggregates over rows with the meter columns (model_daily, user_daily, app_daily ...).
PAID = "sum(pack_pollen)"
FREE = "sum(tier_pollen)"
MONEY = f"""sum(total_pollen) AS pollen,
    {PAID} AS paid_pollen,
    {FREE} AS free_pollen,
    {PAID} / nullIf({PAID} + {FREE}, 0) AS paid_share"""
# The same four columns from one row of a *_ranges table, whose meter columns are the range's sums.
RANGED_MONEY = """total_pollen,
        pack_pollen,
        tier_pollen,
        pack_pollen / nullIf(pack_pollen + tier_pollen, 0)"""
FREE_SHARE = f"{FREE} / nullIf({PAID} + {FREE}, 0) AS free_share"
VOLUME = """sum(requests) AS request_count,
    sum(tokens) AS token_count,
    sum(total_pollen) / nullIf(sum(requests), 0) AS pollen_per_request,
    1000 * sum(total_pollen) / nullIf(sum(tokens), 0) AS pollen_per_1k_tokens"""


def quantiles(histogram: str = "hist", names: tuple[str, ...] = tuple(latency.QUANTILES)) -> str:
    """Latency quantile columns (``p50_ms`` ...) of a merged latency histogram column."""
    return ",\n    ".join(
        f"{latency.quantile_sql(histogram, latency.QUANTILES[name])} AS {name}_ms" for name in names
    )


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
    WHERE NOT ({SHORT}) AND {DAYS}
)"""


def developer(day: str) -> str:
    """A developer's name and tier: those of their latest ``day`` in the range (both change)."""
    return (
        f"argMax(user_github_username, {day}) AS developer,\n"
        f"        argMax(user_tier, {day}) AS tier"
    )


# A developer's sums over the range: the same columns from user_daily and user_ranges rows.
DEVELOPER_SUMS = """sum(total_pollen) AS pollen,
        sum(pack_pollen) AS paid_pollen,
        sum(tier_pollen) AS free_pollen,
        sum(requests) AS request_count,
        sum(tokens) AS token_count"""


def developers(tier: str = TIER, *, active_apps: bool = False) -> str:
    """Per developer of the range (``tier`` filters their days): ``user_id``, ``developer``,
    ``tier``, :data:`DEVELOPER_SUMS`, ``active_days`` and ``models_max_per_day``, from one as_of
    of ``user_ranges`` for a standard range, else from the range's developer-days
    (``user_daily_by_user``: user_daily's by month and developer). With ``active_apps``, also
    the keys they used over the range: a column of the same user_ranges rows, else counted in
    app_daily (a join only the un-served branch pays: joined to both, it cost ~15 ms)."""
    served_apps = ",\n        max(active_apps) AS active_apps" if active_apps else ""
    days = f"""SELECT
        user_id,
        {developer("day")},
        {DEVELOPER_SUMS},
        uniqExact(day) AS active_days,
        max(models_used) AS models_max_per_day
    FROM user_daily_by_user
    WHERE {daily_rows("user_ranges")} AND {tier}
    GROUP BY user_id"""
    if active_apps:
        days = f"""SELECT *
    FROM ({days}) AS days
    LEFT JOIN
    (
        SELECT user_id, uniqExact(api_key_id) AS active_apps
        FROM app_daily
        WHERE {daily_rows("user_ranges")}
        GROUP BY user_id
    ) AS apps USING (user_id)"""
    return f"""(
    SELECT
        user_id,
        {developer("last_day")},
        {DEVELOPER_SUMS},
        sum(active_days) AS active_days,
        max(models_max_per_day) AS models_max_per_day{served_apps}
    FROM user_ranges
    WHERE {ranged_rows("user_ranges")} AND {tier}
    GROUP BY user_id
    UNION ALL
    {days}
)"""


def developer_ranking(*columns: str, order: str, limit: str) -> str:
    """Developers of the range (the tier variable applies) with ``columns`` of
    :func:`developers`, ranked by ``order``."""
    selected = ",\n    ".join(("developer", "tier", *columns))
    return f"""
SELECT
    {selected}
FROM {developers()}
ORDER BY {order}
LIMIT {limit}"""


MODEL_COLUMNS = """resolved_model_requested, user_tier, api_key_type,
        pack_pollen, tier_pollen, other_pollen, total_pollen, requests, tokens"""
# Economics rows at model x tier x key type grain: usage_hourly without ROUTER, or model_daily.
MODEL_GRAIN = by_range(
    f"SELECT hour AS bucket, {MODEL_COLUMNS}\n    FROM usage_hourly",
    f"SELECT toDateTime(day, 'UTC') AS bucket, {MODEL_COLUMNS}\n    FROM model_daily",
    hourly_filter="is_router = 0",
)


def model_grain(*filters: str) -> str:
    """``FROM`` clause: the model-grain rows (alias ``src``) that pass every filter."""
    return f"{MODEL_GRAIN} AS src\nWHERE {' AND '.join(filters) or '1'}"


# The range's economics rows at model x tier x key type grain, for panels that total the range
# (no time buckets): usage_hourly without ROUTER for short ranges, one as_of of model_ranges for
# a standard range, else model_daily.
MODEL_TOTALS = f"""(
    SELECT {MODEL_COLUMNS}
    FROM usage_hourly
    WHERE {SHORT} AND $__timeFilter(hour) AND is_router = 0
    UNION ALL
    SELECT {MODEL_COLUMNS}
    FROM model_ranges
    WHERE NOT ({SHORT}) AND {ranged_rows("model_ranges")}
    UNION ALL
    SELECT {MODEL_COLUMNS}
    FROM model_daily
    WHERE NOT ({SHORT}) AND {daily_rows("model_ranges")}
)"""


def model_totals(*filters: str) -> str:
    """``FROM`` clause: the range's model-grain rows (alias ``src``) that pass every filter."""
    return f"{MODEL_TOTALS} AS src\nWHERE {' AND '.join(filters) or '1'}"


# --- Panels --------------------------------------------------------------------------------


def override(matcher: str, pattern: str, *properties: tuple[str, Any]) -> JsonDict:
    """A field override: the fields ``matcher`` (byName, byRegexp) selects get ``properties``."""
    return {
        "matcher": {"id": matcher, "options": pattern},
        "properties": [{"id": key, "value": value} for key, value in properties],
    }


def _unit_overrides(time_series: bool, bar_fields: Iterable[str]) -> list[JsonDict]:
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
        override("byRegexp", POLLEN_FIELDS, ("unit", POLLEN_UNIT)),
        override("byRegexp", SHARE_FIELDS, *share),
        override("byRegexp", COUNT_FIELDS, *counts),
        *(override("byName", name, ("custom.drawStyle", "bars")) for name in bar_fields),
    ]


def target(sql: str, query_type: str) -> JsonDict:
    """The ClickHouse plugin's query: raw SQL, as a time series or a table."""
    return {
        "refId": "A",
        "datasource": DATASOURCE,
        "editorType": "sql",
        "queryType": query_type,
        "format": 0 if query_type == "timeseries" else 1,  # sqlds: 0 time series, 1 table
        "rawSql": sql.strip(),
    }


def plain_panel(
    kind: str,
    title: str,
    sql: str,
    description: str,
    size: tuple[int, int],
    *,
    field_config: JsonDict | None = None,
    options: JsonDict | None = None,
) -> JsonDict:
    """One SQL panel with exactly the field config given (no unit conventions)."""
    query_type = "timeseries" if kind == "timeseries" else "table"
    return {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "gridPos": {"w": size[0], "h": size[1]},
        "targets": [target(sql, query_type)],
        "fieldConfig": field_config or {"defaults": {}, "overrides": []},
        "options": options or {},
    }


def panel(
    kind: str,
    title: str,
    sql: str,
    description: str,
    *,
    size: tuple[int, int] = (12, 8),
    options: JsonDict | None = None,
    custom: JsonDict | None = None,
    bar_fields: Iterable[str] = (),
    transformations: list[JsonDict] | None = None,
    defaults: JsonDict | None = None,
) -> JsonDict:
    """One SQL panel; units come from the field names (``*pollen*``, ``*share*``, ``*_count``)."""
    field_config = {
        "defaults": {"custom": custom or {}, **(defaults or {})},
        "overrides": _unit_overrides(kind == "timeseries", bar_fields),
    }
    item = plain_panel(
        kind, title, sql, description, size, field_config=field_config, options=options
    )
    item["transformations"] = transformations or []
    return item


def with_ms(item: JsonDict) -> JsonDict:
    """Milliseconds for the latency fields (``*_ms``) of ``item``."""
    item["fieldConfig"]["overrides"].append(override("byRegexp", MS_FIELDS, ("unit", "ms")))
    return item


def as_time_series(item: JsonDict) -> JsonDict:
    """Query in time-series format: a string column (model, tier...) becomes one series each."""
    for query in item["targets"]:
        query.update(queryType="timeseries", format=0)
    return item


def alert_at(value: float) -> JsonDict:
    """Thresholds: green below ``value``, red from it on."""
    steps = [{"color": "green", "value": None}, {"color": "red", "value": value}]
    return {"mode": "absolute", "steps": steps}


def legend(*calcs: str) -> JsonDict:
    """A table legend below the panel with the reductions ``calcs`` (sum, mean...)."""
    return {"showLegend": True, "displayMode": "table", "placement": "bottom", "calcs": list(calcs)}


def timeseries(
    title: str,
    sql: str,
    description: str,
    calcs: Iterable[str],
    *,
    stacked: bool = False,
    **kw: Any,
) -> JsonDict:
    """Lines over time (stacked areas with ``stacked``), legend with ``calcs``."""
    custom = {
        "drawStyle": "line",
        "fillOpacity": 35 if stacked else 10,
        "stacking": {"mode": "normal" if stacked else "none", "group": "A"},
        "axisSoftMin": 0,
    }
    options = {"legend": legend(*calcs), "tooltip": {"mode": "multi", "sort": "none"}}
    return panel("timeseries", title, sql, description, custom=custom, options=options, **kw)


def table(title: str, sql: str, description: str, sort_by: str, **kw: Any) -> JsonDict:
    """A table sorted by ``sort_by``, descending; full width unless ``size`` says otherwise."""
    kw.setdefault("size", (24, 9))
    options = {"showHeader": True, "sortBy": [{"displayName": sort_by, "desc": True}]}
    return panel("table", title, sql, description, options=options, **kw)


def bars(title: str, sql: str, description: str, *, x_field: str, **kw: Any) -> JsonDict:
    """Horizontal bars, one group per value of ``x_field``."""
    options = {
        "orientation": "horizontal",
        "xField": x_field,
        "legend": legend(),
        "showValue": "auto",
        "groupWidth": 0.7,
    }
    return panel("barchart", title, sql, description, options=options, **kw)


def stat(title: str, sql: str, description: str, field: str | None = None, **kw: Any) -> JsonDict:
    """Big numbers: every column of the one row, or only ``field``."""
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


def scatter(title: str, sql: str, description: str, x: str, y: str, **kw: Any) -> JsonDict:
    """One point per row, ``x`` against ``y``."""
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


def pie(title: str, sql: str, description: str) -> JsonDict:
    """A donut of the rows' shares, labelled with name and percent."""
    options = {
        "reduceOptions": {"values": True, "calcs": ["lastNotNull"], "fields": ""},
        "pieType": "donut",
        "displayLabels": ["name", "percent"],
        "legend": legend(),
    }
    return panel("piechart", title, sql, description, options=options)


def text(title: str, content: str, size: tuple[int, int] = (24, 5)) -> JsonDict:
    """A markdown panel."""
    return {
        "type": "text",
        "title": title,
        "gridPos": {"w": size[0], "h": size[1]},
        "options": {"mode": "markdown", "content": content.strip()},
    }


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


def data_notes() -> JsonDict:
    """The contract's rules as the economics and usage dashboards state them, last panel."""
    return text("Data notes", DATA_NOTES)


# --- Variables -----------------------------------------------------------------------------

ALL = {"text": "All", "value": "$__all"}


def datasource_variable() -> JsonDict:
    """``$datasource``: any ClickHouse data source, the one every panel reads."""
    return {"name": "datasource", "label": "Data source", "type": "datasource", "query": PLUGIN}


def query_variable(name: str, label: str, sql: str, *, multi: bool = True) -> JsonDict:
    """Options from ``sql``, refreshed with the time range; multi-value ones default to All."""
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
        "current": dict(ALL) if multi else {},
        "sort": 0,
    }


def hidden_query_variable(name: str, sql: str) -> JsonDict:
    """A single value from ``sql``, refreshed with the time range, not on the page."""
    return query_variable(name, name, sql, multi=False) | {"hide": 2}


def custom_variable(
    name: str, label: str, options: list[tuple[str, str]], *, default: str, include_all: bool
) -> JsonDict:
    """A fixed choice of ``(text, value)`` options, ``default`` (a value or ``$__all``) first;
    no other value can be typed in (panels may read rows precomputed for each option)."""
    texts = {value: shown for shown, value in options}
    current = dict(ALL) if default == ALL["value"] else {"text": texts[default], "value": default}
    return {
        "name": name,
        "label": label,
        "type": "custom",
        "query": ",".join(f"{shown} : {value}" for shown, value in options),
        "options": [
            {"text": shown, "value": value, "selected": value == default}
            for shown, value in options
        ],
        "multi": False,
        "includeAll": include_all,
        "allowCustomValue": False,
        "current": current,
    }


def textbox(name: str, label: str, value: str, *, hidden: bool = False) -> JsonDict:
    """Free text defaulting to ``value``; ``hidden`` ones are set in the dashboard settings."""
    variable = {
        "name": name,
        "label": label,
        "type": "textbox",
        "query": value,
        "current": {"text": value, "value": value},
    }
    if hidden:  # hide = 2: not on the page; provisioned without the visible ones' option list
        variable["hide"] = 2
    else:
        variable["options"] = [{"text": value, "value": value, "selected": True}]
        variable.update(includeAll=False, multi=False)
    return variable


def dimension_values(column: str) -> str:
    """Options of a model_daily column in the time range."""
    return f"""SELECT DISTINCT {column} FROM model_daily
WHERE {DAYS} ORDER BY {column}"""


def health_values(column: str) -> str:
    """Options of a health_hourly column (every production request) in the time range."""
    return f"""SELECT DISTINCT {column} FROM health_hourly
WHERE $__timeFilter(hour) ORDER BY {column}"""


def common_variables() -> list[JsonDict]:
    """Data source, model, tier, key type and top N: what :data:`MODEL`, :data:`TIER`,
    :data:`KEY_TYPE` and :data:`TOP_N` read."""
    return [
        datasource_variable(),
        query_variable("model", "Model", dimension_values("resolved_model_requested")),
        query_variable("tier", "Tier", dimension_values("user_tier")),
        custom_variable(
            "keyType",
            "Key type",
            [("Developer", "developer"), ("End-user", "enduser")],
            default=ALL["value"],
            include_all=True,
        ),
        top_n_variable(),
    ]


def top_n_variable() -> JsonDict:
    """``$topN``: how many rows the ranking panels show (:data:`TOP_N`)."""
    return custom_variable(
        "topN", "Top N", [(n, n) for n in ("5", "10", "20", "50")], default="10", include_all=False
    )


# --- Layout and dashboard ------------------------------------------------------------------

QUICK_RANGES = (
    ("1d", "Last 24 hours"),
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
)


def layout(panels: list[JsonDict]) -> list[JsonDict]:
    """Ids and grid positions: panels flow left to right, a new row when one does not fit."""
    x = y = row_height = 0
    for number, item in enumerate(panels, start=1):
        width, height = item["gridPos"]["w"], item["gridPos"]["h"]
        if x + width > GRID_COLUMNS:
            x, y, row_height = 0, y + row_height, 0
        item["id"] = number
        item["gridPos"] = {"x": x, "y": y, "w": width, "h": height}
        x, row_height = x + width, max(row_height, height)
    return panels


def envelope(
    uid: str,
    title: str,
    tags: list[str],
    variables: list[JsonDict],
    panels: list[JsonDict],
    *,
    refresh: str = "",
    refresh_intervals: tuple[str, ...] = ("5m", "15m", "1h", "6h"),
) -> JsonDict:
    """The dashboard envelope: UTC, the last 30 days, quick ranges of 1 to 90 days."""
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
            "time_options": [span for span, _ in QUICK_RANGES],
            "quick_ranges": [
                {"display": label, "from": f"now-{span}", "to": "now"}
                for span, label in QUICK_RANGES
            ],
        },
        "templating": {"list": with_holds_variables(variables, panels)},
        "annotations": {"list": []},
        "links": [],
        "panels": layout(panels),
    }
