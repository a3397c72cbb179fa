"""coverage/team_panels.yaml, the legacy dashboards (set: legacy): every panel marked exact gives,
from our summaries, the numbers of the team's panel, asked here of the raw rows the legacy
dashboards read: v1 generation_event (their WHERE clauses restated), d1_user, d1_apikey and
stripe_event (the fixture varies its snapshots, key owners and webhooks: mark_the_snapshots,
mark_the_key_owners, mark_the_checkouts). The store reads v1 alone (POLLEN_V2_FROM unset),
as those dashboards did. The range starts before the local:* meters replaced v1:meter:* (2025-12-01)
and straddles the meter:combined bug window, so the exact slug and the window's exclusion are
compared too; a few billable 2xx events are marked unbilled, so is_billed_usage decides something
(the generator bills exactly those); a named-key user is on the exclusion hand list, which the
team never applied, and two lose their GitHub id. The on-call panels (team_oncall_panels.py) get
the statuses the generator never writes (403, 404, 422, 503) and request ids shared by events of
other minutes, statuses and models; the byop-devshare panels the key origin, developer price and
markup columns the seed's v1 schema lacks; the tier simulation spore and microbe user-days over
their allowance and user-days of two tiers."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from string import Template

import pytest

from pollen_pipeline import contract, exclusions
from pollen_pipeline.cli import main
from pollen_pipeline.store import Store
from pollen_pipeline_tests.databases import fresh_database, materialize
from pollen_pipeline_tests.team_oncall_panels import ONCALL
from pollen_pipeline_tests.team_panels import COVERAGE, coverage, panels_of, rounded, same_rows

START, DAYS = dt.date(2025, 11, 12), 62  # to 2026-01-12
TABLES = (
    "account_daily",
    "scoped_usage_daily",
    "oncall_minutely",
    "scoped_user_key_daily",
    "devshare_daily",
    "provider_spend_daily",
    "checkout_daily",
    "directory_usage_daily",
    "category_usage_daily",
    "key_owner_daily",
    "tier_user_daily",
    "api_key_owner_daily",
    "directory_listing_daily",
)

# api-key-usage.json @ 0cdafb1d: successful billable production calls of named keys, ROUTER
# and the bug window out (strict comparisons at both ends), no ban or exclusion filter.
NAMED_KEY_ROWS = """(
    SELECT * FROM $v1
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
        AND environment = 'production' AND response_status >= 200 AND response_status < 300
        AND total_price > 0 AND length(api_key_name) > 0 AND api_key_name != 'undefined'
        AND user_github_id != '241978997'
        AND (start_time < toDateTime('2025-12-30 16:59:45', 'UTC')
             OR start_time > toDateTime('2026-01-08 18:19:58', 'UTC'))
)"""
PACK = "selected_meter_slug IN ('v1:meter:pack', 'local:pack')"
TIER = "selected_meter_slug IN ('v1:meter:tier', 'local:tier')"
NAMED_KEY_TOTALS = f"""SELECT sum(total_price), sumIf(total_price, {TIER}),
    sumIf(total_price, {PACK}), countDistinctIf(user_github_id, user_github_id != '')
    FROM $rows"""
# D1 panels: the latest snapshot of d1_user; created_at is unix seconds, in the picker's range.
LATEST = "synced_at = (SELECT max(synced_at) FROM $d1)"
CREATED = "toDateTime(assumeNotNull(created_at), 'UTC')"
IN_RANGE = f"{CREATED} >= {{start:DateTime('UTC')}} AND {CREATED} < {{end:DateTime('UTC')}}"
REGISTERED = f"$d1 WHERE {LATEST} AND created_at IS NOT NULL AND {IN_RANGE}"
REGISTERED_DAY = "date_trunc('day', fromUnixTimestamp(assumeNotNull(created_at)), 'UTC')"
BY_TIER = f"""SELECT tier, count() AS users FROM $d1 WHERE {LATEST} AND banned = 0
    GROUP BY tier ORDER BY users DESC, tier"""
# The legacy dashboards' own filters over raw v1 rows, over a range of whole UTC days (their
# server's time zone is UTC): their $__timeFilter with `to` at the last day's 23:59:59 and
# `start_time < $__toTime` with `to` at the next midnight both keep exactly [start, end).
RANGE = "start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}"
DAY = "toStartOfInterval(start_time, INTERVAL 1 DAY, 'UTC')"
OK = "response_status >= 200 AND response_status < 300"
BILLED = f"is_billed_usage = true AND {OK}"
NOT_BANNED = """user_github_username NOT IN (
    SELECT github_username FROM $d1 WHERE banned = 1 GROUP BY github_username)"""
OUTSIDE_BUG = """(start_time < toDateTime('2025-12-30 16:59:45', 'UTC')
    OR start_time > toDateTime('2026-01-08 18:19:58', 'UTC'))"""
V1_TIER, V1_PACK = "selected_meter_slug = 'v1:meter:tier'", "selected_meter_slug = 'v1:meter:pack'"
FIVE_TIERS = "user_tier IN ('microbe', 'spore', 'seed', 'flower', 'nectar')"
# tier-costs @ 038d11d6: billed 2xx rows of every environment, bug window, ROUTER and banned kept.
TIER_COST_DAYS = f"""SELECT {DAY} AS time, SUM(total_price) AS daily_cost FROM $v1
    WHERE {RANGE} AND {V1_TIER} AND {BILLED} GROUP BY time"""
# tier-economics @ 9557d6fa: the same with D1's banned usernames out.
TIER_ECON_DAYS = f"""SELECT {DAY} AS time, SUM(total_price) AS daily_cost FROM $v1
    WHERE {RANGE} AND {V1_TIER} AND {BILLED} AND {NOT_BANNED} GROUP BY time ORDER BY time"""


def by_tier(where: str) -> str:
    """Their daily tier Pollen per tier (tier-costs 5, tier-economics 5, pollen-flow 11)."""
    return f"""SELECT {DAY} AS time, sumIf(total_price, user_tier = 'microbe') AS microbe,
        sumIf(total_price, user_tier = 'spore') AS spore,
        sumIf(total_price, user_tier = 'seed') AS seed,
        sumIf(total_price, user_tier = 'flower') AS flower,
        sumIf(total_price, user_tier = 'nectar') AS nectar
    FROM $v1 WHERE {RANGE} AND {where} AND {FIVE_TIERS} GROUP BY time ORDER BY time"""


def usage_rate(tier: str, allowance: str, banned_out: bool) -> str:
    """One target of Tier Usage Rate: every status, billed, v1 tier meter; their days are the
    span of the tier's data."""
    banned = f"AND {NOT_BANNED}" if banned_out else ""
    denominator = f"""uniq(user_github_username) * GREATEST(1, dateDiff('day',
        min(toDate(start_time, 'UTC')), max(toDate(start_time, 'UTC'))) + 1) * {allowance}"""
    if allowance == "0":
        denominator = f"NULLIF({denominator}, 0)"
    return f"""(SELECT (SUM(total_price) / ({denominator})) * 100 FROM $v1
        WHERE {RANGE} AND user_tier = '{tier}' AND is_billed_usage = true {banned}
            AND {V1_TIER})"""


def tier_split(tier: str, digits: int, with_pct: bool) -> str:
    """Pack vs tier of one tier's billed 2xx rows (tier-costs 41x, tier-economics 41x)."""
    tier_sum = f"sumIf(total_price, {V1_TIER})"
    pack_sum = f"sumIf(total_price, {V1_PACK})"
    pct = f", round({pack_sum} * 100.0 / nullIf({tier_sum} + {pack_sum}, 0), 1)" if with_pct else ""
    banned = "" if with_pct else f"AND {NOT_BANNED}"
    return f"""SELECT round({tier_sum}, {digits}), round({pack_sum}, {digits}){pct}
    FROM $v1 WHERE {RANGE} AND user_tier = '{tier}' AND {BILLED} {banned}"""


def per_user_day(meter: str | None, net: bool) -> str:
    """tier-economics 302-304: a tier's Pollen (or pack - tier) per user and day of data."""
    meter_filter = f"AND {meter}" if meter else ""
    where = f"{RANGE} AND {BILLED} {meter_filter} AND {NOT_BANNED}"
    columns = []
    for tier in ("nectar", "flower", "seed", "spore", "microbe"):
        value = (
            f"(sumIf(total_price, user_tier = '{tier}' AND {V1_PACK}) "
            f"- sumIf(total_price, user_tier = '{tier}' AND {V1_TIER}))"
            if net
            else f"sumIf(total_price, user_tier = '{tier}')"
        )
        columns.append(
            f"round({value} / nullIf(uniqIf(user_github_username, user_tier = '{tier}'), 0) "
            "/ (SELECT num_days FROM days), 3)"
        )
    return f"""WITH days AS (
        SELECT GREATEST(1, dateDiff('day', min(toDate(start_time, 'UTC')),
            max(toDate(start_time, 'UTC'))) + 1) AS num_days FROM $v1 WHERE {where})
    SELECT {", ".join(columns)} FROM $v1 WHERE {where} AND {FIVE_TIERS}"""


def by_model(tier: str) -> str:
    """tier-costs 401-405 (ties in Tier_Cost ordered by model: their order among ties is
    whatever the server returns)."""
    return f"""SELECT resolved_model_requested AS Model,
        round(sumIf(total_price, {V1_TIER}), 1) AS Tier_Cost,
        round(sumIf(total_price, {V1_PACK}), 1) AS Pack_Cost,
        round(sumIf(total_price, {V1_PACK}) * 100.0 / nullIf(sumIf(total_price, {V1_TIER})
            + sumIf(total_price, {V1_PACK}), 0), 1) AS Pack_Pct
    FROM $v1 WHERE {RANGE} AND user_tier = '{tier}' AND {BILLED}
    GROUP BY resolved_model_requested ORDER BY Tier_Cost DESC, Model"""


# pollen-flow @ 81609290 and economics @ b98c55a8: production 2xx priced rows outside the bug
# window, D1's banned out, ROUTER kept; pollen-flow also billed.
PRODUCTION = f"""environment = 'production' AND {OK} AND total_price > 0 AND {NOT_BANNED}
    AND {OUTSIDE_BUG}"""
