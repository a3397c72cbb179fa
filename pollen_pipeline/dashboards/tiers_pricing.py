"""The "Pollen Tiers & Pricing" dashboard: are the free grants the right size, what would a
dynamic budget change and for whom, what providers cost against what is charged, what the
platform owes in paid balances, how developers build, and BYOP as the team's dashboards count it.

Every panel reads the tier, pricing and daily tables (issue 14); none reads raw events.
"""

from __future__ import annotations

from pollen_pipeline import contract
from pollen_pipeline.dashboards.grafana import (
    DAYS,
    RANGE_END,
    TABLE_ROWS,
    TIER,
    TOP_N,
    JsonDict,
    as_time_series,
    bars,
    custom_variable,
    datasource_variable,
    developers,
    envelope,
    holds_range_end,
    latest_as_of,
    query_variable,
    sql_list,
    stat,
    table,
    text,
    timeseries,
    top_n_variable,
)
from pollen_pipeline.defs.tiers import rules as tiers

SCENARIO = "scenario = ${scenario:singlequote}"
CLEAN_BYOP = f"key_origin IN ({sql_list((contract.REDIRECT_AUTH, contract.CLIENT_ID))})"
HEURISTIC_BYOP = f"key_origin = '{contract.HOSTNAME_KEY}'"

# --- Grant use by tier ----------------------------------------------------------------------

GRANT_USE_OVER_TIME = f"""
SELECT toDateTime(day, 'UTC') AS time, user_tier, grant_used_share
FROM tier_daily
WHERE {DAYS} AND {TIER} AND grant_pollen > 0
ORDER BY time, user_tier"""

# Per developer-day: a tier's Pollen over the developers active each day, summed over days.
GRANT_USE_BY_TIER = f"""
SELECT
    user_tier AS tier,
    any(grant_per_user) AS grant_per_developer_day,
    sum(users) AS developer_days,
    sum(tier_pollen) AS free_pollen,
    sum(grant_pollen) AS granted_pollen,
    sum(tier_pollen) / nullIf(sum(grant_pollen), 0) AS grant_used_share,
    sum(users_at_grant) / sum(users) AS at_grant_share,
    sum(tier_pollen) / sum(users) AS free_pollen_per_developer_day,
    sum(pack_pollen) / sum(users) AS paid_pollen_per_developer_day,
    sum(total_pollen) / sum(users) AS pollen_per_developer_day,
    sum(requests) / sum(users) AS requests_per_developer_day
FROM tier_daily
WHERE {DAYS} AND {TIER}
GROUP BY tier
ORDER BY grant_per_developer_day"""

UNIT_ECONOMICS = f"""
SELECT
    user_tier AS tier,
    sum(tier_pollen) / sum(users) AS free_pollen_per_developer_day,
    sum(pack_pollen) / sum(users) AS paid_pollen_per_developer_day,
    sum(other_pollen) / sum(users) AS other_pollen_per_developer_day
FROM tier_daily
WHERE {DAYS} AND {TIER}
GROUP BY tier
ORDER BY paid_pollen_per_developer_day + free_pollen_per_developer_day"""

# --- The simulator --------------------------------------------------------------------------

SIMULATED_OVER_TIME = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    sum(actual_tier_pollen) AS actual_free_pollen,
    sum(simulated_tier_pollen) AS simulated_free_pollen,
    sum(budget_pollen) AS budget_pollen
FROM tier_simulation_daily
WHERE {DAYS} AND {TIER} AND {SCENARIO}
GROUP BY time
ORDER BY time"""

SIMULATION_TOTALS = f"""
SELECT
    sum(actual_tier_pollen) - sum(simulated_tier_pollen) AS saved_pollen,
    (sum(actual_tier_pollen) - sum(simulated_tier_pollen))
        / nullIf(sum(actual_tier_pollen), 0) AS saved_share,
    sum(users_capped) AS capped_developer_days,
    sum(users_capped) / nullIf(sum(users), 0) AS capped_share
FROM tier_simulation_daily
WHERE {DAYS} AND {TIER} AND {SCENARIO}"""
SIMULATION_STATS = (
    ("Free Pollen saved", "saved_pollen"),
    ("Share of free Pollen saved", "saved_share"),
    ("Developer-days capped", "capped_developer_days"),
    ("Share of developer-days capped", "capped_share"),
)

SCENARIO_COMPARISON = f"""
SELECT
    scenario,
    sum(actual_tier_pollen) AS actual_free_pollen,
    sum(simulated_tier_pollen) AS simulated_free_pollen,
    sum(actual_tier_pollen) - sum(simulated_tier_pollen) AS saved_pollen,
    sum(budget_pollen) AS budget_pollen,
    sum(users_capped) AS capped_developer_days,
    sum(users_capped) / nullIf(sum(users), 0) AS capped_share
