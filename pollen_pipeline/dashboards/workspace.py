"""The "Pollen Workspace" dashboard: what the team's other sources and v2 events answer.

Sources: the summaries of the side sources (D1 accounts, payments, the app directory, BYOP
keys) and of ``generation_event_v2`` (the team's traffic and funding classification,
fallbacks, agent runs, adjustments). Raw tables are never read. A source that is not loaded
leaves its tables empty, so its panels show "No data" and the notes panel says why.
"""

from __future__ import annotations

from pollen_pipeline.dashboards.grafana import (
    DAYS,
    RANGE_END,
    TABLE_ROWS,
    JsonDict,
    any_of,
    as_time_series,
    datasource_variable,
    day_range,
    envelope,
    hours_and_whole_days,
    query_variable,
    stat,
    table,
    text,
    timeseries,
)

DAY_TIME = "toDateTime(day, 'UTC') AS time"
ENVIRONMENT = any_of("environment", "environment")
# The team's current dashboards count regular traffic only (their keys lists set the rest).
REGULAR = "traffic_group = 'regular'"
# The classified usage of a range: usage_classified_daily's rows for the UTC days it covers
# whole, usage_classified_hourly's for the hours around them (the same sums, ~13 times fewer
# rows over long ranges); a time series reads days only when its buckets are whole days.
CLASSIFIED_COLUMNS = """environment, traffic_group, funding_source, business_stream, all_calls,
        successful_calls, gross_consumption, byop_reward, community_reward"""
HOURLY_BUCKET = "greatest($__interval_s, 3600)"


def classified_rows(filters: str, bucket_seconds: str | None = None) -> str:
    """FROM clause: the range's classified usage rows that pass ``filters``."""
    return hours_and_whole_days(
        "usage_classified_hourly",
        "usage_classified_daily",
        CLASSIFIED_COLUMNS,
        filters,
        bucket_seconds,
    )


NOTES = """
Each panel reads one summary table. **No data** means its source is not loaded yet:

| panels | source |
|---|---|
| Accounts, activity, sign-up cohorts, tier moves | D1 `d1_user`, `tier_event`, `scoring_snapshot` |
| Payments, liability | `stripe_event`, `polar_event` |
| Apps | `app_directory`, `d1_apikey` |
| Traffic groups, funding, fallbacks, agent runs, adjustments | `generation_event_v2` |

Load a file with `pollen load --table <source> FILE`, or read the team's workspace by name
through `POLLEN_SOURCE_CLICKHOUSE_URL` (README, "Side sources"). Summaries hold ids only.
"""

# --- SQL ----------------------------------------------------------------------------------

ACCOUNTS_BY_TIER = f"""
SELECT {DAY_TIME}, tier, accounts AS accounts_count
FROM user_accounts_daily
WHERE {DAYS}
ORDER BY time, tier"""

SIGNUPS_AND_BANS = f"""
SELECT {DAY_TIME}, sum(signups) AS signups_count, sum(banned_accounts) AS banned_count
FROM user_accounts_daily
WHERE {DAYS}
GROUP BY day
ORDER BY time"""

ACTIVITY = f"""
SELECT {DAY_TIME}, sum(active_users) AS daily_active_users_count,
    sum(weekly_active_users) AS weekly_active_users_count,
    sum(active_accounts) / nullIf(sum(accounts), 0) AS active_share
FROM user_activity_daily
WHERE {DAYS}
GROUP BY day
ORDER BY time"""

ACTIVE_BALANCES = f"""
SELECT tier, argMax(tier_balance_p95, day) AS tier_balance_p95_pollen,
    argMax(tier_balance_p99, day) AS tier_balance_p99_pollen,
    argMax(pack_balance_p95, day) AS pack_balance_p95_pollen,
    argMax(pack_balance_p99, day) AS pack_balance_p99_pollen,
    argMax(negative_balances, day) AS negative_balances_count
FROM user_activity_daily
WHERE {DAYS}
GROUP BY tier
ORDER BY tier"""

SIGNUP_COHORTS = f"""
SELECT signup_day, signups AS signups_count, used_7d / nullIf(signups, 0) AS used_7d_share,
    packed_30d / nullIf(signups, 0) AS first_pack_30d_share,
    proxy_converted_30d / nullIf(proxy_users, 0) AS proxy_converted_30d_share
FROM signup_cohort
WHERE as_of = (SELECT max(as_of) FROM signup_cohort WHERE as_of <= {RANGE_END})
    AND {day_range("signup_day")}
ORDER BY signup_day DESC"""

TIER_MOVES = f"""
SELECT tier, sum(registrations) AS registrations_count, sum(tier_changes) AS tier_changes_count,
    sum(refills) AS refills_count, sum(refill_pollen) AS refill_pollen,
    sum(score_moves_out) AS score_moves_out_count, sum(score_moves_in) AS score_moves_in_count
FROM tier_moves_daily
WHERE {DAYS}
GROUP BY tier
ORDER BY tier"""