FLOW = f"{PRODUCTION} AND is_billed_usage = true"
PACKS, TIERS = "('v1:meter:pack', 'local:pack')", "('v1:meter:tier', 'local:tier')"
ALLOWANCES = {  # tier-costs' and tier-economics' grants per user and day
    "tier-costs": (
        ("microbe", "0.1"),
        ("spore", "1"),
        ("seed", "3"),
        ("flower", "10"),
        ("nectar", "20"),
    ),
    "tier-economics": (
        ("microbe", "0"),
        ("spore", "(1.5/7.0)"),
        ("seed", "3"),
        ("flower", "10"),
        ("nectar", "20"),
    ),
}
SPLIT_PANELS = (("nectar", 410), ("flower", 411), ("seed", 412), ("spore", 413), ("microbe", 414))
MODEL_PANELS = (("nectar", 401), ("flower", 402), ("seed", 403), ("spore", 404), ("microbe", 405))
SCOPED = {
    **{("tier-costs", i): f"{TIER_COST_DAYS} ORDER BY time" for i in (8, 9, 10, 15)},
    ("tier-costs", 16): f"""SELECT {DAY} AS time, SUM(total_price) AS daily_cost FROM $v1
        WHERE {RANGE} AND {V1_PACK} AND {BILLED} GROUP BY time ORDER BY time""",
    ("tier-costs", 11): f"SELECT AVG(daily_cost) * 30 FROM ({TIER_COST_DAYS})",
    ("tier-costs", 12): f"""SELECT toStartOfWeek(start_time, 0, 'UTC') AS time,
        SUM(total_price) FROM $v1 WHERE {RANGE} AND {V1_TIER} AND {BILLED}
        GROUP BY time ORDER BY time""",
    ("tier-costs", 13): f"""SELECT time, daily_cost, sum(daily_cost) OVER (ORDER BY time)
        FROM ({TIER_COST_DAYS} ORDER BY time)""",
    # two rows of a UNION ALL, in a stated order
    ("tier-costs", 14): f"""SELECT * FROM (
        SELECT 'Next 30 Days' AS period, AVG(daily_cost) * 30 FROM ({TIER_COST_DAYS})
        UNION ALL
        SELECT 'Next 90 Days' AS period, AVG(daily_cost) * 90 FROM ({TIER_COST_DAYS})
    ) ORDER BY period""",
    ("tier-costs", 5): by_tier(f"{V1_TIER} AND {BILLED}"),
    ("tier-economics", 5): by_tier(f"{V1_TIER} AND {BILLED} AND {NOT_BANNED}"),
    ("pollen-flow", 11): by_tier(f"selected_meter_slug IN {TIERS} AND {FLOW}"),
    **{
        (name, 6): "SELECT "
        + ", ".join(usage_rate(t, a, name == "tier-economics") for t, a in ALLOWANCES[name])
        for name in ALLOWANCES
    },
    **{("tier-costs", i): tier_split(t, 1, True) for t, i in SPLIT_PANELS},
    **{("tier-economics", i): tier_split(t, 2, False) for t, i in SPLIT_PANELS},
    **{("tier-costs", i): by_model(t) for t, i in MODEL_PANELS},
    ("tier-economics", 9): TIER_ECON_DAYS,
    ("tier-economics", 15): TIER_ECON_DAYS,
    ("tier-economics", 301): f"""SELECT round(sumIf(total_price, user_tier = 'microbe'), 2),
        round(sumIf(total_price, user_tier = 'spore'), 2),
        round(sumIf(total_price, user_tier = 'seed'), 2),
        round(sumIf(total_price, user_tier = 'flower'), 2),
        round(sumIf(total_price, user_tier = 'nectar'), 2)
    FROM $v1 WHERE {RANGE} AND {V1_TIER} AND {BILLED} AND {FIVE_TIERS} AND {NOT_BANNED}""",
    ("tier-economics", 8): f"""SELECT {DAY} AS time, SUM(total_price) FROM $v1
        WHERE {RANGE} AND {V1_TIER} AND {BILLED} AND user_tier = 'router'
        GROUP BY time ORDER BY time""",
    # tier-simulation @ 984785e5: every environment, bug window, ROUTER and banned kept
    ("tier-simulation", 1): f"""SELECT {DAY} AS time, SUM(total_price) AS actual_cost FROM $v1
        WHERE {RANGE} AND {V1_TIER} AND {BILLED} AND {FIVE_TIERS} GROUP BY time ORDER BY time""",
    ("tier-economics", 302): per_user_day(V1_TIER, net=False),
    ("tier-economics", 303): per_user_day(V1_PACK, net=False),
    ("tier-economics", 304): per_user_day(None, net=True),
    ("pollen-flow", 3): f"""SELECT round(sum(total_price), 2) FROM $v1
        WHERE {RANGE} AND selected_meter_slug IN {PACKS} AND {FLOW}""",
    ("pollen-flow", 4): f"""SELECT round(sum(total_price), 2) FROM $v1
        WHERE {RANGE} AND selected_meter_slug IN {TIERS} AND {FLOW}""",
    ("pollen-flow", 7): f"""SELECT {DAY} AS time,
        sumIf(total_price, selected_meter_slug IN {PACKS}) AS paid,
        sumIf(total_price, selected_meter_slug IN {TIERS}) AS tier,
        if(paid + tier > 0, paid / (paid + tier), 0)
    FROM $v1 WHERE {RANGE} AND {FLOW}
        AND selected_meter_slug IN ('v1:meter:pack', 'local:pack', 'v1:meter:tier', 'local:tier')
    GROUP BY time ORDER BY time""",
    ("economics", 1): f"""SELECT {DAY} AS time,
        sumIf(total_price, selected_meter_slug IN {PACKS}) AS paid_cost,
        sumIf(total_price, selected_meter_slug IN {TIERS}) AS free_cost,
        paid_cost + free_cost AS classified_cost,
        if(classified_cost > 0, free_cost / classified_cost, 0)
    FROM $v1 WHERE {RANGE} AND {PRODUCTION} GROUP BY time ORDER BY time""",
    ("economics", 2): f"""SELECT {DAY} AS time,
        sumIf(total_price, api_key_type IN ('secret', 'publishable')
            AND selected_meter_slug IN {PACKS}) AS developer_paid,
        sumIf(total_price, api_key_type IN ('secret', 'publishable')
            AND selected_meter_slug IN {TIERS}) AS developer_free,
        sumIf(total_price, api_key_type = 'temporary' AND selected_meter_slug IN {PACKS})
            AS enduser_paid,
        sumIf(total_price, api_key_type = 'temporary' AND selected_meter_slug IN {TIERS})
            AS enduser_free,
        developer_paid + developer_free AS developer_total,
        enduser_paid + enduser_free AS enduser_total,
        if(developer_total + enduser_total > 0,
            enduser_total / (developer_total + enduser_total), 0)
    FROM $v1 WHERE {RANGE} AND {PRODUCTION} GROUP BY time ORDER BY time""",
    ("economics", 8): f"""SELECT {DAY} AS time, sum(total_price) AS total_pollen,
        sumIf(total_price, user_github_id = '241978997') AS router_pollen,
        if(total_pollen > 0, router_pollen / total_pollen, 0)
    FROM $v1 WHERE {RANGE} AND {PRODUCTION} GROUP BY time ORDER BY time""",
}
# economics @ b98c55a8 and developer-leaderboard @ a3e5d904 per developer, app (key name) and
# model: the economics scope (D1's banned out, ROUTER kept); api-key-usage @ 0cdafb1d per key
# name (NAMED_KEY_ROWS: ROUTER out, the banned kept). Ties are ordered as our queries order them
# (their order among ties is whatever the server returns).
DEVELOPER = """if(user_github_username != '' AND user_github_username != 'undefined',
    user_github_username, user_github_id)"""
APP = "length(api_key_name) > 0 AND api_key_name != 'undefined'"


def first_meter_events() -> str:
    """economics 4-6: each user's first tier and first pack event, all time (1970-01-01 when
    none: minIf of a DateTime); their server's time zone is UTC."""
    return f"""SELECT user_github_id,
        toDateTime(minIf(start_time, selected_meter_slug IN {TIERS}), 'UTC') AS first_tier,
        toDateTime(minIf(start_time, selected_meter_slug IN {PACKS}), 'UTC') AS first_pack
    FROM $v1 WHERE {PRODUCTION} AND user_github_id != '' GROUP BY user_github_id
    HAVING first_tier IS NOT NULL"""


def converted_within(days: int) -> str:
    return f"""countIf(first_pack IS NOT NULL AND first_pack >= first_tier
        AND dateDiff('day', first_tier, first_pack) <= {days})"""


def top_models_of(meter: str) -> str:
    """economics 13 (pack) and 14 (tier): a meter's Pollen per requested model."""
    return f"""WITH total AS (SELECT sum(total_price) AS pollen FROM $v1
        WHERE {RANGE} AND {PRODUCTION} AND selected_meter_slug IN {meter})
    SELECT resolved_model_requested AS model,
        sumIf(total_price, selected_meter_slug IN {meter}) AS cost,
        cost / (SELECT pollen FROM total),
        countIf(selected_meter_slug IN {meter}) AS meter_requests,
        if(meter_requests > 0, cost / meter_requests, 0)
    FROM $v1 WHERE {RANGE} AND {PRODUCTION} AND resolved_model_requested != ''
    GROUP BY resolved_model_requested HAVING cost > 0 ORDER BY cost DESC, model LIMIT 20"""


def apps_per_developer() -> str:
    return f"""SELECT {DEVELOPER} AS developer, uniqIf(api_key_name, {APP}) AS apps,
        count() AS requests, sum(total_price) AS pollen
    FROM $v1 WHERE {RANGE} AND {PRODUCTION} AND user_github_id != '' GROUP BY developer"""


PER_DEVELOPER = {
    ("economics", 3): f"""SELECT countDistinct(user_github_id) FROM $v1
        WHERE {PRODUCTION} AND user_github_id != ''""",
    ("economics", 4): f"SELECT {converted_within(7)} FROM ({first_meter_events()})",
    ("economics", 5): f"SELECT {converted_within(30)} FROM ({first_meter_events()})",
    ("economics", 6): f"""SELECT if(total_users > 0, converted_7d / total_users, 0) FROM (
        SELECT count() AS total_users, {converted_within(7)} AS converted_7d
        FROM ({first_meter_events()}))""",
    ("economics", 7): f"""SELECT resolved_model_requested AS model, sum(total_price) AS total_cost,
        sumIf(total_price, selected_meter_slug IN {PACKS}) AS paid_cost,
        sumIf(total_price, selected_meter_slug IN {TIERS}),
        if(total_cost > 0, paid_cost / total_cost, 0) AS paid_share,
        if(count() > 0, total_cost / count(), 0), count() AS requests
    FROM $v1 WHERE {RANGE} AND {PRODUCTION} AND resolved_model_requested != ''
    GROUP BY resolved_model_requested HAVING requests >= 1000
    ORDER BY paid_share DESC, model LIMIT 50""",
    ("economics", 13): top_models_of(PACKS),
    ("economics", 14): top_models_of(TIERS),
    ("economics", 15): f"""SELECT user_github_username AS developer,
        sumIf(total_price, selected_meter_slug IN {TIERS}) AS free_cost,
        sumIf(total_price, selected_meter_slug IN {PACKS}) AS paid_cost
    FROM $v1 WHERE {RANGE} AND {PRODUCTION} AND user_github_username != ''
    GROUP BY user_github_username HAVING (free_cost + paid_cost) >= 10
    ORDER BY (free_cost + paid_cost) DESC, developer LIMIT 100""",
    ("economics", 21): f"""SELECT user_tier AS tier, count(DISTINCT user_github_id),
        avg(pack_share) AS avg_pack_share, median(pack_share), sum(pack_cost), sum(tier_cost)
    FROM (SELECT user_github_id, user_tier,
            sumIf(total_price, selected_meter_slug IN {PACKS}) AS pack_cost,
            sumIf(total_price, selected_meter_slug IN {TIERS}) AS tier_cost,
            if((pack_cost + tier_cost) > 0, pack_cost / (pack_cost + tier_cost), 0) AS pack_share
        FROM $v1 WHERE {RANGE} AND {PRODUCTION} AND user_tier != ''
        GROUP BY user_github_id, user_tier HAVING (pack_cost + tier_cost) >= 10)
    GROUP BY user_tier ORDER BY avg_pack_share DESC""",
    ("economics", 121): f"""SELECT round(countIf(user_github_username IN (
            SELECT github_username FROM $d1 WHERE banned = 1 GROUP BY github_username))
        * 100.0 / nullIf(count(), 0), 1)
    FROM $v1 WHERE {RANGE} AND {BILLED}""",
    ("developer-leaderboard", 101): f"""SELECT uniqIf({DEVELOPER}, user_github_id != '')
        FROM $v1 WHERE {RANGE} AND {PRODUCTION}""",
    ("developer-leaderboard", 102): f"""SELECT uniqIf(api_key_name, {APP})
        FROM $v1 WHERE {RANGE} AND {PRODUCTION}""",
    ("developer-leaderboard", 103): f"SELECT max(pollen) FROM ({apps_per_developer()})",
    ("developer-leaderboard", 104): f"SELECT avg(apps) FROM ({apps_per_developer()})",
    ("developer-leaderboard", 111): f"""SELECT {DAY} AS time,
        uniqIf({DEVELOPER}, user_github_id != ''), uniqIf(api_key_name, {APP})
    FROM $v1 WHERE {RANGE} AND {PRODUCTION} GROUP BY time ORDER BY time""",
    ("developer-leaderboard", 131): f"""SELECT bucket, count() FROM (
        SELECT multiIf(apps = 1, '1 app', apps <= 2, '2 apps', apps <= 4, '3-4 apps',
                apps <= 9, '5-9 apps', '10+ apps') AS bucket,
            multiIf(apps = 1, 1, apps <= 2, 2, apps <= 4, 3, apps <= 9, 4, 5) AS sort_order
        FROM ({apps_per_developer()}))
    GROUP BY bucket, sort_order ORDER BY sort_order""",
    ("developer-leaderboard", 132): f"""SELECT * FROM ({apps_per_developer()})
        ORDER BY apps DESC, pollen DESC, developer LIMIT 50""",
    ("app-leaderboard", 502): f"""SELECT sumIf(total_price, selected_meter_slug IN {TIERS}),
        sumIf(total_price, selected_meter_slug IN {PACKS})
    FROM $v1 WHERE {RANGE} AND {PRODUCTION} AND {APP}""",
    ("api-key-usage", 5): "SELECT countDistinct(api_key_name) FROM $rows",
    # their key names in groupUniqArray's order, which nothing defines: here in name order
    ("api-key-usage", 10): f"""SELECT {DEVELOPER} AS user,
        arrayStringConcat(arraySort(groupUniqArray(api_key_name)), ', '),
        sumIf(total_price, {TIER}), sumIf(total_price, {PACK}), sum(total_price) AS pollen,
        count()
    FROM $rows WHERE user_github_id != '' GROUP BY user ORDER BY pollen DESC, user LIMIT 100""",
    ("api-key-usage", 30): f"""SELECT api_key_name AS app, countDistinct(user_github_id),
        sumIf(total_price, {TIER}), sumIf(total_price, {PACK}), sum(total_price) AS pollen,
        count()
    FROM $rows GROUP BY app ORDER BY pollen DESC, app LIMIT 100""",
}
# tier-simulation @ 984785e5 at its default allowances, Downgrade Sim off (each user-day keeps
# its own tier, the scoring join decides nothing): billed 2xx v1:meter:tier rows of every
# environment, bug window, ROUTER and banned kept, Pollen per UTC day, username and event tier,
# capped at the tier's allowance.
USER_DAYS = f"""(SELECT toDate(start_time, 'UTC') AS day, user_github_username AS user,
        user_tier AS tier, SUM(total_price) AS actual_spend
    FROM $v1 WHERE {RANGE} AND {V1_TIER} AND {BILLED} AND {FIVE_TIERS}
    GROUP BY day, user, tier)"""
