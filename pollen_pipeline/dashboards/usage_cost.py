"""The "Pollen Usage & Cost" dashboard (seed 001): where the budget goes, and who changed today."""

from __future__ import annotations

from pollen_pipeline import contract
from pollen_pipeline.dashboards.grafana import (
    APP_DEVELOPER,
    APP_ID,
    DAYS,
    ENDUSER_KEYS,
    FREE_SHARE,
    KEY_TYPE,
    MODEL,
    MONEY,
    RANGED_MONEY,
    TABLE_ROWS,
    TIER,
    TOP_N,
    VOLUME,
    JsonDict,
    alert_at,
    common_variables,
    daily_rows,
    data_notes,
    developer_ranking,
    developers,
    envelope,
    latest_as_of,
    model_grain,
    model_totals,
    query_variable,
    ranged_rows,
    scatter,
    sql_list,
    stat,
    table,
    timeseries,
)
from pollen_pipeline.defs.economics.spikes_daily.rules import SPIKE_MIN_RATIO_30D
from pollen_pipeline.defs.economics.user_segments.rules import SEGMENT_LABELS

# --- SQL: spend and models ----------------------------------------------------------------


def models_by_pollen(share: str, rows: str) -> str:
    """Per requested model of ``rows`` (a FROM clause): Pollen, unit costs and, as ``share``,
    its share of all their Pollen; the most expensive first."""
    return f"""
SELECT *, pollen / sum(pollen) OVER () AS {share}
FROM
(
    SELECT
        resolved_model_requested AS model,
        {MONEY},
        {VOLUME}
    FROM {rows}
    GROUP BY model
)
ORDER BY pollen DESC"""


SNAPSHOT = f"""
SELECT
    {MONEY},
    {FREE_SHARE},
    {VOLUME}
FROM {model_totals(MODEL, TIER, KEY_TYPE)}"""

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

TOP_MODELS = f"""{models_by_pollen("cost_share", model_totals(MODEL, TIER, KEY_TYPE))}
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

# --- SQL: apps and developers -------------------------------------------------------------

# Spend of an app or developer over the range, and the most models it used on one day.
SPEND = f"""{MONEY},
        {VOLUME},
        max(models_used) AS models_max_per_day"""


# Top apps reads app_ranges only without a key type: its rows carry a key's latest type, while
# app_daily's days are filtered by the type of each day.
APP_RANGES = ("app_ranges", ("keyType",))
# Columns of the app ranking, from app_daily's days or from one app_ranges row per app (an app:
# a developer key, or a BYOP app's temporary keys as one, APP_ID).
APP_COLUMNS = """app, key_type, developer, pollen, paid_pollen, free_pollen, paid_share,
    request_count, token_count, pollen_per_request, models_max_per_day, referrer_domains"""


def referrer_app_id(*served: str | tuple[str, ...]) -> str:
    """A referrer_daily row's app (APP_ID) in the daily branch of a panel that ``served`` (the
    arguments of ``daily_rows``) serves otherwise: referrer_daily has no key type, so its key is
    an end user's when app_daily has it as such in the range."""
    return contract.app_id(
        f"api_key_id IN (SELECT api_key_id FROM app_daily "
        f"WHERE {daily_rows(*served)} AND {ENDUSER_KEYS})"
    )


TOP_APPS = f"""
SELECT
    {APP_COLUMNS}
FROM
(
    SELECT
        {APP_COLUMNS}
    FROM
    (
        SELECT
            {APP_ID} AS app_id,
            argMax(api_key_name, day) AS app,
            argMax(api_key_type, day) AS key_type,
            argMax({APP_DEVELOPER}, day) AS developer,
            {SPEND}
        FROM app_daily
        WHERE {daily_rows(*APP_RANGES)} AND is_named_app = 1 AND {KEY_TYPE}
        GROUP BY app_id
    ) AS apps
    LEFT JOIN
    (
        SELECT
            {referrer_app_id(*APP_RANGES)} AS app_id,
            uniqExact(referrer_domain) AS referrer_domains
        FROM referrer_daily
        WHERE {daily_rows(*APP_RANGES)}
        GROUP BY app_id
    ) AS referrers USING (app_id)
    UNION ALL
    SELECT
        api_key_name,
        api_key_type,
        user_github_username,
        {RANGED_MONEY},
        requests,
        tokens,
        total_pollen / nullIf(requests, 0),
        models_max_per_day,
        referrer_domains
    FROM app_ranges
    WHERE {ranged_rows(*APP_RANGES)}
    -- its first rows only, all the ranking can keep: a 90-day range holds ~200k apps, and
    -- computing every column of each before ordering cost 20 ms
    ORDER BY total_pollen DESC
    LIMIT {TOP_N}
)
ORDER BY pollen DESC
LIMIT {TOP_N}"""

TOP_DEVELOPERS = f"""
SELECT
    developer, tier, pollen, paid_pollen, free_pollen,
    paid_pollen / nullIf(paid_pollen + free_pollen, 0) AS paid_share, request_count,
    token_count, active_apps, models_max_per_day
FROM {developers(active_apps=True)} AS developers
ORDER BY pollen DESC
LIMIT {TOP_N}"""

APP_DRILLDOWN = models_by_pollen(
    "app_cost_share", f"app_model_by_app\n    WHERE {DAYS} AND app_id = ${{app:singlequote}}"
)