SOLD_VS_SPENT = f"""
SELECT {DAY_TIME}, sold_pollen, pack_pollen AS pack_spent_pollen
FROM pack_liability_daily
WHERE {DAYS}
ORDER BY time"""

LIABILITY = f"""
SELECT {DAY_TIME}, paid_liability AS paid_liability_pollen,
    pack_balance_estimate AS pack_balance_estimate_pollen
FROM pack_liability_daily
WHERE {DAYS}
ORDER BY time"""

PAYMENTS = f"""
SELECT provider, event_type, status, currency,
    sum(payments) AS payments_count, sum(amount) AS amount
FROM payments_daily
WHERE {DAYS}
GROUP BY provider, event_type, status, currency
ORDER BY payments_count DESC"""

CATEGORY_PNL = f"""
SELECT
    if(in_directory = 1, category, '(not in the directory)') AS app_category,
    max(apps_listed) AS apps_listed_count,
    sum(total_pollen) AS pollen,
    sum(pack_pollen) AS paid_pollen,
    sum(tier_pollen) AS free_pollen,
    sum(provider_cost) AS provider_cost,
    sum(margin_pollen) AS margin_pollen,
    sum(requests) AS request_count
FROM app_category_daily
WHERE {DAYS}
GROUP BY app_category
ORDER BY pollen DESC"""

DIRECTORY_COVERAGE = f"""
SELECT {DAY_TIME},
    sumIf(total_pollen, in_directory = 1) / nullIf(sum(total_pollen), 0) AS directory_share
FROM app_category_daily
WHERE {DAYS}
GROUP BY day
ORDER BY time"""

BYOP_APPS = f"""
SELECT client_id, owner_user_id,
    sum(total_pollen) AS pollen,
    sum(external_pollen) AS external_users_pollen,
    max(users) AS peak_daily_users_count,
    sum(requests) AS request_count
FROM byop_app_owner_daily
WHERE {DAYS}
GROUP BY client_id, owner_user_id
ORDER BY pollen DESC
LIMIT {TABLE_ROWS}"""

CALLS_BY_TRAFFIC_GROUP = f"""
SELECT toStartOfInterval(hour, INTERVAL {HOURLY_BUCKET} second) AS time,
    traffic_group, sum(all_calls) AS calls
FROM {classified_rows(ENVIRONMENT, HOURLY_BUCKET)}
GROUP BY time, traffic_group
ORDER BY time, traffic_group"""

POLLEN_BY_FUNDING = f"""
SELECT toStartOfInterval(hour, INTERVAL {HOURLY_BUCKET} second) AS time,
    funding_source, sum(gross_consumption) AS billed_pollen
FROM {classified_rows(f"{ENVIRONMENT} AND {REGULAR}", HOURLY_BUCKET)}
GROUP BY time, funding_source
ORDER BY time, funding_source"""

BUSINESS_STREAMS = f"""
SELECT business_stream, sum(successful_calls) AS successful_calls_count,
    sum(gross_consumption) AS billed_pollen, sum(byop_reward) AS byop_reward_pollen,
    sum(community_reward) AS community_reward_pollen
FROM {classified_rows(f"{ENVIRONMENT} AND {REGULAR}")}
GROUP BY business_stream
ORDER BY billed_pollen DESC"""

FALLBACKS = f"""
SELECT resolved_model_requested, model_tried, provider_tried,
    sum(attempts) AS attempts_count, sum(requests) AS request_count,
    sum(attempt_cost) AS attempt_cost
FROM fallbacks_daily
WHERE {DAYS} AND {ENVIRONMENT}
GROUP BY resolved_model_requested, model_tried, provider_tried
ORDER BY attempts_count DESC
LIMIT {TABLE_ROWS}"""

AGENT_RUNS = f"""
SELECT sum(runs) AS runs_count, sum(steps) AS steps_count,
    sum(run_pollen) / nullIf(sum(runs), 0) AS pollen_per_run,
    sum(steps) / nullIf(sum(runs), 0) AS steps_per_run
FROM agent_runs_daily
WHERE {DAYS} AND {ENVIRONMENT}"""

ADJUSTMENTS = f"""
SELECT rule_id, sum(requests) AS request_count, sum(cost_usd) AS cost_usd, sum(units) AS units
FROM adjustments_daily
WHERE {DAYS} AND {ENVIRONMENT}
GROUP BY rule_id
ORDER BY cost_usd DESC"""

ENVIRONMENTS = """
SELECT DISTINCT environment FROM usage_classified_hourly
WHERE $__timeFilter(hour) ORDER BY environment"""

# --- Panels -------------------------------------------------------------------------------