FROM tier_simulation_daily
WHERE {DAYS} AND {TIER}
GROUP BY scenario
ORDER BY saved_pollen"""

# The developers a scenario would cap most: the top N by Pollen cut among the scenario's capped
# developer-days, then their name, tier and sums over every day of the range (capped or not).
CAPPED_DEVELOPERS = f"""
    SELECT user_id, count() AS days_capped, sum(cut_pollen) AS cut_pollen
    FROM tier_capped_user_daily
    WHERE {DAYS} AND {SCENARIO} AND {TIER}
    GROUP BY user_id
    ORDER BY cut_pollen DESC
    LIMIT {TOP_N}"""
WHO_BREAKS = f"""
WITH capped AS ({CAPPED_DEVELOPERS}
)
SELECT
    developer.developer AS developer,
    developer.tier AS tier,
    capped.days_capped AS days_capped,
    developer.free_pollen AS free_pollen,
    capped.cut_pollen AS cut_pollen,
    developer.paid_pollen AS paid_pollen
FROM capped
INNER JOIN {developers(f"{TIER} AND user_id IN (SELECT user_id FROM capped)")} AS developer
    ON developer.user_id = capped.user_id
ORDER BY cut_pollen DESC"""

# What-if: today's grants x $grantScale, one scale's rows of tier_grant_scale_daily.
WHAT_IF_SCALE = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    sum(actual_tier_pollen) AS actual_free_pollen,
    sum(scaled_tier_pollen) AS scaled_free_pollen,
    sum(users_capped) AS capped_developers
FROM tier_grant_scale_daily
WHERE {DAYS} AND {TIER} AND grant_scale = ${{grantScale:raw}}
GROUP BY time
ORDER BY time"""

# --- Providers ------------------------------------------------------------------------------

PROVIDER_OVER_TIME = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    sum(provider_cost) AS provider_cost_pollen,
    sum(pollen_charged) AS charged_pollen,
    sum(margin_pollen) AS margin_pollen,
    sum(router_cost) AS router_cost_pollen
FROM provider_daily
WHERE {DAYS}
GROUP BY time
ORDER BY time"""

BY_PROVIDER = f"""
SELECT
    model_provider_used AS provider,
    sum(requests) AS request_count,
    sum(failed_requests) / sum(requests) AS failed_share,
    sum(provider_cost) AS provider_cost_pollen,
    sum(pollen_charged) AS charged_pollen,
    sum(margin_pollen) AS margin_pollen,
    margin_pollen / nullIf(charged_pollen, 0) AS margin_share,
    sum(router_cost) AS router_cost_pollen,
    sum(pack_pollen) AS paid_pollen,
    sum(tier_pollen) AS free_pollen
FROM provider_daily
WHERE {DAYS}
GROUP BY provider
ORDER BY provider_cost_pollen DESC"""

MODELS_BY_COST = f"""
SELECT
    model_used AS model,
    any(model_provider_used) AS provider,
    sum(requests) AS request_count,
    sum(provider_cost) AS provider_cost_pollen,
    sum(pollen_charged) AS charged_pollen,
    sum(margin_pollen) AS margin_pollen,
    sum(provider_cost) / sum(requests) AS cost_per_request_pollen,
    sum(tier_pollen) / nullIf(sum(provider_cost), 0) AS free_share_of_cost
FROM provider_daily
WHERE {DAYS}
GROUP BY model
ORDER BY provider_cost_pollen DESC
LIMIT {TOP_N}"""

# --- Balances -------------------------------------------------------------------------------

# Each developer's latest balances on or before the range's end, whenever they were last seen:
# one as_of of balance_latest when it holds the range's end, else every day of balance_daily.
LATEST_BALANCES = f"""(
    SELECT
        user_id,
        user_github_id AS github_id,
        pack_balance AS pack,
        tier_balance AS tier,
        last_day
    FROM balance_latest
    WHERE {holds_range_end("balance_latest")} AND as_of = {RANGE_END}
    UNION ALL
    SELECT
        user_id,
        argMax(user_github_id, day),
        argMax(pack_balance, day),
        argMax(tier_balance, day),
        max(day)
    FROM balance_daily
    WHERE NOT {holds_range_end("balance_latest")} AND day <= {RANGE_END}
    GROUP BY user_id
)"""

LIABILITY = f"""
SELECT
    sum(greatest(pack, 0)) AS paid_liability_pollen,
    countIf(pack > 0) AS developers_with_paid_balance,
    sumIf(greatest(tier, 0), last_day = (
        SELECT max(day) FROM balance_daily WHERE day <= {RANGE_END}
    )) AS free_balance_left_pollen