CONSISTENCY = developer_ranking(
    "active_days",
    "pollen",
    "request_count",
    order="active_days DESC, pollen DESC",
    limit=TOP_N,
)

# --- SQL: tiers ---------------------------------------------------------------------------

# Per developer over the range (every tier): Pollen, tokens and the tier of their latest day.
PER_DEVELOPER = f"""(
    SELECT
        developer,
        tier,
        pollen AS user_pollen,
        paid_pollen AS user_paid,
        free_pollen AS user_free,
        token_count AS user_tokens
    FROM {developers(tier="1")}
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

SEGMENT_ORDER = f"indexOf([{sql_list(SEGMENT_LABELS)}], segment)"
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

# --- SQL: referrers, paths, key types, routing, billing -----------------------------------

REFERRERS = f"""
SELECT domain, pollen, paid_pollen, free_pollen, request_count, apps, top_app
FROM
(
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
            {referrer_app_id("referrer_ranges")} AS app_id,
            argMax(api_key_name, day) AS app_name,
            sum(total_pollen) AS app_pollen,
            sum(pack_pollen) AS app_paid,
            sum(tier_pollen) AS app_free,
            sum(requests) AS app_requests
        FROM referrer_daily
        WHERE {daily_rows("referrer_ranges")}
        GROUP BY domain, app_id
    )
    GROUP BY domain
    UNION ALL
    SELECT referrer_domain, total_pollen, pack_pollen, tier_pollen, requests, apps, top_app
    FROM referrer_ranges
    WHERE {ranged_rows("referrer_ranges")}
)
ORDER BY pollen DESC
LIMIT {TOP_N}"""

REQUEST_PATHS = f"""
SELECT
    request_path AS path,
    {MONEY},
    {VOLUME},
    max(models_used) AS models_max_per_day
FROM request_path_daily
WHERE {DAYS} AND {TIER} AND {KEY_TYPE}
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
    WHERE {DAYS} AND {MODEL}
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
FROM {model_totals(MODEL, TIER)}
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
WHERE {DAYS} AND {TIER}
GROUP BY key_type
ORDER BY pollen DESC"""

# The drill-down's app: named apps of the range, the biggest spenders first, as the rankings
# count them (a BYOP app's end-user keys are one app). One as_of of app_ranges on a standard
# range, as Top apps: grouping the range's app_daily rows cost ~285 ms on 30 days of 1M events a
# day, before any panel of the dashboard could start.
APPS = f"""SELECT app_id, label
FROM
(
    (SELECT app_id, concat(api_key_name, ' (', app_id, ')') AS label, total_pollen AS pollen
    FROM app_ranges
    WHERE {ranged_rows("app_ranges")}
    ORDER BY pollen DESC, app_id
    LIMIT 500)
    UNION ALL
    (SELECT {APP_ID} AS app_id, concat(argMax(api_key_name, day), ' (', app_id, ')') AS label,
        sum(total_pollen) AS pollen
    FROM app_daily
    WHERE {daily_rows("app_ranges")} AND is_named_app = 1
    GROUP BY app_id
    ORDER BY pollen DESC, app_id
    LIMIT 500)
)
ORDER BY pollen DESC, app_id"""

# --- Panels -------------------------------------------------------------------------------


def _spend_panels() -> list[JsonDict]:
    """The range's totals, spend over time, today's spike and the models behind the spend."""
    return [
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
            "Pollen of the latest full UTC day / (Pollen of the 30 days up to it / 30). "
            f"{SPIKE_MIN_RATIO_30D:g} or more = today is abnormal: investigate.",
            field="spike_ratio_24h_vs_30d",
            size=(12, 8),
            defaults={"decimals": 2, "thresholds": alert_at(SPIKE_MIN_RATIO_30D)},
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
    ]


def _app_and_developer_panels() -> list[JsonDict]:
    """Who spends: apps, developers, one app's models, and how steadily developers use it."""
    return [
        table(
            "Top apps by Pollen",
            TOP_APPS,
            "Apps (API keys, unnamed excluded; a BYOP app's end-user keys as one app, without "
            "a developer) with paid/free mix, model and referrer diversity. Variables: key "
            "type, top N.",
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
    ]


def _tier_panels() -> list[JsonDict]:
    """Whether the tiers describe behaviour, and who changed on the latest day."""
    partition_by_tier = {"fields": ["tier"], "keepFields": False}
    return [
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
            transformations=[{"id": "partitionByValues", "options": partition_by_tier}],
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
    ]


def _surface_panels() -> list[JsonDict]:
    """Where requests come from and through what: referrers, paths, keys, routing, billing."""
    return [
        table(
            "Referrer domains",
            REFERRERS,
            "Where usage comes from: Pollen, requests, apps (a BYOP app's end-user keys as one) "
            "and the top app per referrer domain. Variable: top N.",
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
    ]


def dashboard() -> JsonDict:
    """The "Pollen Usage & Cost" dashboard (``pollen-usage-cost.json``)."""
    return envelope(
        "pollen-usage-cost",
        "Pollen Usage & Cost",
        ["pollen", "usage", "cost"],
        [*common_variables(), query_variable("app", "App", APPS, multi=False)],
        [
            *_spend_panels(),
            *_app_and_developer_panels(),
            *_tier_panels(),
            *_surface_panels(),
            data_notes(),
        ],
    )