ALLOWANCES = {"microbe": 0.1, "spore": 1, "seed": 3, "flower": 10, "nectar": 20}
ALLOWANCE = f"""CASE tier {" ".join(f"WHEN '{t}' THEN {a}" for t, a in ALLOWANCES.items())}
    ELSE 0 END"""
CAPPED = f"LEAST(actual_spend, {ALLOWANCE})"
SIMULATION = {
    ("tier-simulation", 2): f"""SELECT day AS time, SUM({CAPPED}) FROM {USER_DAYS}
        GROUP BY day ORDER BY day""",
    ("tier-simulation", 3): f"""SELECT round(SUM(actual_spend) - SUM({CAPPED}), 2)
        FROM {USER_DAYS}""",
    ("tier-simulation", 4): f"""SELECT round((SUM(actual_spend) - SUM({CAPPED})) * 100.0
        / NULLIF(SUM(actual_spend), 0), 1) FROM {USER_DAYS}""",
    ("tier-simulation", 5): f"""SELECT tier, {ALLOWANCE}, {ALLOWANCE}, round(SUM(actual_spend), 2),
        round(SUM({CAPPED}), 2), round(SUM(actual_spend) - SUM({CAPPED}), 2),
        round((SUM(actual_spend) - SUM({CAPPED})) * 100.0 / NULLIF(SUM(actual_spend), 0), 1),
        countIf(actual_spend > {ALLOWANCE})
    FROM {USER_DAYS} GROUP BY tier
    ORDER BY CASE tier WHEN 'nectar' THEN 1 WHEN 'flower' THEN 2 WHEN 'seed' THEN 3
        WHEN 'spore' THEN 4 WHEN 'microbe' THEN 5 ELSE 6 END""",
    ("tier-simulation", 6): f"""SELECT day AS time, round(SUM(actual_spend), 2),
        round(SUM({CAPPED}), 2) FROM {USER_DAYS} GROUP BY day ORDER BY day""",
    ("tier-simulation", 7): "SELECT day AS time, "
    + ", ".join(
        f"round(sumIf(LEAST(actual_spend, {a}), tier = '{t}'), 2)" for t, a in ALLOWANCES.items()
    )
    + f" FROM {USER_DAYS} GROUP BY day ORDER BY day",
    ("tier-simulation", 8): "SELECT day AS time, "
    + ", ".join(f"countIf(tier = '{t}' AND actual_spend > {a})" for t, a in ALLOWANCES.items())
    + f" FROM {USER_DAYS} GROUP BY day ORDER BY day",
}
# byop-devshare @ 18574011 (their default bucket, 1 DAY): production 2xx rows outside the bug
# window, ROUTER kept. Clean BYOP (a client id) drops D1's banned and keeps priced rows; DevShare
# events (a markup, Pollen over the developer price) keep any price and the banned; legacy BYOP
# (no client id, redirect-auth or a hostname key) keeps priced rows and the banned.
DEVSHARE = f"""environment = 'production' AND {OK} AND {OUTSIDE_BUG}"""
PRICED = f"{DEVSHARE} AND total_price > 0"
CLIENT = "api_key_client_id != '' AND api_key_client_id != 'undefined'"
NO_CLIENT = "(api_key_client_id = '' OR api_key_client_id = 'undefined')"
CLEAN = f"{PRICED} AND {NOT_BANNED} AND {CLIENT}"
EARNING = f"{DEVSHARE} AND markup_rate > 0 AND total_price > dev_price"
HOSTNAME = "api_key_type = 'secret' AND api_key_name LIKE '%.%'"
LEGACY = f"{NO_CLIENT} AND (api_key_created_via = 'redirect-auth' OR ({HOSTNAME}))"
VALID_USER = "user_github_id != '' AND user_github_id != 'undefined'"
VALID_DEV = "api_key_created_for_user_id != '' AND api_key_created_for_user_id != 'undefined'"
BY_DEVSHARE = {
    ("byop-devshare", 101): f"SELECT uniq(api_key_client_id) FROM $v1 WHERE {RANGE} AND {CLEAN}",
    # an app's owner from the latest d1_apikey snapshot; an app without a key there adds ''
    ("byop-devshare", 102): f"""SELECT uniq(ao.user_id) FROM $v1 AS ge
        LEFT JOIN (SELECT id AS app_key_id, user_id FROM $apikey
            WHERE synced_at = (SELECT max(synced_at) FROM $apikey)) AS ao
            ON ge.api_key_client_id = ao.app_key_id
        WHERE {RANGE} AND {CLEAN}""",
    ("byop-devshare", 103): f"""SELECT uniq(user_github_id) FROM $v1
        WHERE {RANGE} AND {CLEAN} AND {VALID_USER}""",
    ("byop-devshare", 104): f"SELECT count() FROM $v1 WHERE {RANGE} AND {CLEAN}",
    ("byop-devshare", 105): f"SELECT sum(total_price) FROM $v1 WHERE {RANGE} AND {CLEAN}",
    ("byop-devshare", 106): f"""SELECT sumIf(total_price, {CLIENT}) / nullIf(sum(total_price), 0)
        FROM $v1 WHERE {RANGE} AND {PRICED} AND {NOT_BANNED}""",
    ("byop-devshare", 110): f"""SELECT {DAY} AS time, sumIf(total_price, {PACK}),
        sumIf(total_price, {TIER})
        FROM $v1 WHERE {RANGE} AND {CLEAN} GROUP BY time ORDER BY time""",
    ("byop-devshare", 111): f"""SELECT {DAY} AS time, count(), uniq(api_key_client_id),
        uniqIf(user_github_id, {VALID_USER})
        FROM $v1 WHERE {RANGE} AND {CLEAN} GROUP BY time ORDER BY time""",
    ("byop-devshare", 201): f"""SELECT uniq(api_key_created_for_user_id) FROM $v1
        WHERE {RANGE} AND {EARNING} AND {VALID_DEV}""",
    ("byop-devshare", 202): f"""SELECT uniq(api_key_client_id) FROM $v1
        WHERE {RANGE} AND {EARNING} AND {CLIENT}""",
    ("byop-devshare", 203): f"""SELECT sum(total_price - dev_price) FROM $v1
        WHERE {RANGE} AND {EARNING}""",
    ("byop-devshare", 204): f"""SELECT sumIf(total_price - dev_price, markup_rate > 0
            AND total_price > dev_price AND {PACK}) / nullIf(sumIf(total_price, {PACK}), 0)
        FROM $v1 WHERE {RANGE} AND {PRICED}""",
    ("byop-devshare", 205): f"""SELECT sum(markup_rate * dev_price) / nullIf(sum(dev_price), 0)
        FROM $v1 WHERE {RANGE} AND {EARNING}""",
    ("byop-devshare", 206): f"""SELECT uniqIf(api_key_client_id, markup_rate > 0
            AND total_price > dev_price) / nullIf(uniq(api_key_client_id), 0)
        FROM $v1 WHERE {RANGE} AND {PRICED} AND {CLIENT}""",
    ("byop-devshare", 210): f"""SELECT {DAY} AS time, sumIf(total_price - dev_price, {PACK}),
        sumIf(total_price - dev_price, {TIER})
        FROM $v1 WHERE {RANGE} AND {EARNING} GROUP BY time ORDER BY time""",
    ("byop-devshare", 301): f"SELECT count() FROM $v1 WHERE {RANGE} AND {PRICED} AND {LEGACY}",
    ("byop-devshare", 302): f"""SELECT uniq(api_key_name) FROM $v1
        WHERE {RANGE} AND {PRICED} AND {NO_CLIENT} AND {HOSTNAME}""",
    ("byop-devshare", 303): f"""SELECT sumIf(total_price, {LEGACY}) / nullIf(sum(total_price), 0)
        FROM $v1 WHERE {RANGE} AND {PRICED}""",
    ("byop-devshare", 304): f"""SELECT sum(total_price) FROM $v1
        WHERE {RANGE} AND {PRICED} AND {LEGACY}""",
    ("byop-devshare", 310): f"""SELECT {DAY} AS time, count() FROM $v1
        WHERE {RANGE} AND {PRICED} AND {LEGACY} GROUP BY time ORDER BY time""",
    ("byop-devshare", 311): f"""SELECT api_key_name AS hostname, count(), sum(total_price) AS pollen
        FROM $v1 WHERE {RANGE} AND {PRICED} AND {NO_CLIENT} AND {HOSTNAME}
        GROUP BY hostname ORDER BY pollen DESC, hostname LIMIT 100""",
    ("byop-devshare", 401): f"""SELECT {DAY} AS time, countIf({CLIENT}), countIf({LEGACY})
        FROM $v1 WHERE {RANGE} AND {PRICED}
            AND ({CLIENT} OR api_key_created_via = 'redirect-auth' OR ({HOSTNAME}))
        GROUP BY time ORDER BY time""",
}
# byop @ 1b8fe670: API Key Usage's rows ($rows); a BYOP app is a key name of two or more GitHub
# ids in the range (the daily panel: in the day).


def shared_keys(measure: str, where: str = "", having: str = "") -> str:
    """A total over the key names of two or more GitHub ids (``having``: what counts them)."""
    having = having or "countDistinct(user_github_id)"
    return f"""SELECT sum(value) FROM (SELECT api_key_name, {measure} AS value FROM $rows
        {where} GROUP BY api_key_name HAVING {having} >= 2)"""


BY_SHARED_KEY = {
    ("byop", 1): shared_keys("sum(total_price)"),
    ("byop", 2): shared_keys(f"sumIf(total_price, {TIER})"),
    ("byop", 3): shared_keys(f"sumIf(total_price, {PACK})"),
    ("byop", 4): shared_keys(
        "countDistinct(user_github_id)", "WHERE user_github_id != ''", having="value"
    ),
    ("byop", 5): shared_keys("1"),
    # an owner among users of equal Pollen: the greatest name; apps of equal Pollen by name
    ("byop", 30): f"""SELECT app, if(pack + tier > 0, (pack - tier) / (pack + tier), 0),
        total / users, owner, users, tier, pack, total, requests
    FROM (SELECT app, argMax(user, (user_total, user)) AS owner, count() AS users,
            sum(tier_pollen) AS tier, sum(pack_pollen) AS pack, sum(user_total) AS total,
            sum(user_requests) AS requests
        FROM (SELECT api_key_name AS app, {DEVELOPER} AS user,
                sumIf(total_price, {TIER}) AS tier_pollen,
                sumIf(total_price, {PACK}) AS pack_pollen,
                sum(total_price) AS user_total, count() AS user_requests
            FROM $rows WHERE user_github_id != '' GROUP BY app, user)
        GROUP BY app HAVING count() >= 2)
    ORDER BY total DESC, app""",
    ("byop", 20): f"""SELECT time, sumIf(pack, user_count >= 2) AS pack_sum,
        sumIf(tier, user_count >= 2) AS tier_sum,
        if(pack_sum + tier_sum > 0, tier_sum / (pack_sum + tier_sum), 0)
    FROM (SELECT {DAY} AS time, api_key_name, sumIf(total_price, {PACK}) AS pack,
            sumIf(total_price, {TIER}) AS tier, countDistinct(user_github_id) AS user_count
        FROM $rows GROUP BY time, api_key_name)
    GROUP BY time ORDER BY time""",
}
# app-leaderboard @ 984ffcaf: BYOP by key origin, clean (redirect-auth) or heuristic (a hostname
# secret key not made by redirect-auth), whatever the client id.
REDIRECT = "api_key_created_via = 'redirect-auth'"
HEURISTIC = f"api_key_created_via != 'redirect-auth' AND {HOSTNAME}"


def key_owners(events: str) -> str:
    """App Leaderboard's developers: the owners of every d1_apikey row, of any snapshot, named as
    a key of the range's events (``events``: which)."""
    return f"""(SELECT countDistinct(ak.user_id) FROM $apikey AS ak
        WHERE ak.name IN (SELECT DISTINCT api_key_name FROM $v1 WHERE {RANGE} AND {events}))"""