FROM {LATEST_BALANCES}"""
LIABILITY_STATS = (
    ("Paid liability (latest pack balances)", "paid_liability_pollen"),
    ("Developers holding paid Pollen", "developers_with_paid_balance"),
    ("Free balance left on the last day", "free_balance_left_pollen"),
)

BALANCES_OVER_TIME = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    sum(greatest(pack_balance, 0)) AS active_paid_balance_pollen,
    sum(greatest(tier_balance, 0)) AS active_free_balance_pollen,
    count() AS active_developer_count
FROM balance_daily
WHERE {DAYS}
GROUP BY time
ORDER BY time"""

TOP_PAID_BALANCES = f"""
SELECT
    github_id,
    pack AS paid_balance_pollen,
    tier AS free_balance_pollen,
    last_day AS last_active_day
FROM {LATEST_BALANCES}
WHERE pack > 0
ORDER BY paid_balance_pollen DESC
LIMIT {TOP_N}"""

# --- Developer portfolio --------------------------------------------------------------------

ACTIVE_OVER_TIME = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    count() AS active_developer_count,
    sum(named_apps) AS active_app_count,
    countIf(named_apps > 1) AS multi_app_developer_count
FROM user_daily_by_user
WHERE {DAYS} AND {TIER}
GROUP BY time
ORDER BY time"""

APPS_PER_DEVELOPER = f"""
SELECT
    toString(least(apps_30d, 10)) || if(apps_30d >= 10, '+', '') AS named_apps_30d,
    count() AS developer_count
FROM user_windows
WHERE {latest_as_of("user_windows")} AND {TIER} AND requests_30d > 0
GROUP BY named_apps_30d, least(apps_30d, 10)
ORDER BY least(apps_30d, 10)"""

PORTFOLIOS = f"""
SELECT
    user_github_username AS developer,
    user_tier AS tier,
    apps_30d AS named_apps_30d,
    secret_keys_30d,
    publishable_keys_30d,
    temporary_keys_30d,
    models_30d,
    total_30d AS pollen_30d,
    pack_30d AS paid_pollen_30d
FROM user_windows
WHERE {latest_as_of("user_windows")} AND {TIER} AND requests_30d > 0
ORDER BY named_apps_30d DESC, pollen_30d DESC
LIMIT {TABLE_ROWS}"""

# --- BYOP by key origin ---------------------------------------------------------------------

BYOP_OVER_TIME = f"""
SELECT
    toDateTime(day, 'UTC') AS time,
    sumIf(total_pollen, {CLEAN_BYOP}) AS clean_byop_pollen,
    sumIf(total_pollen, {HEURISTIC_BYOP}) AS heuristic_byop_pollen,
    uniqExactIf(app_name, {CLEAN_BYOP}) AS clean_app_count,
    uniqExactIf(app_name, {HEURISTIC_BYOP}) AS heuristic_app_count
FROM byop_daily
WHERE {DAYS}
GROUP BY time
ORDER BY time"""

BYOP_SHARE = f"""
SELECT
    toDateTime(platform.day, 'UTC') AS time,
    byop.pollen / nullIf(platform.pollen, 0) AS byop_share
FROM
(
    SELECT day, sum(total_pollen) AS pollen FROM user_daily_by_user WHERE {DAYS} GROUP BY day
) AS platform
LEFT JOIN
(
    SELECT day, sum(total_pollen) AS pollen FROM byop_daily WHERE {DAYS} GROUP BY day
) AS byop ON byop.day = platform.day
ORDER BY time"""

BYOP_SIGNALS = f"""
SELECT
    if(max(key_columns) = 1, 'redirect-auth / client id + host-named keys',
       'host-named secret keys only (no key-origin columns in raw events)') AS byop_signals