def _accounts_and_payments() -> list[JsonDict]:
    return [
        as_time_series(
            timeseries(
                "Accounts by tier",
                ACCOUNTS_BY_TIER,
                "D1 accounts per tier on each day's last snapshot.",
                ("lastNotNull",),
                stacked=True,
            )
        ),
        timeseries(
            "Sign-ups and banned accounts",
            SIGNUPS_AND_BANS,
            "Accounts created that day, and accounts banned on the day's snapshot.",
            ("sum", "lastNotNull"),
        ),
        timeseries(
            "Daily and weekly active developers",
            ACTIVITY,
            "Developers in user_daily (the contract's users) per day and over 7 days; the "
            "active share of D1 accounts.",
            ("mean", "lastNotNull"),
        ),
        table(
            "Balances of active accounts (last day)",
            ACTIVE_BALANCES,
            "D1 balances of the range's last day's active accounts per tier: p95, p99 and how "
            "many are negative.",
            "tier",
            size=(12, 8),
        ),
        table(
            "Sign-up cohorts",
            SIGNUP_COHORTS,
            "Per D1 sign-up day: accounts, share that used the platform within 7 days and "
            "reached a first pack event within 30, beside the seed's first-use proxy.",
            "signup_day",
            size=(12, 8),
        ),
        table(
            "Tier moves",
            TIER_MOVES,
            "Registrations, tier changes and refills (tier_event), and users the day's score "
            "moves out of or into each tier (scoring_snapshot).",
            "tier",
            size=(24, 7),
        ),
        timeseries(
            "Packs sold vs pack Pollen spent",
            SOLD_VS_SPENT,
            "Pollen of paid packs (Stripe and Polar) against pack Pollen spent on the events.",
            ("sum",),
        ),
        timeseries(
            "Paid liability vs balance estimate",
            LIABILITY,
            "Packs sold minus pack Pollen spent since the first stored day, beside the sum of "
            "pack balances the events report (balance_latest).",
            ("lastNotNull",),
        ),
        table(
            "Payments by provider and status",
            PAYMENTS,
            "Payment webhooks in the range.",
            "payments_count",
            size=(24, 7),
        ),
    ]


def _apps() -> list[JsonDict]:
    return [
        table(
            "Category P&L",
            CATEGORY_PNL,
            "Usage of keys matched to a directory app (by owner and name), per category; the "
            "rest in one row. Economics contract, as app_daily.",
            "pollen",
            size=(16, 9),
        ),
        timeseries(
            "Directory coverage",
            DIRECTORY_COVERAGE,
            "Share of the day's app Pollen from keys matched to a directory app.",
            ("mean",),
            size=(8, 9),
        ),
        table(
            "BYOP apps and their owners",
            BYOP_APPS,
            "BYOP apps by client id with the owner's user id: Pollen, what users other than "
            "the owner spent, the most users on one day.",
            "pollen",
        ),
    ]


def _v2() -> list[JsonDict]:
    return [
        as_time_series(
            timeseries(
                "Calls by traffic group",
                CALLS_BY_TRAFFIC_GROUP,
                "Every call by the team's traffic group (regular, legacy, internal keys).",
                ("sum",),
                stacked=True,
            )
        ),
        as_time_series(
            timeseries(
                "Billed Pollen by funding source (regular traffic)",
                POLLEN_BY_FUNDING,
                "Billed Pollen of regular traffic: paid, quest or unfunded meters.",
                ("sum",),
                stacked=True,
            )
        ),
        table(
            "Business streams (regular traffic)",
            BUSINESS_STREAMS,
            "Core, BYOP and community models: successful calls, billed Pollen, the developers' "
            "markup share (BYOP) and community-model rewards.",
            "billed_pollen",
            size=(24, 6),
        ),
        table(
            "Fallbacks by model tried",
            FALLBACKS,
            "Fallback attempts (rows that did not end their request) by the model and provider "
            "tried.",
            "attempts_count",
            size=(12, 9),
        ),
        table(
            "Adjustments by rule",
            ADJUSTMENTS,
            "Costs added by adjustment rules (search, tools, cache storage, runtime), in USD; "
            "already inside each request's cost and price.",
            "cost_usd",
            size=(12, 9),
        ),
        stat(
            "Agent runs",
            AGENT_RUNS,
            "Runs, steps, and Pollen and steps per run (a run costs its final steps).",
            size=(24, 4),
        ),
    ]


def dashboard() -> JsonDict:
    """The "Pollen Workspace" dashboard (``pollen-workspace.json``)."""
    variables = [
        datasource_variable(),
        query_variable("environment", "Environment", ENVIRONMENTS),
    ]
    panels = [
        text("About these panels", NOTES, (24, 7)),
        *_accounts_and_payments(),
        *_apps(),
        *_v2(),
    ]
    return envelope(
        "pollen-workspace",
        "Pollen Workspace",
        ["pollen", "accounts", "apps", "payments", "v2"],
        variables,
        panels,
    )