BY_KEY_ORIGIN = {
    # their two targets as two columns
    ("app-leaderboard", 501): f"""SELECT {key_owners(PRICED)}, countDistinct(api_key_name)
        FROM $v1 WHERE {RANGE} AND {PRICED} AND {NOT_BANNED} AND {APP}""",
    ("app-leaderboard", 505): f"""SELECT {key_owners(f"{PRICED} AND {HEURISTIC}")},
        countDistinct(api_key_name) FROM $v1 WHERE {RANGE} AND {PRICED} AND {NOT_BANNED}
            AND {HEURISTIC}""",
    ("app-leaderboard", 504): f"""SELECT sumIf(total_price, {TIER}), sumIf(total_price, {PACK})
        FROM $v1 WHERE {RANGE} AND {PRICED} AND {NOT_BANNED} AND {REDIRECT}""",
    ("app-leaderboard", 506): f"""SELECT sumIf(total_price, {TIER}), sumIf(total_price, {PACK})
        FROM $v1 WHERE {RANGE} AND {PRICED} AND {NOT_BANNED} AND {HEURISTIC}""",
    ("app-leaderboard", 40): f"""SELECT {DAY} AS time, sumIf(total_price, {PACK}) AS pack,
        sumIf(total_price, {TIER}) AS tier, if(pack + tier > 0, pack / (pack + tier), 0)
    FROM $v1 WHERE {RANGE} AND {PRICED} AND {NOT_BANNED} AND ({REDIRECT} OR ({HOSTNAME}))
    GROUP BY time ORDER BY time""",
    ("app-leaderboard", 56): f"""SELECT {DAY} AS time, countIf({REDIRECT}) AS clean,
        countIf({HEURISTIC}) AS heuristic,
        if(clean + heuristic > 0, clean / (clean + heuristic), 0)
    FROM $v1 WHERE {RANGE} AND environment = 'production' AND {OK}
        AND ({REDIRECT} OR ({HOSTNAME}))
    GROUP BY time ORDER BY time""",
    ("app-leaderboard", 70): f"""SELECT {DAY} AS time,
        sumIf(total_price, {REDIRECT} OR ({HOSTNAME}))
            / if(sum(total_price) > 0, sum(total_price), 1),
        uniqIf(user_github_id, ({REDIRECT} OR ({HOSTNAME})) AND {VALID_USER})
            / if(uniqIf(user_github_id, {VALID_USER}) > 0, uniqIf(user_github_id, {VALID_USER}), 1)
    FROM $v1 WHERE {RANGE} AND {PRICED} GROUP BY time ORDER BY time""",
}


# provider-costs @ 7e24feb2: production 2xx rows of a known provider, bug window and ROUTER kept;
# each panel keeps rows of a positive cost, price, or either. Their days in UTC (their server's).
PROVIDER_ROWS = f"""{RANGE} AND environment = 'production' AND {OK}
    AND model_provider_used != '' AND model_provider_used != 'undefined'"""
PACK_LIKE, TIER_LIKE = "selected_meter_slug LIKE '%pack%'", "selected_meter_slug LIKE '%tier%'"
NET = f"(sumIf(total_price, {PACK_LIKE}) / 2) - sum(total_cost)"
PROVIDER_COSTS = {
    ("provider-costs", 1): f"""SELECT {DAY} AS time, model_provider_used AS provider,
        sum(total_cost) FROM $v1 WHERE {PROVIDER_ROWS} AND total_cost > 0
    GROUP BY time, provider ORDER BY time, provider""",
    ("provider-costs", 4): f"""SELECT {DAY} AS time, model_provider_used AS provider,
        sumIf(total_price, {PACK_LIKE}) FROM $v1 WHERE {PROVIDER_ROWS} AND total_price > 0
    GROUP BY time, provider ORDER BY time, provider""",
    ("provider-costs", 6): f"""SELECT {DAY} AS time, model_provider_used AS provider, {NET}
    FROM $v1 WHERE {PROVIDER_ROWS} AND (total_cost > 0 OR total_price > 0)
    GROUP BY time, provider ORDER BY time, provider""",
    # ties in net_balance ordered by provider (theirs: whatever the server returns)
    ("provider-costs", 2): f"""SELECT provider, net_balance, daily_balance,
        (net_balance / sum(net_balance) OVER ()) * 100, provider_cost, pack_revenue,
        effective_revenue, tier_loss, request_count
    FROM (
        SELECT model_provider_used AS provider, {NET} AS net_balance,
            ({NET}) / uniqExact(toDate(start_time, 'UTC')) AS daily_balance,
            sum(total_cost) AS provider_cost, sumIf(total_price, {PACK_LIKE}) AS pack_revenue,
            sumIf(total_price, {PACK_LIKE}) / 2 AS effective_revenue,
            sumIf(total_cost, {TIER_LIKE}) AS tier_loss, count() AS request_count
        FROM $v1 WHERE {PROVIDER_ROWS} AND (total_cost > 0 OR total_price > 0)
        GROUP BY provider)
    ORDER BY net_balance ASC, provider""",
    ("provider-costs", 3): f"""SELECT model_provider_used AS provider, sum(total_cost) AS cost
    FROM $v1 WHERE {PROVIDER_ROWS} AND total_cost > 0 GROUP BY provider
    ORDER BY cost DESC, provider""",
}
# daily-spending @ 835e92c3: billed 2xx rows of every environment, per provider / model list.
PAID_INFERENCE = "model_provider_used IN ('google', 'aws', 'alibaba', 'azure', 'bytedance')"
PAID_GPU = "model_provider_used = 'io.net'"
FREE_GPU = """((model_provider_used = 'modal' AND (model_used IN ('klein', 'klein-large', 'ltx-2')
        OR model_used LIKE 'flux_klein%'))
    OR (model_provider_used = 'ovhcloud' AND model_used NOT IN ('Qwen3-Coder-30B-A3B-Instruct',
        'Mistral-Small-3.2-24B-Instruct-2506', 'whisper')))"""
SPENT = f"{RANGE} AND is_billed_usage = true AND {OK}"


def spend_per_day(providers: str) -> str:
    return f"""SELECT round(SUM(total_price) / GREATEST(1, uniqExact(toDate(start_time, 'UTC'))), 2)
    FROM $v1 WHERE {SPENT} AND {providers}"""


def spend_series(providers: str) -> str:
    return f"""SELECT {DAY} AS time, concat(model_provider_used, ' / ', model_used) AS series,
        SUM(total_price)
    FROM $v1 WHERE {SPENT} AND {providers} GROUP BY time, series ORDER BY time, series"""


SPENDING = {
    ("daily-spending", 2): spend_per_day(PAID_INFERENCE),
    ("daily-spending", 3): spend_per_day(PAID_GPU),
    ("daily-spending", 15): spend_per_day(FREE_GPU),
    ("daily-spending", 4): spend_series(PAID_INFERENCE),
    ("daily-spending", 16): spend_series(PAID_GPU),
    ("daily-spending", 17): spend_series(FREE_GPU),
}
# pollen-flow @ 81609290, daily-spending, user-intelligence @ 20402aee: Stripe's webhooks, their
# WHEREs restated on raw stripe_event rows (half-open ranges, UTC days).
STRIPE_RANGE = "timestamp >= {start:DateTime('UTC')} AND timestamp < {end:DateTime('UTC')}"
STRIPE_DAY = "toStartOfInterval(timestamp, INTERVAL 1 DAY, 'UTC')"
SOLD = f"""{STRIPE_RANGE} AND event_type IN ('checkout.session.completed',
    'checkout.session.async_payment_succeeded') AND payment_status = 'paid' AND livemode = 1"""
COMPLETED = f"""{STRIPE_RANGE} AND event_type = 'checkout.session.completed'
    AND payment_status = 'paid' AND livemode = 1"""
METADATA = """toInt32OrZero(JSONExtractString(payload, 'data', 'object', 'metadata', 'packAmount'))
        AS pack_usd_from_metadata,
    toFloat64OrZero(JSONExtractString(payload, 'data', 'object', 'metadata', 'packPollenGrant'))
        AS metadata_pollen"""
PACK_TABLE = """multiIf(pack_usd = 2, 2, pack_usd = 5, 6, pack_usd = 10, 13, pack_usd = 20, 28,
    pack_usd = 50, 75, pack_usd = 100, 160, amount_cents / 100.0)"""
# Paid Issued, Sale Price, Credit Bought: the pack of the metadata alone
ISSUED = f"""(SELECT timestamp, amount_cents, pack_usd_from_metadata AS pack_usd,
        if(metadata_pollen > 0, metadata_pollen, {PACK_TABLE}) AS pollen_issued
    FROM (SELECT timestamp, amount_cents, {METADATA} FROM $stripe WHERE {SOLD}))"""
# Pack Mix, Pack Mix Over Time: the metadata's pack, else the amount's
CHECKOUT_PACKS = f"""(SELECT timestamp, amount_cents,
        if(pack_usd_from_metadata > 0, pack_usd_from_metadata,
            toInt32(round(amount_cents / 100.0))) AS pack_usd,
        if(metadata_pollen > 0, metadata_pollen, {PACK_TABLE}) AS pollen_issued,
        toFloat64(pack_usd) AS base_pollen, greatest(pollen_issued - base_pollen, 0) AS bonus_pollen
    FROM (SELECT timestamp, amount_cents, {METADATA} FROM $stripe WHERE {SOLD}))"""
# Subsidy Over Time, Blended Burn Estimate, Subsidy Value: the range's purchases at one blended
# price (their bonus over the metadata's pack, else the amount) against its billed spend
PURCHASES = f"""(SELECT sum(amount_cents / 100.0) AS usd_collected,
        sum(pollen_issued) AS paid_pollen_issued,
        sum(greatest(pollen_issued - if(pack_usd > 0, pack_usd, amount_cents / 100.0), 0))
            AS bonus_pollen,
        if(paid_pollen_issued > 0, usd_collected / paid_pollen_issued, 0) AS usd_per_pollen
    FROM {ISSUED})"""
FLOW_SPENT = f"FROM $v1 WHERE {RANGE} AND {FLOW} AND selected_meter_slug IN"
STRIPE = {
    ("pollen-flow", 1): f"SELECT round(sum(amount_cents) / 100.0, 2) FROM $stripe WHERE {SOLD}",
    ("pollen-flow", 2): f"SELECT round(sum(pollen_issued), 2) FROM {ISSUED}",
    ("pollen-flow", 5): f"""SELECT round(if(sum(pollen_issued) > 0,
        sum(amount_cents / 100.0) / sum(pollen_issued), 0), 4) FROM {ISSUED}""",
    ("pollen-flow", 8): f"""SELECT {STRIPE_DAY} AS time, round(sum(amount_cents) / 100.0, 2),
        round(sum(pollen_issued), 2) FROM {ISSUED} GROUP BY time ORDER BY time""",
    ("pollen-flow", 9): f"""SELECT time, round(sum(issued), 2), round(sum(spent), 2) FROM (
        SELECT {STRIPE_DAY} AS time, sum(pollen_issued) AS issued, 0.0 AS spent FROM {ISSUED}
        GROUP BY time
        UNION ALL
        SELECT {DAY} AS time, 0.0 AS issued, sum(total_price) AS spent {FLOW_SPENT} {PACKS}
        GROUP BY time)
    GROUP BY time ORDER BY time""",
    ("pollen-flow", 10): f"""SELECT {DAY} AS time, round(sum(total_price), 2),
        round(sum(total_price) * (SELECT usd_per_pollen FROM {PURCHASES}), 2)
    {FLOW_SPENT} {TIERS} GROUP BY time ORDER BY time""",
    ("pollen-flow", 14): f"""SELECT round(usd_collected, 2), round(paid_pollen_issued, 2),
        round(bonus_pollen, 2), round(usd_per_pollen, 4), round(paid, 2),
        round(paid * usd_per_pollen, 2), if(paid_pollen_issued > 0, paid / paid_pollen_issued, 0),
        round(tier, 2)
    FROM {PURCHASES} AS purchases,
        (SELECT sumIf(total_price, selected_meter_slug IN {PACKS}) AS paid,
            sumIf(total_price, selected_meter_slug IN {TIERS}) AS tier
        {FLOW_SPENT} ('v1:meter:pack', 'local:pack', 'v1:meter:tier', 'local:tier')) AS spend""",
    ("pollen-flow", 16): f"""SELECT round(tier * usd_per_pollen, 2)
    FROM {PURCHASES} AS purchases,
        (SELECT sum(total_price) AS tier {FLOW_SPENT} {TIERS}) AS spend""",
    ("pollen-flow", 13): f"""SELECT pack, purchases, usd_collected, paid_pollen_issued,
        bonus_pollen, if(base_pollen > 0, bonus_pollen / base_pollen, 0), effective_usd_per_pollen
    FROM (SELECT pack_usd, concat('$$', toString(pack_usd)) AS pack, count() AS purchases,
            round(sum(amount_cents) / 100.0, 2) AS usd_collected,
            round(sum(pollen_issued), 2) AS paid_pollen_issued,
            round(sum(base_pollen), 2) AS base_pollen, round(sum(bonus_pollen), 2) AS bonus_pollen,
            round(if(sum(pollen_issued) > 0, sum(amount_cents) / 100.0 / sum(pollen_issued), 0),
                4) AS effective_usd_per_pollen
        FROM {CHECKOUT_PACKS} GROUP BY pack_usd)
    ORDER BY pack_usd""",
    ("pollen-flow", 18): f"""SELECT {STRIPE_DAY} AS time, concat('$$', toString(pack_usd)),
        round(sum(pollen_issued), 2)
    FROM {CHECKOUT_PACKS} GROUP BY time, pack_usd ORDER BY time, pack_usd""",
    ("daily-spending", 9): f"""SELECT round(SUM(amount_cents) / 100.0
        / GREATEST(1, uniqExact(toDate(timestamp, 'UTC'))), 2)
    FROM $stripe WHERE {STRIPE_RANGE} AND payment_status = 'paid' AND livemode = 1""",
    ("daily-spending", 10): f"""SELECT {STRIPE_DAY} AS time, round(SUM(amount_cents) / 100.0, 2)
    FROM $stripe WHERE {STRIPE_RANGE} AND payment_status = 'paid' AND livemode = 1
    GROUP BY time ORDER BY time""",
    # their order among equal counts is not determined: the name breaks ties here and in ours
    ("user-intelligence", 102): f"""SELECT multiIf(amount_cents = 200, '$$2',
            amount_cents = 500, '$$5', amount_cents = 1000, '$$10', amount_cents = 2000, '$$20',
            amount_cents = 5000, '$$50', amount_cents = 10000, '$$100', 'Other') AS pack,
        count() AS purchases
    FROM $stripe WHERE {COMPLETED} GROUP BY pack ORDER BY purchases DESC, pack""",
    ("user-intelligence", 105): f"""SELECT payment_method, count() AS purchases FROM $stripe
    WHERE {COMPLETED} GROUP BY payment_method ORDER BY purchases DESC, payment_method""",
    ("user-intelligence", 107): f"""WITH
        success_ev AS (SELECT payment_method, count() AS successes FROM $stripe
            WHERE {COMPLETED} GROUP BY payment_method),
        failure_ev AS (SELECT payment_method, count() AS failures FROM $stripe
            WHERE {STRIPE_RANGE} AND livemode = 1
                AND event_type IN ('payment_intent.payment_failed', 'checkout.session.expired')
            GROUP BY payment_method),
        combined AS (
            SELECT coalesce(nullIf(s.payment_method, ''), f.payment_method) AS payment_method,
                coalesce(s.successes, 0) AS successes, coalesce(f.failures, 0) AS failures
            FROM success_ev s FULL OUTER JOIN failure_ev f ON s.payment_method = f.payment_method)
    SELECT payment_method, successes, failures, successes + failures AS attempts,
        round(100.0 * failures / nullIf(successes + failures, 0), 1)
    FROM combined WHERE successes + failures > 0
    ORDER BY attempts DESC, payment_method LIMIT 20""",
}