FROM byop_daily
WHERE {DAYS}"""

BYOP_APPS = f"""
SELECT
    app_name AS app,
    groupUniqArray(key_origin) AS origins,
    max(users) AS peak_daily_users,
    sum(requests) AS request_count,
    sum(pack_pollen) AS paid_pollen,
    sum(tier_pollen) AS free_pollen,
    sum(total_pollen) AS pollen,
    (sum(pack_pollen) - sum(tier_pollen)) / nullIf(sum(pack_pollen) + sum(tier_pollen), 0)
        AS profitability_share
FROM byop_daily
WHERE {DAYS}
GROUP BY app
ORDER BY pollen DESC
LIMIT {TABLE_ROWS}"""

# --- Panels -------------------------------------------------------------------------------


def _grant_panels() -> list[JsonDict]:
    grants = ", ".join(f"{tier} {grant:g}" for tier, grant in tiers.tier_grants().items())
    return [
        as_time_series(
            timeseries(
                "Free grant used, by tier",
                GRANT_USE_OVER_TIME,
                "Free (tier) Pollen of the day's developers / their grants (developers x the "
                f"tier's daily grant; POLLEN_TIER_GRANTS when the table was built: {grants}). "
                "Tiers without a grant are left out. Variable: tier.",
                calcs=("mean", "max"),
            )
        ),
        bars(
            "Unit economics per developer-day, by tier",
            UNIT_ECONOMICS,
            "Free, paid and other Pollen per active developer per day, per tier (tier of the "
            "developer's last event of each day). Variable: tier.",
            x_field="tier",
        ),
        table(
            "Grant use by tier",
            GRANT_USE_BY_TIER,
            "Per tier over the range: developer-days, free Pollen against the grants, the "
            "share of developer-days that used at least 99% of the grant (at_grant_share: the "
            "developers a bigger grant would serve) and Pollen per developer-day.",
            sort_by="grant_per_developer_day",
        ),
    ]


def _simulator_panels() -> list[JsonDict]:
    return [
        timeseries(
            "Simulator: actual vs simulated free Pollen (${scenario})",
            SIMULATED_OVER_TIME,
            "Free Pollen used, the same with every developer capped at the scenario's grant, "
            "and the scenario's budget. Capped use is assumed not served: what part would move "
            "to packs is unknown. Scenarios: POLLEN_TIER_SCENARIOS (README). Variables: "
            "scenario, tier.",
            calcs=("sum", "mean"),
        ),
        *(
            stat(title, SIMULATION_TOTALS, "Under the selected scenario, over the range.", field)
            for title, field in SIMULATION_STATS
        ),
        table(
            "Scenarios compared",
            SCENARIO_COMPARISON,
            "Every scenario over the range: free Pollen actual and simulated, saved, budget, "
            "developer-days capped. Variable: tier.",
            sort_by="saved_pollen",
            size=(24, 6),
        ),
        table(
            "Who breaks under ${scenario}",
            WHO_BREAKS,
            "Developers the scenario would cap most: free Pollen above their daily grant, "
            "summed over the range (cut_pollen), and the days it happens. Paid Pollen beside "
            "it: a capped developer who also pays is a conversion risk. Variables: scenario, "
            "tier, top N.",
            sort_by="cut_pollen",
        ),
        timeseries(
            "What-if: today's grants x ${grantScale}",
            WHAT_IF_SCALE,
            "Free Pollen actual and with every tier's grant scaled by the grant scale variable, "
            "each developer capped at scale x their tier's grant per day; capped developers on the "
            "right. The scales offered are the ones tier_grant_scale_daily computes.",
            calcs=("sum", "mean"),
        ),
    ]


def _provider_panels() -> list[JsonDict]:
    scope = (
        "Every production request whatever its status or meter (ROUTER, excluded users and "
        "the bug window included: provider cost is real money)."
    )
    return [
        timeseries(
            "Provider cost, Pollen charged and margin",
            PROVIDER_OVER_TIME,
            f"{scope} Margin = charged - cost; ROUTER's own cost apart. Today price equals "
            "cost, so margin is about 0: this is where the day it stops being shows.",
            calcs=("sum", "mean"),
        ),
        table(
            "By provider",
            BY_PROVIDER,
            f"{scope} Paid and free Pollen follow the economics contract.",
            sort_by="provider_cost_pollen",
            size=(24, 7),
        ),
        table(
            "Models by provider cost",
            MODELS_BY_COST,
            f"{scope} free_share_of_cost = free (tier) Pollen / provider cost. Variable: top N.",
            sort_by="provider_cost_pollen",
        ),
    ]


def _balance_panels() -> list[JsonDict]:
    latest = (
        "From each developer's last production event of a day (balances read before that "
        "request), latest day on or before the range's end; ROUTER and excluded users out."
    )
    return [
        *(stat(title, LIABILITY, latest, field, size=(8, 4)) for title, field in LIABILITY_STATS),
        timeseries(
            "Balances of the day's active developers",
            BALANCES_OVER_TIME,
            "Sum of the paid and free balances of the developers active each day (negative "
            "balances as 0), and how many they were.",
            calcs=("mean", "max"),
        ),
        table(
            "Largest paid balances",
            TOP_PAID_BALANCES,
            f"{latest} Variable: top N.",
            sort_by="paid_balance_pollen",
            size=(12, 8),
        ),
    ]


def _portfolio_panels() -> list[JsonDict]:
    return [
        timeseries(
            "Active developers and apps",
            ACTIVE_OVER_TIME,
            "Developers with billable use each day, their named apps (keys not named "
            "'undefined' or empty) and the developers running more than one. Variable: tier.",
            calcs=("mean", "max"),
        ),
        bars(
            "Apps per developer (30 days)",
            APPS_PER_DEVELOPER,
            "Developers by how many named apps they used in the 30 days to the range's end.",
            x_field="named_apps_30d",
        ),
        table(
            "Developer portfolios (30 days)",
            PORTFOLIOS,
            "Per developer over the 30 days to the range's end: named apps, secret, publishable "
            "and temporary (end-user) keys, models. Variable: tier.",
            sort_by="named_apps_30d",
        ),
    ]


def _byop_panels() -> list[JsonDict]:
    return [
        stat(
            "BYOP signals in the data",
            BYOP_SIGNALS,
            "Which key origins the raw events carry: with api_key_created_via / "
            "api_key_client_id, keys minted by redirect-auth or carrying a client id are clean "
            "BYOP; without them only the team's heuristic (a secret key named after a host).",
            size=(24, 3),
        ),
        timeseries(
            "BYOP Pollen and apps, clean vs heuristic",
            BYOP_OVER_TIME,
            "Economics contract (ROUTER and excluded users out). Heuristic: a secret key whose "
            "name contains a dot, as the team's BYOP dashboards count it.",
            calcs=("sum", "mean"),
        ),
        timeseries(
            "BYOP share of platform Pollen",
            BYOP_SHARE,
            "BYOP apps' Pollen (clean + heuristic) / all developers' Pollen, per day.",
            calcs=("mean",),
        ),
        table(
            "BYOP apps",
            BYOP_APPS,
            "Per app (key name): its origins, the most end users in a day, Pollen and "
            "profitability = (paid - free) / (paid + free).",
            sort_by="pollen",
        ),
    ]


def variables() -> list[JsonDict]:
    scenarios = f"""SELECT DISTINCT scenario FROM tier_simulation_daily