# app-ecosystem @ d3cd2288: production 2xx priced rows outside the bug window, D1's banned out,
# ROUTER kept, joined to the directory by the events' GitHub id (every listing a joined row);
# Tinybird's app_directory is the latest sync.
LIVE = "(SELECT * FROM $directory WHERE synced_at = (SELECT max(synced_at) FROM $directory))"
JOINED = f"$v1 AS ge LEFT JOIN {LIVE} AS ad ON ge.user_github_id = ad.github_user_id"
DIRECTORY = f"{JOINED} WHERE {RANGE} AND {PRODUCTION}"
TIER_PACK = f"""sumIf(ge.total_price, ge.selected_meter_slug IN {TIERS}) AS tier_pollen,
    sumIf(ge.total_price, ge.selected_meter_slug IN {PACKS}) AS pack_pollen"""


def by_listing(column: str) -> dict[int, str]:
    """app-ecosystem's Pollen, Tier vs Pack and daily Pollen by category (10, 11, 13) or by
    platform (15, 16, 18); ties ordered by name (theirs: the server's order)."""
    where = f"{DIRECTORY} AND ad.{column} != ''"
    return {
        0: f"""SELECT ad.{column} AS shown, sum(ge.total_price) AS pollen FROM {where}
            GROUP BY shown ORDER BY pollen DESC, shown""",
        1: f"""SELECT ad.{column} AS shown, {TIER_PACK} FROM {where}
            GROUP BY shown ORDER BY tier_pollen + pack_pollen DESC, shown""",
        3: f"""SELECT {DAY} AS time, ad.{column} AS shown, sum(ge.total_price) FROM {where}
            GROUP BY time, shown ORDER BY time, shown""",
    }


ECOSYSTEM = {
    ("app-ecosystem", 1): f"SELECT count() FROM {LIVE} WHERE category != ''",
    ("app-ecosystem", 5): f"SELECT countDistinct(category) FROM {LIVE} WHERE category != ''",
    # Category P&L: ROUTER out, each category's apps every listing of it, used or not
    ("app-ecosystem", 8): f"""SELECT ad.category AS shown, cat_counts.apps, {TIER_PACK},
        sum(ge.total_price) AS total_pollen,
        if(total_pollen > 0, (pack_pollen - tier_pollen) / total_pollen, 0), count(),
        countDistinct(ge.user_github_id)
    FROM {JOINED}
    LEFT JOIN (SELECT category, count() AS apps FROM {LIVE} GROUP BY category) AS cat_counts
        ON ad.category = cat_counts.category
    WHERE {RANGE} AND {PRODUCTION} AND ge.user_github_id != '241978997'
    GROUP BY ad.category, cat_counts.apps HAVING ad.category != ''
    ORDER BY total_pollen DESC, shown""",
    # their key names in groupUniqArray's order, which nothing defines: here in name order
    ("app-ecosystem", 80): f"""SELECT {DEVELOPER} AS user, sum(ge.total_price) AS total_pollen,
        {TIER_PACK}, count(), arrayStringConcat(arraySort(groupUniqArray(ge.api_key_name)), ', ')
    FROM {DIRECTORY} AND (ad.category = '' OR ad.category IS NULL) AND ge.user_github_id != ''
    GROUP BY user ORDER BY total_pollen DESC, user LIMIT 50""",
    ("app-ecosystem", 2): f"""SELECT countDistinct(ge.user_github_id) FROM {DIRECTORY}
        AND ad.category != '' AND ge.user_github_id != ''""",
    ("app-ecosystem", 3): f"SELECT sumIf(ge.total_price, ad.category != '') FROM {DIRECTORY}",
    ("app-ecosystem", 6): f"""SELECT countDistinct(ge.user_github_id) FROM {DIRECTORY}
        AND ad.category != '' AND ge.api_key_created_via = 'redirect-auth'
        AND ge.user_github_id != ''""",
    ("app-ecosystem", 7): f"""SELECT countDistinct(ge.user_github_id) FROM {DIRECTORY}
        AND ad.category != '' AND ge.api_key_created_via != 'redirect-auth'
        AND ge.api_key_type = 'secret' AND ge.api_key_name LIKE '%.%'
        AND ge.user_github_id != ''""",
    ("app-ecosystem", 4): f"""SELECT if(sum(ge.total_price) > 0,
        sumIf(ge.total_price, ad.category != '') / sum(ge.total_price), 0) FROM {DIRECTORY}""",
    **{("app-ecosystem", 10 + i): sql for i, sql in by_listing("category").items()},
    **{("app-ecosystem", 15 + i): sql for i, sql in by_listing("platform").items()},
}
# category-economics @ 403f1ccf: production 2xx priced rows outside the bug window, ROUTER out,
# D1's banned kept, each in the category of the APPS.md map their generator wrote into the SQL
# (here the latest load of app_category_map, as arrays for transform(), as theirs): a secret key
# named like a host by its name alone, any other key by its GitHub id; the platform by GitHub id;
# apps: the map's apps per category.
APPS_MD = "(SELECT * FROM $map WHERE loaded_at = (SELECT max(loaded_at) FROM $map))"
CATEGORIZED = f"""(WITH
        (SELECT (groupArray(hostname), groupArray(category)) FROM {APPS_MD}
            WHERE hostname != '') AS hosts,
        (SELECT (groupArray(github_user_id), groupArray(category), groupArray(platform))
            FROM {APPS_MD} WHERE github_user_id != '') AS ids
    SELECT *, if(api_key_type = 'secret' AND api_key_name LIKE '%.%',
            transform(api_key_name, tupleElement(hosts, 1), tupleElement(hosts, 2), ''),
            transform(user_github_id, tupleElement(ids, 1), tupleElement(ids, 2), ''))
            AS category,
        transform(user_github_id, tupleElement(ids, 1), tupleElement(ids, 3), '') AS platform
    FROM $v1 WHERE {RANGE} AND environment = 'production' AND {OK} AND total_price > 0
        AND user_github_id != '241978997' AND {OUTSIDE_BUG})"""
TIER_PACK_ROWS = f"""sumIf(total_price, selected_meter_slug IN {TIERS}) AS tier_pollen,
    sumIf(total_price, selected_meter_slug IN {PACKS}) AS pack_pollen"""


def by_map(column: str, ids: tuple[int, int, int]) -> dict[tuple[str, int], str]:
    """category-economics' Pollen, Tier vs Pack and daily Pollen by category (10, 11, 13) or
    by platform (15, 16, 17); ties ordered by name (theirs: the server's order)."""
    pollen, tier_pack, daily = (("category-economics", i) for i in ids)
    return {
        pollen: f"""SELECT {column}, sum(total_price) AS pollen FROM {CATEGORIZED}
            GROUP BY {column} HAVING {column} != '' ORDER BY pollen DESC, {column}""",
        tier_pack: f"""SELECT {column}, {TIER_PACK_ROWS} FROM {CATEGORIZED}
            GROUP BY {column} HAVING {column} != ''
            ORDER BY tier_pollen + pack_pollen DESC, {column}""",
        daily: f"""SELECT {DAY} AS time, {column}, sum(total_price) AS pollen FROM {CATEGORIZED}
            GROUP BY time, {column} HAVING {column} != '' ORDER BY time, {column}""",
    }


CATEGORY_ECONOMICS = {
    ("category-economics", 2): f"""SELECT sumIf(total_price, category != '')
        FROM {CATEGORIZED}""",
    ("category-economics", 3): f"""SELECT if(sum(total_price) > 0,
        sumIf(total_price, category != '') / sum(total_price), 0) FROM {CATEGORIZED}""",
    ("category-economics", 4): f"""SELECT sumIf(total_price, category != ''
        AND selected_meter_slug IN {TIERS}) FROM {CATEGORIZED}""",
    ("category-economics", 5): f"""SELECT sumIf(total_price, category != ''
        AND selected_meter_slug IN {PACKS}) FROM {CATEGORIZED}""",
    **by_map("category", (10, 11, 13)),
    **by_map("platform", (15, 16, 17)),
}
# (dashboard, panel id) -> the question asked of raw rows
RESTATED = {
    **ECOSYSTEM,
    **CATEGORY_ECONOMICS,
    **PER_DEVELOPER,
    **BY_DEVSHARE,
    **BY_SHARED_KEY,
    **BY_KEY_ORIGIN,
    **PROVIDER_COSTS,
    **SPENDING,
    **STRIPE,
    **SCOPED,
    **SIMULATION,
    **ONCALL,
    ("api-key-usage", 1): NAMED_KEY_TOTALS,
    ("api-key-usage", 2): NAMED_KEY_TOTALS,
    ("api-key-usage", 3): NAMED_KEY_TOTALS,
    ("api-key-usage", 4): NAMED_KEY_TOTALS,
    # their server's time zone is UTC; this session's may not be
    ("api-key-usage", 20): f"""SELECT toStartOfInterval(start_time, INTERVAL 1 DAY, 'UTC') AS time,
        sumIf(total_price, {PACK}) AS pack, sumIf(total_price, {TIER}) AS tier,
        if(pack + tier > 0, tier / (pack + tier), 0)
        FROM $rows GROUP BY time ORDER BY time""",
    # tier-costs @ 038d11d6 asks the live D1 user table, banned included: its latest snapshot
    ("tier-costs", 1): f"SELECT count() FROM $d1 WHERE {LATEST}",
    ("tier-costs", 2): f"""SELECT coalesce(tier, 'unknown') AS shown, count() FROM $d1
        WHERE {LATEST} GROUP BY shown
        ORDER BY multiIf(shown = 'nectar', 1, shown = 'flower', 2, shown = 'seed', 3,
            shown = 'spore', 4, shown = 'microbe', 5, 6), shown""",
    ("tier-costs", 3): f"""SELECT coalesce(tier, 'unknown') AS shown, count() AS users FROM $d1
        WHERE {LATEST} GROUP BY shown ORDER BY users DESC, shown""",
    ("tier-costs", 4): f"""SELECT sum(multiIf(tier = 'microbe', 0.1, tier = 'spore', 1,
        tier = 'seed', 3, tier = 'flower', 10, tier = 'nectar', 20, 0)) FROM $d1 WHERE {LATEST}""",
    ("tier-economics", 1): f"SELECT count() FROM $d1 WHERE {LATEST} AND banned = 0",
    ("tier-economics", 2): f"""SELECT coalesce(tier, 'unknown') AS shown, count() AS users FROM $d1
        WHERE {LATEST} AND banned = 0 GROUP BY shown
        ORDER BY multiIf(shown = 'nectar', 1, shown = 'flower', 2, shown = 'seed', 3,
            shown = 'spore', 4, shown = 'microbe', 5, 6), shown""",
    ("tier-economics", 3): f"""SELECT coalesce(tier, 'unknown') AS shown, count() AS users FROM $d1
        WHERE {LATEST} AND banned = 0 GROUP BY shown ORDER BY users DESC, shown""",
    ("user-intelligence", 1): f"SELECT count() FROM $d1 WHERE {LATEST} AND banned = 0",
    ("user-intelligence", 2): f"""SELECT count() FROM $d1
        WHERE {LATEST} AND created_at IS NOT NULL AND {IN_RANGE}""",
    ("user-intelligence", 3): BY_TIER,
    ("user-intelligence", 4): f"SELECT count() FROM $d1 WHERE {LATEST} AND banned = 1",
    ("user-intelligence", 5): f"""SELECT toStartOfDay({CREATED}) AS ts, count() FROM $d1
        WHERE {LATEST} AND created_at IS NOT NULL AND {IN_RANGE} GROUP BY ts ORDER BY ts""",
    # their $granularity at its default, day; rows in time order, a day's tiers by name
    ("user-intelligence", 6): f"""SELECT ts, sum(user_tier) OVER (ORDER BY ts ASC),
        sum(dev_tier) OVER (ORDER BY ts ASC), sum(abuser_tier) OVER (ORDER BY ts ASC),
        sum(dead_tier) OVER (ORDER BY ts ASC)
    FROM (SELECT {REGISTERED_DAY} AS ts, countIf(tier = 'spore' AND banned = 0) AS user_tier,
            countIf(tier IN ('seed', 'flower', 'nectar') AND banned = 0) AS dev_tier,
            countIf(tier = 'microbe' AND banned = 0) AS abuser_tier,
            countIf(banned = 1) AS dead_tier
        FROM {REGISTERED} GROUP BY ts ORDER BY ts ASC)
    ORDER BY ts""",
    ("user-intelligence", 8): f"""SELECT ts,
        if(prev > 0, round((registrations - prev) / prev * 100, 1), null) AS growth_pct
    FROM (SELECT ts, registrations, lagInFrame(registrations) OVER (ORDER BY ts ASC) AS prev
        FROM (SELECT {REGISTERED_DAY} AS ts, count() AS registrations FROM {REGISTERED}
            GROUP BY ts ORDER BY ts ASC))
    WHERE prev IS NOT NULL ORDER BY ts""",
    ("user-intelligence", 7): f"""SELECT {REGISTERED_DAY} AS ts, tier, count() FROM {REGISTERED}
        GROUP BY ts, tier ORDER BY ts, tier""",
    ("pollen-flow", 6): f"""SELECT round(sum(coalesce(pack_balance, 0)), 2) FROM $d1
        WHERE {LATEST} AND banned = 0""",
    ("pollen-flow", 15): f"""SELECT round(sum(coalesce(tier_balance, 0)), 2) FROM $d1
        WHERE {LATEST} AND banned = 0""",
    # each day's snapshots: an account's last balance and ban of the day
    ("pollen-flow", 17): """SELECT day, round(sum(paid_balance), 2) FROM (
        SELECT toStartOfInterval(synced_at, INTERVAL 1 DAY, 'UTC') AS day, id,
            argMax(coalesce(pack_balance, 0), synced_at) AS paid_balance,
            argMax(banned, synced_at) AS banned
        FROM $d1
        WHERE synced_at >= {start:DateTime('UTC')} AND synced_at < {end:DateTime('UTC')}
        GROUP BY day, id)
    WHERE banned = 0 GROUP BY day ORDER BY day""",
}


EXACT = [panel for panel in panels_of(legacy=True) if panel["class"] == "exact"]


def params() -> dict:
    start = dt.datetime.combine(START, dt.time(), dt.UTC)
    return {"start": start, "end": start + dt.timedelta(days=DAYS)}


def mark_what_the_scopes_filter(store: Store) -> None:
    """The generator bills exactly the priced 2xx events, and its banned accounts have no
    v1:meter:* events: one billable event in twenty is marked unbilled, one failed event in
    twenty billed and priced, the three busiest developers' prices scaled up (the per-developer
    panels keep developers of at least 10 Pollen: the generator's spend less), and the heaviest
    v1 tier-meter user banned in the first D1 snapshot only (the team's rule: banned in any
    snapshot)."""
    events, d1 = store.table("generation_event"), store.table("d1_user")
    busiest = [
        user
        for (user,) in store.rows(
            f"""SELECT user_github_id FROM {events} WHERE total_price > 0
            AND user_github_id NOT IN ('', '241978997')
            GROUP BY user_github_id ORDER BY count() DESC, user_github_id LIMIT 3"""
        )
    ]
    store.command(
        f"ALTER TABLE {events} UPDATE total_price = total_price * 1000 "
        "WHERE has({busiest:Array(String)}, user_github_id) SETTINGS mutations_sync = 1",
        {"busiest": busiest},
    )
    for change in (
        "is_billed_usage = false WHERE is_billed_usage",
        "is_billed_usage = true, total_price = 0.001 WHERE response_status >= 400",
    ):
        store.command(
            f"ALTER TABLE {events} UPDATE {change} AND modulo(cityHash64(event_id), 20) = 0 "
            "SETTINGS mutations_sync = 1"
        )
    [(heaviest,)] = store.rows(
        f"""SELECT user_github_username FROM {events}
        WHERE selected_meter_slug = 'v1:meter:tier' AND user_tier != 'router'
        GROUP BY user_github_username ORDER BY sum(total_price) DESC LIMIT 1"""
    )
    store.command(
        f"ALTER TABLE {d1} UPDATE banned = 1 WHERE github_username = {{name:String}} "
        f"AND synced_at = (SELECT min(synced_at) FROM {d1}) SETTINGS mutations_sync = 1",
        {"name": heaviest},
    )


def mark_the_snapshots(store: Store) -> None:
    """The generator's banned accounts hold no pack Pollen and its accounts of the range sign up
    one a day at most: here the banned hold some, and the range's last two sign-ups come on its
    first sign-up day instead (in every snapshot), so the daily registrations vary. D1 is synced
    once a day; here the range's 21st day also at noon, every pack balance 100 higher and no
    account banned in that earlier copy, so which snapshot of a day counts decides something
    (the bans in any snapshot stay the same)."""
    d1 = store.table("d1_user")
    signups = store.rows(
        f"""SELECT id, min(created_at) AS created FROM {d1} WHERE created_at >= {{start:Int64}}
        GROUP BY id ORDER BY created, id""",
        {"start": int(params()["start"].timestamp())},
    )
    store.command(
        f"""ALTER TABLE {d1} UPDATE created_at = {{first:Int64}}
        WHERE has({{moved:Array(String)}}, id) SETTINGS mutations_sync = 1""",
        {"first": signups[0][1], "moved": [user for user, _ in signups[-2:]]},
    )
    store.command(
        f"ALTER TABLE {d1} UPDATE pack_balance = 5 WHERE banned = 1 SETTINGS mutations_sync = 1"
    )
    store.command(
        f"""INSERT INTO {d1} SELECT * REPLACE (synced_at - INTERVAL 710 MINUTE AS synced_at,
            pack_balance + 100 AS pack_balance, toUInt8(0) AS banned)
        FROM {d1} WHERE toDate(synced_at, 'UTC') = {{day:Date}}""",
        {"day": START + dt.timedelta(days=20)},
    )


def mark_the_key_owners(store: Store) -> None:
    """Each synthetic key name is one account's keys, none named after a host: here a second
    account holds a key of a named key's name in every snapshot, a third one a key named after
    a host of the events' hostname keys, and a fourth one a key without a name (NULL matches no
    name, not even the unnamed events' ''), so owners are found by name, every name's."""
    keys, events = store.table("d1_apikey"), store.table("generation_event")
    [(name,)] = store.rows(
        f"""SELECT name FROM {keys} WHERE name IN (
            SELECT api_key_name FROM {events} WHERE total_price > 0 AND api_key_name != '')
        GROUP BY name ORDER BY name LIMIT 1"""
    )
    [(hostname,)] = store.rows(
        f"""SELECT api_key_name FROM {events} WHERE total_price > 0 AND api_key_type = 'secret'
            AND position(api_key_name, '.') > 0 AND api_key_created_via != 'redirect-auth'
        GROUP BY api_key_name ORDER BY api_key_name LIMIT 1"""
    )
    for replaced in (
        "concat(id, '-shared') AS id, 'second-owner' AS user_id",
        "concat(id, '-host') AS id, {hostname:String} AS name, 'host-owner' AS user_id",
        "concat(id, '-unnamed') AS id, CAST(NULL, 'Nullable(String)') AS name, "
        "'unnamed-owner' AS user_id",
    ):
        # chosen in a subquery: the replaced names would be the WHERE's
        store.command(
            f"INSERT INTO {keys} SELECT * REPLACE ({replaced}) "
            f"FROM (SELECT * FROM {keys} WHERE name = {{name:String}})",
            {"name": name, "hostname": hostname},
        )


def mark_what_the_oncall_panels_tell_apart(store: Store) -> None:
    """Some 400s become 403 (not an error to the team) or 404, some 401s 422, some 502s 503;
    one event in three shares its request id with the others of its quarter hour (a request
    counted once across minutes, statuses and models)."""
    events = store.table("generation_event")
    for change in (
        "response_status = 403 WHERE response_status = 400 AND modulo(cityHash64(event_id), 4) = 0",
        "response_status = 404 WHERE response_status = 400 AND modulo(cityHash64(event_id), 4) = 1",
        "response_status = 422 WHERE response_status = 401 AND modulo(cityHash64(event_id), 3) = 0",
        "response_status = 503 WHERE response_status = 502 AND modulo(cityHash64(event_id), 2) = 0",
        "request_id = concat('shared-', toString(toStartOfFifteenMinutes(start_time))) "
        "WHERE modulo(cityHash64(event_id, 'request'), 3) = 0",
    ):
        store.command(f"ALTER TABLE {events} UPDATE {change} SETTINGS mutations_sync = 1")


def mark_the_tier_user_days(store: Store) -> None:
    """The generator's spore and microbe developers never spend their allowance and each
    developer's day has one tier: a quarter of their user-days on the v1 tier meter priced up
    thirtyfold, and one seed event in six copied as flower (the tier is a key column: it cannot
    be updated), so every tier's cap and the per-tier user-day of the tier simulation decide
    something."""
    events = store.table("generation_event")
    store.command(
        f"""ALTER TABLE {events} UPDATE total_price = total_price * 30
        WHERE user_tier IN ('spore', 'microbe') AND selected_meter_slug = 'v1:meter:tier'
            AND modulo(cityHash64(user_github_username, toDate(start_time, 'UTC')), 4) = 0
        SETTINGS mutations_sync = 1"""
    )
    # chosen in a subquery: the replaced names would be the WHERE's
    store.command(
        f"""INSERT INTO {events} SELECT * REPLACE ('flower' AS user_tier,
            concat(event_id, '-flower') AS event_id)
        FROM (SELECT * FROM {events}
            WHERE user_tier = 'seed' AND modulo(cityHash64(event_id, 'tier'), 6) = 0)"""
    )


def mark_the_directory(store: Store) -> None:
    """The generator lists the apps of developers with events, each with a category and its
    owner's GitHub id, none of ROUTER's: ROUTER and an id without events list another
    developer's apps, one listing in four loses its category, and one developer of a categorized
    listing loses their GitHub id on events and listings alike and lists their apps again
    uncategorized, so Category P&L's ROUTER filter, its listings used or not and the empty id it
    counts as a user, and the uncategorized filters each decide something. Category and id are
    key columns of app_directory: its rows are copied with the new value, then the old ones
    deleted."""
    events, directory = store.table("generation_event"), store.table("app_directory")
    for lister in ("241978997", "0"):
        store.command(
            f"""INSERT INTO {directory} SELECT * REPLACE ({{lister:String}} AS github_user_id)
            FROM (SELECT * FROM {directory} WHERE github_user_id = (
                SELECT max(github_user_id) FROM {directory} WHERE category != ''))""",
            {"lister": lister},
        )
    blank_in_directory(
        store, "category", "modulo(cityHash64(name, 'uncategorized'), 4) = 0 AND category != ''"
    )
    [(owner,)] = store.rows(
        f"""SELECT min(github_user_id) FROM {directory}
        WHERE category != '' AND github_user_id != '241978997' AND github_user_id IN (
            SELECT user_github_id FROM {events} WHERE environment = 'production'
                AND response_status = 200 AND total_price > 0 AND {NOT_BANNED})""".replace(
            "$d1", store.table("d1_user")
        )
    )
    store.command(
        f"ALTER TABLE {events} UPDATE user_github_id = '' WHERE user_github_id = {{owner:String}} "
        "SETTINGS mutations_sync = 1",
        {"owner": owner},
    )
    blank_in_directory(store, "github_user_id", "github_user_id = {owner:String}", owner=owner)
    store.command(
        f"""INSERT INTO {directory} SELECT * REPLACE ('' AS category)
        FROM (SELECT * FROM {directory} WHERE github_user_id = '')"""
    )