WHERE {DAYS} ORDER BY scenario = 'current' DESC, scenario"""
    return [
        datasource_variable(),
        query_variable(
            "tier", "Tier", f"SELECT DISTINCT user_tier FROM tier_daily WHERE {DAYS} ORDER BY 1"
        ),
        query_variable("scenario", "Scenario", scenarios, multi=False),
        custom_variable(
            "grantScale",
            "Grant scale (what-if)",
            [(f"x {scale:g}", f"{scale:g}") for scale in tiers.GRANT_SCALES],
            default="1",
            include_all=False,
        ),
        top_n_variable(),
    ]


def dashboard() -> JsonDict:
    """The "Pollen Tiers & Pricing" dashboard (``pollen-tiers-pricing.json``)."""
    sections = (
        ("Grant use by tier", _grant_panels()),
        ("Tier budget simulator", _simulator_panels()),
        ("Provider cost and margin", _provider_panels()),
        ("Balances", _balance_panels()),
        ("Developer portfolio", _portfolio_panels()),
        ("BYOP by key origin", _byop_panels()),
    )
    panels = [item for title, items in sections for item in (_heading(title), *items)]
    return envelope(
        "pollen-tiers-pricing", "Pollen Tiers & Pricing", ["pollen", "tiers"], variables(), panels
    )


def _heading(title: str) -> JsonDict:
    return text(title, f"### {title}", size=(24, 2))