def blank_in_directory(store: Store, column: str, where: str, **params: str) -> None:
    """Empties a key column of app_directory's rows matching ``where`` (which must not match
    the emptied rows); the rows are chosen in a subquery, where the emptied column's alias
    cannot stand for the column."""
    directory = store.table("app_directory")
    store.command(
        f"INSERT INTO {directory} SELECT * REPLACE ('' AS {column}) "
        f"FROM (SELECT * FROM {directory} WHERE {where})",
        params,
    )
    store.command(
        f"ALTER TABLE {directory} DELETE WHERE {where} SETTINGS mutations_sync = 1", params
    )


def mark_the_devshare_keys(store: Store) -> None:
    """The seed's v1 schema has no key origin nor DevShare columns (the team's later v1 table
    did): they are added, one key in three given a client id (its app) and most of those the
    developer it was minted for, one in ten of the other temporary and secret keys made by
    redirect-auth (hostname keys among them); each app a markup rate (a quarter none), one in
    ten of its events priced at the developer price (not earning), a few events of other keys
    marked up (DevShare without an app); the apps without a markup one developer's, and the
    unpriced events of hostname keys one hostname's."""
    events = store.table("generation_event")
    store.command(
        f"""ALTER TABLE {events}
        ADD COLUMN api_key_client_id String DEFAULT 'undefined',
        ADD COLUMN api_key_created_for_user_id String DEFAULT 'undefined',
        ADD COLUMN api_key_created_via LowCardinality(String) DEFAULT 'undefined',
        ADD COLUMN dev_price Float64 DEFAULT 0,
        ADD COLUMN markup_rate Float64 DEFAULT 0"""
    )
    app = "modulo(cityHash64(api_key_id, 'app'), 3) = 0"
    for change in (
        f"""api_key_client_id = concat('client-', toString(modulo(cityHash64(api_key_id), 40))),
            api_key_created_for_user_id = if(modulo(cityHash64(api_key_id, 'dev'), 8) = 0,
                'undefined', concat('dev-', toString(modulo(cityHash64(api_key_id), 12))))
            WHERE {app}""",
        f"""api_key_created_via = 'redirect-auth' WHERE NOT ({app})
            AND api_key_type IN ('temporary', 'secret')
            AND modulo(cityHash64(api_key_id, 'via'), 10) = 0""",
        """markup_rate = if(api_key_client_id = 'undefined', 0.2,
                [0, 0.1, 0.25, 0.5][1 + modulo(cityHash64(api_key_client_id), 4)])
            WHERE api_key_client_id != 'undefined'
                OR modulo(cityHash64(event_id, 'markup'), 50) = 0""",
        """dev_price = if(modulo(cityHash64(event_id, 'dev'), 10) = 0, total_price,
            total_price / (1 + markup_rate)) WHERE markup_rate > 0""",
        # developers who never earn (only apps without a markup) and a hostname key of
        # unpriced events only, so the earning and priced filters change distinct counts
        """api_key_created_for_user_id = 'dev-without-markup'
            WHERE api_key_client_id != 'undefined' AND markup_rate = 0""",
        """api_key_name = 'unpriced.example.com' WHERE api_key_type = 'secret'
            AND position(api_key_name, '.') > 0 AND total_price = 0""",
    ):
        store.command(f"ALTER TABLE {events} UPDATE {change} SETTINGS mutations_sync = 1")


def mark_what_the_exclusions_decide(store: Store) -> None:
    """The team's scopes know no exclusion list: the named-key user of most events on both
    meters is put on the hand list (``pollen exclude``), which the contract's scope drops. And
    the next two's events lose their GitHub id: API Key Usage counts users by GitHub id, '' out,
    not by account (two, so that one account less and two more do not cancel out)."""
    events = store.table("generation_event")
    [(excluded,), *anonymous] = store.rows(
        f"""SELECT user_github_id FROM {events}
        WHERE {APP} AND total_price > 0 AND user_github_id NOT IN ('', 'undefined', '241978997')
        GROUP BY user_github_id
        HAVING countIf({TIER}) > 0 AND countIf({PACK}) > 0
        ORDER BY count() DESC, user_github_id LIMIT 3"""
    )
    exclusions.add(store, [excluded], "named-key user, kept by the team")
    store.command(
        f"ALTER TABLE {events} UPDATE user_github_id = '' "
        "WHERE has({ids:Array(String)}, user_github_id) SETTINGS mutations_sync = 1",
        {"ids": [github_id for (github_id,) in anonymous]},
    )


def mark_the_app_owners(store: Store) -> None:
    """The apps' client ids name no synthetic D1 key: three in four of the 40 become parent keys
    of d1_apikey, owned by one of seven developers in the latest snapshot and of three others in
    the first, so the latest snapshot and the apps without a key (owner '') decide something."""
    keys = store.table("d1_apikey")
    for snapshot, owners in (("min", 3), ("max", 7)):
        store.command(
            f"""INSERT INTO {keys} (id, user_id, synced_at)
            SELECT concat('client-', toString(number)),
                concat('{snapshot}-owner-', toString(modulo(number, {owners}))),
                (SELECT {snapshot}(synced_at) FROM {keys})
            FROM numbers(30)"""
        )


def mark_the_checkouts(store: Store) -> None:
    """The generator's webhooks are a dozen live, card-paid completed checkouts of list packs
    without a country or pack metadata: here they are copied eightfold, and some made test-mode,
    unpaid or of an off-list amount, paid by other methods, from a few countries (some none),
    with the pack's metadata (a grant of its own, or only the amount) or not; copies arrive as
    async payments, failed intents and expired sessions, so each filter and grouping of the
    Stripe panels decides something."""
    webhooks = store.table("stripe_event")
    # the generator's dozen purchases, each eight times over (hours apart)
    store.command(
        f"""INSERT INTO {webhooks} SELECT * REPLACE (timestamp + INTERVAL 29 * n HOUR AS timestamp,
            concat(event_id, '-', toString(n)) AS event_id)
        FROM {webhooks} ARRAY JOIN range(1, 8) AS n"""
    )
    country = "['', 'DE', 'US', 'FR', 'BR'][1 + modulo(cityHash64(event_id, 'country'), 5)]"
    metadata = """multiIf(modulo(cityHash64(event_id, 'meta'), 3) = 0, '{}',
        modulo(cityHash64(event_id, 'meta'), 3) = 1,
        concat('{"packAmount":"', toString(intDiv(amount_cents, 100)), '"}'),
        concat('{"packAmount":"', toString(intDiv(amount_cents, 100)), '","packPollenGrant":"',
            toString(intDiv(amount_cents, 100) * 1.5), '"}'))"""
    for change in (
        "livemode = 0 WHERE modulo(cityHash64(event_id, 'test'), 9) = 0",
        "payment_status = 'unpaid' WHERE modulo(cityHash64(event_id, 'unpaid'), 11) = 0",
        "amount_cents = 1234 WHERE modulo(cityHash64(event_id, 'odd'), 13) = 0",
        """payment_method = ['card', 'link', 'paypal', 'klarna']
            [1 + modulo(cityHash64(event_id, 'method'), 4)] WHERE payment_method != ''""",
        f"""payload = concat('{{"data":{{"object":{{"customer_details":{{"address":{{"country":"',
            {country}, '"}}}},"metadata":', {metadata}, '}}}}}}') WHERE 1""",
    ):
        store.command(f"ALTER TABLE {webhooks} UPDATE {change} SETTINGS mutations_sync = 1")
    for replaced, chosen in (
        (
            "'checkout.session.async_payment_succeeded' AS event_type",
            "event_type = 'checkout.session.completed' AND modulo(cityHash64(event_id), 7) = 0",
        ),
        (
            "'payment_intent.payment_failed' AS event_type, 'unpaid' AS payment_status",
            "modulo(cityHash64(event_id, 'fail'), 10) = 0",
        ),
        (
            "'checkout.session.expired' AS event_type, 'unpaid' AS payment_status",
            "modulo(cityHash64(event_id, 'expire'), 8) = 0",
        ),
    ):
        # chosen in a subquery: the replaced names would be the WHERE's
        store.command(
            f"""INSERT INTO {webhooks} SELECT * REPLACE ({replaced},
                concat(event_id, '-copy') AS event_id)
            FROM (SELECT * FROM {webhooks} WHERE {chosen})"""
        )


def mark_the_category_map(store: Store) -> None:
    """The generator's map lists two apps in three, half by their host, each account's first by
    its owner's GitHub id: here an earlier load of other categories precedes it (the latest load
    is the map), ROUTER is listed by its GitHub id (its events stay out), half the key names with
    a dot, secret or not, are listed by that host (the key type decides) and the owners of the
    other secret ones by their GitHub id (a host the map lacks falls back to nothing), so that
    each rule of the lookup decides something."""
    apps_md, events = store.table("app_category_map"), store.table("generation_event")
    latest = f"(SELECT max(loaded_at) FROM {apps_md})"
    for rows in (
        f"""SELECT app, 'stale', 'stale', hostname, github_user_id, loaded_at - INTERVAL 1 DAY
        FROM {apps_md}""",
        f"SELECT 'router-app', 'build', 'api', '', '241978997', {latest}",
        f"""SELECT api_key_name, ['chat', 'learn'][1 + modulo(cityHash64(api_key_name), 2)], '',
            api_key_name, '', {latest}
        FROM {events} WHERE position(api_key_name, '.') > 0
            AND modulo(cityHash64(api_key_name, 'host'), 2) = 0
            AND api_key_name NOT IN (SELECT hostname FROM {apps_md})
        GROUP BY api_key_name""",
        f"""SELECT concat('app-of-', user_github_id), 'games', 'discord', '', user_github_id,
            {latest}
        FROM {events} WHERE api_key_type = 'secret' AND position(api_key_name, '.') > 0
            AND api_key_name NOT IN (SELECT hostname FROM {apps_md})
            AND user_github_id NOT IN (SELECT github_user_id FROM {apps_md})
        GROUP BY user_github_id""",
    ):
        store.command(
            f"INSERT INTO {apps_md} (app, category, platform, hostname, github_user_id, loaded_at) "
            + rows
        )


@pytest.fixture(scope="module")
def built(store_url: str):
    """62 days of synthetic v1 events from the v1:meter:* era across the bug window, read from
    v1 alone, with D1 snapshots; one billable event in twenty marked unbilled; the tables the
    exact panels read built: the store, and which of the run's checks passed (by table)."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        args = ["generate", "--start", str(START), "--days", str(DAYS), "--events-per-day", "400"]
        assert main([*args, "--seed", "11"]) == 0
        mark_what_the_scopes_filter(store)
        mark_the_snapshots(store)
        mark_what_the_oncall_panels_tell_apart(store)
        mark_the_tier_user_days(store)
        mark_the_devshare_keys(store)
        mark_the_key_owners(store)
        mark_the_app_owners(store)
        mark_the_checkouts(store)
        mark_what_the_exclusions_decide(store)
        mark_the_category_map(store)
        mark_the_directory(store)
        last = START + dt.timedelta(days=DAYS - 1)
        result = materialize(START, last, "event_facts_daily", *TABLES)
        checks = {
            (check.asset_key.to_user_string(), check.check_name): check.passed
            for check in result.get_asset_check_evaluations()
        }
        yield store, checks


@pytest.fixture(scope="module")
def generated(built) -> Store:
    return built[0]


# Each scope table's own check against its source, and its pandera model, on the fixture's days:
# scoped_user_key_daily recounts the facts with D1's banned usernames joined; devshare_daily and
# provider_spend_daily recount raw events; checkout_daily recounts stripe_event's webhooks and
# amounts; directory_usage_daily recounts scoped_user_key_daily times each developer's listings;
# category_usage_daily recounts it categorised by the map's keys looked up with transform().
# tier_user_daily recounts raw events; api_key_owner_daily recounts d1_apikey's snapshots.
# directory_listing_daily recounts the latest directory sync.
SOURCE_CHECKS = {
    "scoped_user_key_daily": "keys_match_facts",
    "devshare_daily": "devshare_matches_raw",
    "provider_spend_daily": "costs_match_raw",
    "checkout_daily": "checkouts_match_webhooks",
    "directory_usage_daily": "listings_match_sources",
    "category_usage_daily": "categories_match_map",
    "key_owner_daily": "owners_match_snapshots",
    "tier_user_daily": "spend_matches_raw",
    "api_key_owner_daily": "owners_match_snapshot",
    "directory_listing_daily": "listings_match_directory",
}


@pytest.mark.parametrize("table", SOURCE_CHECKS)
def test_a_scope_table_agrees_with_its_source_and_its_model(built, table: str):
    checks = built[1]
    assert checks[(table, SOURCE_CHECKS[table])] and checks[(table, "schema_valid")], checks


def test_every_exact_legacy_panel_is_restated_here():
    assert {(panel["dashboard"], panel["id"]) for panel in EXACT} == set(RESTATED)


@pytest.mark.parametrize("panel", EXACT, ids=lambda p: f"{p['dashboard']}-{p['id']}")
def test_an_exact_legacy_panel_equals_the_question_asked_of_raw_rows(generated: Store, panel):
    store = generated
    tables = {name: store.table(name) for name in TABLES}
    ours = Template(panel["query"]).substitute(contract.fragments(), **tables)
    v1 = store.table("generation_event")
    theirs = Template(RESTATED[(panel["dashboard"], panel["id"])]).substitute(
        rows=Template(NAMED_KEY_ROWS).substitute(v1=v1),
        v1=v1,
        d1=store.table("d1_user"),
        apikey=store.table("d1_apikey"),
        stripe=store.table("stripe_event"),
        directory=store.table("app_directory"),
        map=store.table("app_category_map"),
    )
    expected = store.rows(theirs, params())
    numbers = [v for row in expected for v in row if isinstance(v, int | float)]
    assert any(numbers), "the synthetic data must give the panel something to show"
    found = store.rows(ours, params())
    assert same_rows(found, expected), f"ours {rounded(found)} != theirs {rounded(expected)}"


def test_the_range_has_what_the_named_key_panels_filter_out(generated: Store):
    """ROUTER, unnamed keys and bug-window events on named keys exist, so each filter matters;
    and named-key events of an excluded user and without a GitHub id, which they keep and do
    not count as a user."""
    v1 = generated.table("generation_event")
    excluded = [github_id for github_id, _, _ in exclusions.listed(generated)]
    [counts] = generated.rows(
        f"""SELECT countIf(user_github_id = '241978997' AND {APP}),
            countIf(NOT ({APP})),
            countIf(start_time <= toDateTime('2026-01-08 18:19:58', 'UTC') AND {APP}),
            countIf(has({{excluded:Array(String)}}, user_github_id) AND {APP}),
            countIf(user_github_id = '' AND {APP})
        FROM {v1} WHERE start_time >= {{start:DateTime('UTC')}}
            AND start_time < {{end:DateTime('UTC')}} AND environment = 'production'
            AND response_status >= 200 AND response_status < 300 AND total_price > 0""",
        {**params(), "excluded": excluded},
    )
    assert all(counts), counts


def test_the_range_has_what_the_devshare_panels_tell_apart(generated: Store):
    """Among production 2xx events: app events of D1-banned users, in the bug window and
    unpriced; marked-up events that do not earn, or without an app; apps without a markup,
    developer ids left undefined; legacy BYOP by redirect-auth and by hostname, and hostname keys
    made by redirect-auth, so each filter of the byop-devshare and app-leaderboard panels
    matters."""
    v1 = generated.table("generation_event")
    banned = NOT_BANNED.replace("$d1", generated.table("d1_user"))
    [counts] = generated.rows(
        f"""SELECT countIf({CLIENT} AND NOT {banned}), countIf({CLIENT} AND NOT {OUTSIDE_BUG}),
            countIf({CLIENT} AND total_price = 0),
            countIf(markup_rate > 0 AND total_price > 0 AND total_price <= dev_price),
            countIf(markup_rate > 0 AND NOT ({CLIENT})), countIf({CLIENT} AND markup_rate = 0),
            countIf(markup_rate > 0 AND NOT ({VALID_DEV})),
            countIf(api_key_created_via = 'redirect-auth'), countIf({NO_CLIENT} AND {HOSTNAME}),
            countIf(api_key_created_via = 'redirect-auth' AND {HOSTNAME})
        FROM {v1} WHERE {RANGE} AND environment = 'production' AND {OK}""",
        params(),
    )
    assert all(counts), counts


def test_the_range_has_what_the_tier_simulation_tells_apart(generated: Store):
    """User-days over each tier's allowance, a user-day of two tiers, and v1 tier-meter rows that
    are billed 2xx outside production or in the bug window, or unbilled, or failed, so the
    simulation's caps, its user-day and each of its filters decide something."""
    v1 = generated.table("generation_event")
    capped = [f"countIf(tier = '{t}' AND actual_spend > {a})" for t, a in ALLOWANCES.items()]
    [counts] = generated.rows(
        f"""SELECT {", ".join(capped)},
            (SELECT count() FROM (SELECT day, user FROM {USER_DAYS} GROUP BY day, user
                HAVING count() > 1)),
            (SELECT countIf({BILLED} AND environment != 'production'),
                countIf({BILLED} AND NOT {OUTSIDE_BUG}), countIf(NOT is_billed_usage AND {OK}),
                countIf(is_billed_usage AND NOT ({OK}))
            FROM $v1 WHERE {RANGE} AND {V1_TIER} AND {FIVE_TIERS})
        FROM {USER_DAYS}""".replace("$v1", v1),
        params(),
    )
    assert all(counts[:6]) and all(counts[6]), counts


def test_the_range_has_what_the_oncall_panels_tell_apart(generated: Store):
    """403s, other environments than production, and request ids of events in other minutes,
    statuses or models exist, so each on-call filter and distinct count matters."""
    v1 = generated.table("generation_event")
    [(forbidden, elsewhere, spread)] = generated.rows(
        f"""SELECT countIf(response_status = 403), countIf(environment != 'production'),
            (SELECT count() FROM (
                SELECT request_id FROM {v1} GROUP BY request_id
                HAVING uniqExact(toStartOfMinute(start_time), response_status, model_used) > 1))
        FROM {v1} WHERE start_time >= {{start:DateTime('UTC')}}
            AND start_time < {{end:DateTime('UTC')}}""",
        params(),
    )
    assert forbidden > 0 and elsewhere > 0 and spread > 0


def test_the_range_has_what_the_provider_panels_tell_apart(generated: Store):
    """Production 2xx rows of a known provider without a cost or a price, billed 2xx rows of
    other environments and unbilled 2xx rows exist, so has_cost, has_price, the environment and
    is_billed_usage each decide something."""
    v1 = generated.table("generation_event")
    [(costless, priceless, elsewhere, unbilled)] = generated.rows(
        f"""SELECT countIf(environment = 'production' AND total_cost = 0),
            countIf(environment = 'production' AND total_price = 0),
            countIf(environment != 'production' AND is_billed_usage),
            countIf(NOT is_billed_usage)
        FROM {v1} WHERE start_time >= {{start:DateTime('UTC')}}
            AND start_time < {{end:DateTime('UTC')}} AND response_status >= 200
            AND response_status < 300 AND model_provider_used NOT IN ('', 'undefined')""",
        params(),
    )
    assert costless > 0 and priceless > 0 and elsewhere > 0 and unbilled > 0


def test_the_range_has_what_the_app_ecosystem_panels_tell_apart(generated: Store):
    """In the latest directory sync: uncategorized listings, developers of two listings or more,
    of categorized and uncategorized ones alike, a categorized listing of ROUTER, of an id
    without events and of an empty GitHub id (with uncategorized ones too), fewer listings in
    the first sync; among the range's production 2xx priced events of categorized developers,
    an empty GitHub id, keys made by redirect-auth, hostname keys made otherwise and hostname
    keys made by redirect-auth: so each filter of the app-ecosystem panels and the choice of
    the latest sync decide something."""
    directory = generated.table("app_directory")
    live = Template(LIVE).substitute(directory=directory)
    [counts] = generated.rows(
        f"""SELECT countIf(categories = 0), countIf(listings >= 2),
            countIf(categories > 0 AND categories < listings),
            countIf(github_user_id = '241978997' AND categories > 0),
            countIf(github_user_id = '0' AND categories > 0),
            countIf(github_user_id = '' AND categories > 0 AND categories < listings),
            sum(listings) > (SELECT count() FROM {directory}
                WHERE synced_at = (SELECT min(synced_at) FROM {directory}))
        FROM (SELECT github_user_id, count() AS listings, countIf(category != '') AS categories
            FROM {live} GROUP BY github_user_id)""",
    )
    v1 = generated.table("generation_event")
    production = PRODUCTION.replace("$d1", generated.table("d1_user"))
    [events] = generated.rows(
        f"""SELECT countIf(user_github_id = ''), countIf(api_key_created_via = 'redirect-auth'),
            countIf(api_key_created_via != 'redirect-auth' AND {HOSTNAME}),
            countIf(api_key_created_via = 'redirect-auth' AND {HOSTNAME})
        FROM {v1} WHERE {RANGE} AND {production}
            AND user_github_id IN (SELECT github_user_id FROM {live} WHERE category != '')""",
        params(),
    )
    assert all(counts) and all(events), (counts, events)


def test_readme_counts_the_legacy_panels_the_file_lists():
    """The sentence's totals and the table's row per dashboard: panels and each class."""
    readme = (COVERAGE.parents[1] / "README.md").read_text()
    panels = panels_of(legacy=True)
    listed = re.search(r"lists the (\d+) panels of the 18 legacy dashboards, (\d+) of them", readme)
    assert listed, "README no longer says how many legacy panels the coverage file lists"
    assert (int(listed.group(1)), int(listed.group(2))) == (len(panels), len(EXACT))
    dashboards = coverage()["dashboards"]
    for name in {panel["dashboard"] for panel in panels}:
        classes = Counter(panel["class"] for panel in panels if panel["dashboard"] == name)
        counts = [classes[c] for c in ("exact", "partial", "needs_source", "not_yet")]
        row = re.search(
            rf"^\| `{name}` \| {dashboards[name]['version']}[^|]*\|([^\n]*)$", readme, re.M
        )
        assert row, f"README's legacy table has no row for {name}"
        assert [int(n) for n in row.group(1).strip(" |").split(" | ")] == [classes.total(), *counts]


def test_readme_counts_the_legacy_panels_that_need_other_sources():
    """Each legacy dashboard's `needs` (table -> panel ids whose numbers need more than
    generation_event, read from their SQL at the version listed) names panels of the file, and
    README's count of them, and of the exact ones, is the file's."""
    panels = {(panel["dashboard"], panel["id"]): panel for panel in panels_of(legacy=True)}
    needing = {
        (name, panel_id)
        for name, dashboard in coverage()["dashboards"].items()
        for ids in dashboard.get("needs", {}).values()
        for panel_id in ids
    }
    assert needing <= set(panels), sorted(needing - set(panels))
    exact = [key for key in needing if panels[key]["class"] == "exact"]
    readme = (COVERAGE.parents[1] / "README.md").read_text()
    counted = re.search(
        r"(\d+) of them need more than\s+`generation_event`.*?: (\d+) of those", readme, re.S
    )
    assert counted, "README no longer says how many legacy panels need other sources"
    assert (int(counted.group(1)), int(counted.group(2))) == (len(needing), len(exact))


def test_the_range_has_what_the_stripe_panels_tell_apart(generated: Store):
    """Among the webhooks of the range: test-mode and unpaid sales, async payments, failed
    intents and expired sessions, two payment methods or more, an amount off the pack list, packs
    with a grant, with only a pack amount and with neither, so each filter and grouping of the
    Stripe panels decides something."""
    [counts] = generated.rows(
        f"""SELECT countIf(livemode = 0 AND payment_status = 'paid'),
            countIf(livemode = 1 AND payment_status != 'paid'
                AND event_type = 'checkout.session.completed'),
            countIf({SOLD} AND event_type = 'checkout.session.async_payment_succeeded'),
            countIf(event_type = 'payment_intent.payment_failed' AND livemode = 1),
            countIf(event_type = 'checkout.session.expired' AND livemode = 1),
            uniqExactIf(payment_method, {COMPLETED}) > 1,
            countIf({SOLD} AND amount_cents NOT IN (200, 500, 1000, 2000, 5000, 10000)),
            countIf({SOLD} AND metadata_pollen > 0),
            countIf({SOLD} AND metadata_pollen = 0 AND pack_usd_from_metadata > 0),
            countIf({SOLD} AND pack_usd_from_metadata = 0)
        FROM (SELECT *, {METADATA} FROM {generated.table("stripe_event")})""",
        params(),
    )
    assert all(counts), counts


def test_the_range_has_what_the_category_panels_tell_apart(generated: Store):
    """In category-economics' scope (ROUTER kept here): secret keys named after a host the map
    lists, and after one it does not of developers it lists by GitHub id (no fallback); keys of
    another type named after a listed host; ROUTER's rows, listed; and an earlier load of the
    map, so that the key type, each lookup, the ROUTER filter and the latest load decide
    something."""
    apps_md = Template(APPS_MD).substitute(map=generated.table("app_category_map"))
    hosts = f"(SELECT hostname FROM {apps_md} WHERE hostname != '')"
    ids = f"(SELECT github_user_id FROM {apps_md} WHERE github_user_id != '')"
    [counts] = generated.rows(
        f"""SELECT countIf({HOSTNAME} AND api_key_name IN {hosts}),
            countIf({HOSTNAME} AND api_key_name NOT IN {hosts} AND user_github_id IN {ids}),
            countIf(api_key_type != 'secret' AND api_key_name IN {hosts}),
            countIf(user_github_id = '241978997' AND user_github_id IN {ids}),
            (SELECT uniqExact(loaded_at) > 1 FROM {generated.table("app_category_map")})
        FROM {generated.table("generation_event")} WHERE {RANGE}
            AND environment = 'production' AND {OK} AND total_price > 0 AND {OUTSIDE_BUG}""",
        params(),
    )
    assert all(counts), counts
