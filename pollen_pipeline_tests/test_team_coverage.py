"""coverage/team_panels.yaml: every panel marked exact gives, from our summaries, the numbers
of the team's panel, asked here of raw v2 events as their summary layer defines them
(generation_usage_hourly over generation_event_v2: every v2 row, calls = final rows, regular
traffic by exact key ids). The restatements below are this test's own SQL, written from their
definitions, not from our tables' SQL."""

from __future__ import annotations

import datetime as dt
import re
from string import Template

import pytest

from pollen_pipeline import contract
from pollen_pipeline.cli import main
from pollen_pipeline.defs.usage.usage_classified_hourly.rules import traffic_groups
from pollen_pipeline.store import Store
from pollen_pipeline_tests.databases import fresh_database, materialize
from pollen_pipeline_tests.team_panels import COVERAGE, coverage, panels_of, rounded

START, DAYS = dt.date(2026, 2, 1), 8
# Copies of the first day's v2 rows (which rows: a condition; as they are, or as failed fallback
# attempts): every row the day before the team's reporting start (their summaries,
# generation_usage_hourly_mv and byop_app_daily_mv, keep nothing before 2026-01-09 00:00 UTC),
# then a day without BYOP calls and one of BYOP calls alone (their wide queries show a row of
# zeros for a stream's quiet day), and a day of BYOP attempts alone (their apps, as their users,
# count every row; the generator makes no BYOP attempt).
BYOP_ROW = "api_key_client_id NOT IN ('', 'undefined')"
BEFORE_THEIR_START = dt.date(2026, 1, 8)
COPIED_DAYS = {
    BEFORE_THEIR_START: ("1", "true"),
    dt.date(2026, 1, 20): (f"NOT {BYOP_ROW}", "true"),
    dt.date(2026, 1, 21): (BYOP_ROW, "true"),
    dt.date(2026, 1, 22): (BYOP_ROW, "false"),
}
CLASSES = {"exact", "partial", "needs_source", "not_yet", "text"}

# Raw v2 rows in the team's scope (Traffic = regular), with their classification, from their
# summaries' start; $range: which of them a panel's range keeps.
TEAM_ROWS = """(
    SELECT
        *,
        toStartOfHour(start_time, 'UTC') AS hour,
        coalesce(nullIf(nullIf(resolved_model_requested, ''), 'undefined'),
                 nullIf(nullIf(model_used, ''), 'undefined'),
                 nullIf(nullIf(model_requested, ''), 'undefined'), 'unknown') AS model,
        if(event_type IN ('', 'undefined'), 'unknown', event_type) AS workload,
        multiIf(selected_meter_slug IN ('v1:meter:pack', 'local:pack'), 'paid',
                selected_meter_slug IN ('v1:meter:tier', 'local:tier'), 'quest',
                'unfunded') AS funding,
        api_key_client_id NOT IN ('', 'undefined') AS byop,
        model_provider_used = 'community' AS community,
        response_status >= 200 AND response_status < 300 AS ok,
        ok AND is_billed_usage AS billed
    FROM $v2
    WHERE start_time >= toDateTime('2026-01-09 00:00:00', 'UTC')
        AND environment IN ('production', 'debug-prod-copy')
        AND api_key_id NOT IN {legacy_keys:Array(String)} $internal $range
)"""
# Grafana's `to` (inclusive, to the second): the range's exclusive {end} less one second.
THEIR_TO = "({end:DateTime('UTC')} - INTERVAL 1 SECOND)"
# Their $__timeFilter on the summary's hour, and on byop_app_daily's Date day (its midnight).
HOURS_IN_RANGE = f"AND hour >= {{start:DateTime('UTC')}} AND hour <= {THEIR_TO}"
DAYS_IN_RANGE = f"""AND toDateTime(toDate(start_time, 'UTC'), 'UTC') >= {{start:DateTime('UTC')}}
        AND toDateTime(toDate(start_time, 'UTC'), 'UTC') <= {THEIR_TO}"""
# Their traffic groups by exact key ids: regular (legacy and internal out), or legacy out only.
REGULAR = "AND api_key_id NOT IN {internal_keys:Array(String)}"
PRODUCT_PATH = """multiIf(byop AND community, 'BYOP · BYOM', byop, 'BYOP · Pollinations models',
    community, 'BYOM · Direct', 'Direct API')"""
PRODUCT_PATHS = f"""
SELECT toStartOfDay(hour) AS time, {PRODUCT_PATH} AS path, countIf(ok),
    round(sumIf(total_price, billed AND funding = 'paid'), 2),
    round(sumIf(total_price, billed AND funding = 'quest'), 2)
FROM $rows GROUP BY time, path ORDER BY time, path"""
# (dashboard, panel id) -> the question asked of raw v2 events
PLATFORM = "platform-usage-rebuild"
DIRECT = "core-api-rebuild"
RESTATED = {
    (PLATFORM, 1): """SELECT countIf(is_final), uniq(user_id), uniqIf(api_key_client_id, byop),
              uniqIf(model, model != 'unknown') FROM $rows""",
    (
        PLATFORM,
        2,
    ): """SELECT toStartOfDay(hour) AS time, replaceOne(workload, 'generate.', '') AS kind,
              countIf(ok) FROM $rows GROUP BY time, kind ORDER BY time, kind""",
    (PLATFORM, 3): """SELECT hour, replaceOne(workload, 'generate.', '') AS kind, countIf(is_final)
          FROM $rows GROUP BY hour, kind ORDER BY hour, kind""",
    (
        PLATFORM,
        4,
    ): """SELECT toStartOfDay(hour) AS time, uniq(user_id), uniqIf(api_key_client_id, byop)
          FROM $rows GROUP BY time ORDER BY time""",
    (PLATFORM, 5): PRODUCT_PATHS,
    (PLATFORM, 6): PRODUCT_PATHS,
    (PLATFORM, 14): PRODUCT_PATHS,
    (PLATFORM, 15): PRODUCT_PATHS,
    (PLATFORM, 7): """SELECT toStartOfDay(hour) AS time,
              if(model IN (SELECT model FROM $rows GROUP BY model
                           ORDER BY countIf(ok) DESC, model LIMIT 8), model, 'Other') AS shown,
              countIf(ok)
          FROM $rows GROUP BY time, shown ORDER BY time, shown""",
    (
        PLATFORM,
        8,
    ): """SELECT model, countIf(ok) AS calls, uniq(user_id), uniqIf(api_key_client_id, byop),
              round(sumIf(total_price, billed AND funding = 'paid'), 2),
              round(sumIf(total_price, billed AND funding = 'quest'), 2)
          FROM $rows GROUP BY model ORDER BY calls DESC, model LIMIT 50""",
    (PLATFORM, 10): """SELECT toStartOfDay(hour) AS time, sumIf(token_count_prompt_text, ok),
               sumIf(token_count_prompt_cached, ok), sumIf(token_count_prompt_cache_write, ok),
               sumIf(token_count_completion_text, ok), sumIf(token_count_completion_reasoning, ok)
           FROM $rows GROUP BY time ORDER BY time""",
    (PLATFORM, 11): """SELECT toStartOfDay(hour) AS time,
               sumIf(token_count_prompt_image, ok) + sumIf(token_count_completion_image, ok),
               sumIf(token_count_prompt_audio_seconds, ok)
                   + sumIf(token_count_completion_audio_seconds, ok),
               sumIf(token_count_completion_video_seconds, ok)
           FROM $rows GROUP BY time ORDER BY time""",
}

CORE = "NOT byop AND NOT community"


def usage_by_kind(rows: str) -> str:
    """Their usage columns of the served rows that ``rows`` names: text tokens, image tokens,
    audio and video seconds."""
    return f"""sumIf(token_count_prompt_text + token_count_prompt_cached
            + token_count_prompt_cache_write + token_count_completion_text
            + token_count_completion_reasoning, ok AND {rows}),
        sumIf(token_count_prompt_image + token_count_completion_image, ok AND {rows}),
        round(sumIf(token_count_prompt_audio_seconds
            + token_count_completion_audio_seconds, ok AND {rows}), 2),
        round(sumIf(token_count_completion_video_seconds, ok AND {rows}), 2)"""


# Their wide queries (Direct API 2, BYOP 2) count one stream's calls per day of every stream's.
def calls_by_workload(rows: str) -> str:
    """Per day of the range, the served calls of ``rows`` by workload."""
    return f"""SELECT toStartOfDay(hour) AS time,
        countIf(ok AND {rows} AND workload = 'generate.text'),
        countIf(ok AND {rows} AND workload = 'generate.image'),
        countIf(ok AND {rows} AND workload = 'generate.embedding'),
        countIf(ok AND {rows} AND workload = 'generate.audio'),
        countIf(ok AND {rows} AND workload = 'generate.video'),
        countIf(ok AND {rows} AND workload NOT IN ('generate.text', 'generate.image',
            'generate.embedding', 'generate.audio', 'generate.video'))
        FROM $rows GROUP BY time ORDER BY time"""


# Their users: every row's, a fallback attempt's in its own row's stream (an attempt of a
# community-model request at another provider makes its user a Direct API user).
RESTATED |= {
    (DIRECT, 1): f"""SELECT countIf(ok), uniq(user_id),
        round(sumIf(total_price, billed AND funding = 'paid'), 2),
        round(sumIf(total_price, billed AND funding = 'quest'), 2)
        FROM $rows WHERE {CORE}""",
    (DIRECT, 3): f"""SELECT toStartOfDay(hour) AS time, uniqIf(user_id, {CORE})
        FROM $rows GROUP BY time ORDER BY time""",
    (DIRECT, 7): f"""SELECT model, countIf(ok) AS calls, uniq(user_id),
        round(sumIf(total_price, billed AND funding = 'paid'), 2),
        round(sumIf(total_price, billed AND funding = 'quest'), 2),
        {usage_by_kind(CORE)}
        FROM $rows WHERE {CORE} GROUP BY model ORDER BY calls DESC, model LIMIT 50""",
    (DIRECT, 2): calls_by_workload(CORE),
    (DIRECT, 4): f"""SELECT toStartOfDay(hour) AS time,
        sumIf(total_price, billed AND {CORE} AND funding = 'paid'),
        sumIf(total_price, billed AND {CORE} AND funding = 'quest')
        FROM $rows GROUP BY time ORDER BY time""",
    (DIRECT, 5): f"""SELECT toStartOfDay(hour) AS time,
        round(100 * countIf(ok AND {CORE}) / nullIf(countIf(ok), 0), 2)
        FROM $rows GROUP BY time ORDER BY time""",
    (DIRECT, 8): f"""SELECT toStartOfDay(hour) AS time, {usage_by_kind(CORE)}
        FROM $rows GROUP BY time ORDER BY time""",
    (DIRECT, 6): f"""SELECT toStartOfDay(hour) AS time,
        if(model IN (SELECT model FROM $rows WHERE {CORE} GROUP BY model
                     ORDER BY countIf(ok) DESC, model LIMIT 8), model, 'Other') AS shown,
        countIf(ok)
        FROM $rows WHERE {CORE} GROUP BY time, shown ORDER BY time, shown""",
}


BYOM = "community-models-rebuild"
REWARDED = (
    "billed AND community_model_reward_user_id NOT IN ('', 'undefined') "
    "AND community_model_reward_amount > 0"
)
RESTATED |= {
    (BYOM, 1): f"""SELECT uniqIf(model, model != 'unknown'), uniq(user_id), countIf(ok),
        round(100 * countIf(ok AND byop) / nullIf(countIf(ok), 0), 1),
        round(sumIf(total_price, billed AND NOT byop AND funding = 'paid'), 2),
        round(sumIf(community_model_reward_amount, {REWARDED}), 2)
        FROM $rows WHERE community""",
    (BYOM, 2): """SELECT toStartOfDay(hour) AS time, countIf(ok AND community AND NOT byop),
        countIf(ok AND community AND byop) FROM $rows GROUP BY time ORDER BY time""",
    (BYOM, 3): """SELECT toStartOfDay(hour) AS time,
        round(100 * countIf(ok AND community) / nullIf(countIf(ok), 0), 2)
        FROM $rows GROUP BY time ORDER BY time""",
    (BYOM, 4): """SELECT toStartOfDay(hour) AS time,
        uniqIf(model, community AND model != 'unknown'), uniqIf(user_id, community)
        FROM $rows GROUP BY time ORDER BY time""",
    (BYOM, 5): """SELECT toStartOfDay(hour) AS time,
        sumIf(total_price, billed AND community AND funding = 'paid'),
        sumIf(total_price, billed AND community AND funding = 'quest')
        FROM $rows GROUP BY time ORDER BY time""",
    (BYOM, 6): """SELECT toStartOfDay(hour) AS time,
        sumIf(total_price, billed AND community AND NOT byop AND funding = 'paid'),
        sumIf(total_price, billed AND community AND NOT byop AND funding = 'quest')
        FROM $rows GROUP BY time ORDER BY time""",
    (BYOM, 7): f"""SELECT toStartOfDay(hour) AS time,
        sumIf(community_model_reward_amount, {REWARDED} AND community AND funding = 'paid'),
        sumIf(community_model_reward_amount, {REWARDED} AND community AND funding = 'quest')
        FROM $rows GROUP BY time ORDER BY time""",
    (BYOM, 8): f"""SELECT model, countIf(ok) AS calls, uniq(user_id),
        round(sumIf(total_price, billed AND funding = 'paid'), 2),
        round(sumIf(total_price, billed AND funding = 'quest'), 2),
        round(100 * countIf(ok AND byop) / nullIf(countIf(ok), 0), 1),
        round(sumIf(total_price, billed AND NOT byop AND funding = 'paid'), 2),
        round(sumIf(community_model_reward_amount, {REWARDED}), 2)
        FROM $rows WHERE community GROUP BY model ORDER BY calls DESC, model LIMIT 50""",
}


BYOP = "byop-apps-rebuild"
RESTATED |= {
    (BYOP, 1): """SELECT uniqIf(api_key_client_id, byop), uniq(user_id), countIf(ok),
        round(sumIf(total_price, billed AND funding = 'paid'), 2),
        round(sumIf(total_price, billed AND funding = 'quest'), 2),
        round(sumIf(total_price - dev_price, billed AND api_key_created_for_user_id
            NOT IN ('', 'undefined') AND total_price > dev_price), 2)
        FROM $rows WHERE byop""",
    (BYOP, 2): calls_by_workload("byop"),
    (BYOP, 3): """SELECT toStartOfDay(hour) AS time,
        round(100 * countIf(ok AND byop) / nullIf(countIf(ok), 0), 2)
        FROM $rows GROUP BY time ORDER BY time""",
    (BYOP, 4): """SELECT toStartOfDay(hour) AS time, uniqIf(api_key_client_id, byop),
        uniqIf(user_id, byop) FROM $rows GROUP BY time ORDER BY time""",
    (BYOP, 5): """SELECT toStartOfDay(hour) AS time,
        sumIf(total_price, billed AND byop AND funding = 'paid'),
        sumIf(total_price, billed AND byop AND funding = 'quest')
        FROM $rows GROUP BY time ORDER BY time""",
    (BYOP, 6): """SELECT toStartOfDay(hour) AS time, countIf(ok AND byop AND NOT community),
        countIf(ok AND byop AND community) FROM $rows GROUP BY time ORDER BY time""",
    (BYOP, 7): """SELECT toStartOfDay(hour) AS time,
        sumIf(total_price - dev_price, billed AND byop AND funding = 'paid'
            AND api_key_created_for_user_id NOT IN ('', 'undefined') AND total_price > dev_price),
        sumIf(total_price - dev_price, billed AND byop AND funding = 'quest'
            AND api_key_created_for_user_id NOT IN ('', 'undefined') AND total_price > dev_price)
        FROM $rows GROUP BY time ORDER BY time""",
}

# Their byop_app_daily: the app is the client id and the name its keys were minted for, the
# owner the user id they were minted for; the owner's GitHub label (D1) is left out by policy.
# Its rows are days: the panel keeps those whose midnight is in the range ($app_day_rows).
APP = "coalesce(nullIf(nullIf(api_key_created_for_app, ''), 'undefined'), api_key_client_id)"
OWNER = (
    "if(api_key_created_for_user_id IN ('', 'undefined'), 'unknown', api_key_created_for_user_id)"
)
BY_APP = f"api_key_client_id AS app_id, {APP} AS app, {OWNER} AS owner"
RESTATED |= {
    (BYOP, 8): f"""SELECT a.app, a.owner, a.calls, a.users, a.paid, a.quest, a.reward, a.share,
            t.top
        FROM (
            SELECT {BY_APP}, countIf(ok) AS calls, uniq(user_id) AS users,
                round(sumIf(total_price, billed AND funding = 'paid'), 2) AS paid,
                round(sumIf(total_price, billed AND funding = 'quest'), 2) AS quest,
                round(sumIf(total_price - dev_price, billed AND api_key_created_for_user_id
                    NOT IN ('', 'undefined') AND total_price > dev_price), 2) AS reward,
                round(100 * countIf(ok AND community) / nullIf(countIf(ok), 0), 1) AS share
            FROM $app_day_rows WHERE byop GROUP BY app_id, app, owner
        ) AS a
        JOIN (
            SELECT app_id, app, owner, arrayStringConcat(arraySlice(arrayMap(x -> x.2,
                arraySort(x -> (-x.1, x.2), groupArray((calls, model)))), 1, 3), ', ') AS top
            FROM (SELECT {BY_APP}, model, countIf(ok) AS calls FROM $app_day_rows WHERE byop
                  GROUP BY app_id, app, owner, model)
            GROUP BY app_id, app, owner
        ) AS t USING (app_id, app, owner)
        ORDER BY a.calls DESC, a.app, a.owner, app_id LIMIT 50""",
}


USERS = "users-balances-rebuild"
LATEST_D1 = "synced_at = (SELECT max(synced_at) FROM $d1) AND banned = 0"
CREATED = "toDateTime(assumeNotNull(created_at), 'UTC')"  # their fromUnixTimestamp, in UTC
IN_RANGE = f"{CREATED} >= {{start:DateTime('UTC')}} AND {CREATED} < {{end:DateTime('UTC')}}"
REGISTRATIONS = f"""SELECT toStartOfDay({CREATED}) AS time, count() AS registrations FROM $d1
    WHERE {LATEST_D1} AND created_at IS NOT NULL AND {IN_RANGE} GROUP BY time"""
# Per day and user, the last successful billed v2 event's balances under the v1:meter slugs
# (0 when the event has none), production and debug-prod-copy, D1's banned accounts out: the one
# query panels 2, 3 and 5 show fields of, with their quantile() over the same per-user values.
OBSERVED = """SELECT toStartOfDay(start_time, 'UTC') AS day, user_id,
        argMax(balances['v1:meter:tier'], start_time) AS quest,
        argMax(balances['v1:meter:pack'], start_time) AS paid
    FROM $v2
    WHERE start_time >= greatest({start:DateTime('UTC')}, toDateTime('2026-01-09', 'UTC'))
        AND start_time < {end:DateTime('UTC')}
        AND environment IN ('production', 'debug-prod-copy')
        AND response_status >= 200 AND response_status < 300 AND is_billed_usage
        AND user_id NOT IN ('', 'undefined')
        AND user_id NOT IN (SELECT id FROM $d1
            WHERE synced_at = (SELECT max(synced_at) FROM $d1) AND banned = 1)
    GROUP BY day, user_id"""
OBSERVED_BALANCES = f"""SELECT day, round(sum(quest), 2), round(sum(paid), 2),
        round(quantile(0.95)(quest), 2), round(quantile(0.99)(quest), 2), round(max(quest), 2),
        round(quantile(0.95)(paid), 2), round(quantile(0.99)(paid), 2), round(max(paid), 2),
        count()
    FROM ({OBSERVED}) GROUP BY day ORDER BY day"""
# Their first activity: the first final v2 row (any status) of production or debug-prod-copy,
# every traffic group, to the second (user_first_activity_mv @ 1781e1c8); D7: within 7 days of
# created_at, for the accounts registered at least 7 days before the range's end.
D7_ACTIVATION = f"""SELECT toStartOfDay({CREATED}) AS time, count(),
        countIf(first IS NOT NULL AND first >= {CREATED} AND first <= {CREATED} + INTERVAL 7 DAY)
    FROM (SELECT * FROM $d1 WHERE {LATEST_D1} AND created_at IS NOT NULL
          AND {CREATED} >= {{start:DateTime('UTC')}}
          AND {CREATED} < {{end:DateTime('UTC')}} - INTERVAL 7 DAY) AS accounts
    LEFT JOIN (SELECT user_id, min(toDateTime(start_time, 'UTC')) AS first FROM $v2
               WHERE is_final AND environment IN ('production', 'debug-prod-copy')
                   AND user_id NOT IN ('', 'undefined')
               GROUP BY user_id) AS activity ON accounts.id = activity.user_id
    GROUP BY time ORDER BY time"""
# Their DAU and WAU (063adde3) over their summary's every row (legacy out): the days from the one
# holding the later of the range's start and 2026-01-09 to the one holding `to`, no later than the
# summary's last day; WAU looks back six days from each day's midnight.
DAU_WAU = f"""WITH toStartOfDay(greatest({{start:DateTime('UTC')}},
            toDateTime('2026-01-09 00:00:00', 'UTC')), 'UTC') AS start_day,
        assumeNotNull(least(toStartOfDay({THEIR_TO}, 'UTC'),
            (SELECT toStartOfDay(max(hour), 'UTC') FROM $nonlegacy_history))) AS end_day
    SELECT day, uniqIf(user_id, hour >= day AND hour < day + INTERVAL 1 DAY),
        uniqIf(user_id, hour >= day - INTERVAL 6 DAY AND hour < day + INTERVAL 1 DAY)
    FROM (SELECT start_day + INTERVAL number DAY AS day
          FROM numbers(toUInt64(greatest(dateDiff('day', start_day, end_day), 0) + 1))) AS days
    CROSS JOIN $nonlegacy_history AS team
    WHERE hour >= start_day - INTERVAL 6 DAY AND hour < end_day + INTERVAL 1 DAY
    GROUP BY day ORDER BY day"""
RESTATED |= {
    (USERS, 2): OBSERVED_BALANCES,
    (USERS, 3): OBSERVED_BALANCES,
    (USERS, 5): OBSERVED_BALANCES,
    # the label is the account id by policy (theirs the GitHub name first); ties by it
    (USERS, 6): f"""SELECT id AS user, round(coalesce(tier_balance, 0), 2),
        round(coalesce(pack_balance, 0), 2),
        round(coalesce(tier_balance, 0) + coalesce(pack_balance, 0), 2),
        round(greatest(abs(coalesce(tier_balance, 0)), abs(coalesce(pack_balance, 0))), 2)
            AS magnitude
        FROM $d1 WHERE {LATEST_D1} ORDER BY magnitude DESC, user LIMIT 50""",
    (USERS, 10): D7_ACTIVATION,
    (USERS, 1): f"""SELECT count(), countIf(created_at IS NOT NULL AND {IN_RANGE}),
        round(sum(coalesce(tier_balance, 0)), 2), round(sum(coalesce(pack_balance, 0)), 2),
        countIf(coalesce(tier_balance, 0) < 0), countIf(coalesce(pack_balance, 0) < 0)
        FROM $d1 WHERE {LATEST_D1} HAVING count() > 0""",
    (USERS, 4): """SELECT toStartOfDay(hour) AS time, funding, sumIf(total_price, billed)
        FROM $nonlegacy_rows WHERE funding IN ('paid', 'quest')
        GROUP BY time, funding ORDER BY time, funding""",
    (USERS, 7): f"{REGISTRATIONS} ORDER BY time",
    (USERS, 8): f"""SELECT time, sum(registrations) OVER (ORDER BY time)
        FROM ({REGISTRATIONS}) ORDER BY time""",
    (USERS, 9): DAU_WAU,
}


WEBSITES = "websites-rebuild"
# Their $__timeFilter(timestamp) as grafana-clickhouse-datasource expands it: `from` and `to`
# cut to whole seconds, `timestamp >= toDateTime(<from>) AND timestamp <= toDateTime(<to>)`; on
# product_event's DateTime64(3) timestamp it drops the last second's events after .000.
TIME_FILTER = f"timestamp >= {{start:DateTime('UTC')}} AND timestamp <= {THEIR_TO}"
# Their first-party panels (b3737799): product_event's production rows of the range, each with
# where its visit came from (the campaign tag cut at a link's markdown leftovers, else the
# referring host, else direct).
PRODUCT_ROWS = rf"""(
    SELECT
        *,
        multiIf(utm_source != '', replaceRegexpOne(utm_source, '[)\\],\\s].*$$', ''),
                referrer_host != '', referrer_host, 'direct') AS source
    FROM $product_event
    WHERE environment = 'production' AND {TIME_FILTER}
)"""
# Panel 7's query, whose funnels panels 7, 8 and 9 show: plain counts of sign-in stages,
# distinct device flows per stage, distinct accounts per purchase stage; paid: a checkout
# starter with a live, paid, completed (or async succeeded) Stripe checkout in the range.
FUNNELS = f"""SELECT funnel,
        concat(step, ' (', ifNull(toString(round(100 * n / nullIf(
            first_value(n) OVER (PARTITION BY funnel ORDER BY step), 0))), '0'), '%)') AS stage,
        n AS count
    FROM (
        SELECT countIf(event = 'sign_in_started') AS started,
            countIf(event = 'sign_in_returned') AS returned,
            countIf(event = 'sign_in_completed') AS completed,
            countIf(event = 'signup_completed') AS signups,
            uniqIf(flow_id, event = 'device_code_issued') AS codes,
            uniqIf(flow_id, event = 'device_approved') AS approved,
            uniqIf(flow_id, event = 'device_token_issued') AS tokens,
            uniqIf(user_id, event = 'page_viewed' AND user_id != ''
                AND page IN ('/pollen', '/top-up', '/_dashboard/pollen')) AS viewed_pollen,
            uniqIf(user_id, event = 'checkout_started') AS checkout,
            uniqIf(user_id, event = 'checkout_started' AND user_id IN (
                SELECT user_id FROM $stripe
                WHERE livemode = 1 AND payment_status = 'paid'
                    AND event_type IN ('checkout.session.completed',
                                       'checkout.session.async_payment_succeeded')
                    AND {TIME_FILTER})) AS paid
        FROM $product_rows
    )
    ARRAY JOIN
        ['sign_in', 'sign_in', 'sign_in', 'sign_in', 'cli', 'cli', 'cli',
         'purchase', 'purchase', 'purchase'] AS funnel,
        ['1 · Sent to GitHub', '2 · Back from GitHub', '3 · Signed in', '4 · New account',
         '1 · Code shown in CLI', '2 · Approved in browser', '3 · Token collected',
         '1 · Viewed Pollen or top-up page', '2 · Started checkout', '3 · Paid'] AS step,
        [started, returned, completed, signups, codes, approved, tokens,
         viewed_pollen, checkout, paid] AS n"""
RESTATED |= {
    (WEBSITES, 4): """SELECT toStartOfDay(timestamp, 'UTC') AS time, toString(page) AS page,
        count() FROM $product_rows WHERE event = 'website_page_viewed'
        GROUP BY time, page ORDER BY time, page""",
    (WEBSITES, 5): """SELECT
            if(event = 'website_page_viewed', 'pollinations.ai', 'enter.pollinations.ai') AS site,
            replaceRegexpOne(page, '^/_dashboard(/|$$)', '/') AS path, count() AS views,
            countIf(user_id = ''), uniqIf(user_id, user_id != '')
        FROM $product_rows WHERE event IN ('page_viewed', 'website_page_viewed')
        GROUP BY site, path ORDER BY views DESC, site, path""",
    # first touch: a signed-in account's earliest Enter view of the range; signed up: its
    # sign-up in the range (ties ordered by source, theirs in no set order)
    (WEBSITES, 6): """SELECT source, website_views, enter_views, people, signups, via_website
        FROM (
            SELECT *,
                row_number() OVER (ORDER BY people DESC, enter_views DESC, source) AS enter_rank,
                row_number() OVER (ORDER BY ifNull(website_views, 0) DESC, source) AS site_rank
            FROM (
                SELECT source, nullIf(countIf(event = 'website_page_viewed'), 0) AS website_views,
                    countIf(event = 'page_viewed') AS enter_views, countIf(first) AS people,
                    countIf(first AND signed_up) AS signups,
                    countIf(first AND signed_up AND referrer_host IN ('pollinations.ai',
                        'www.pollinations.ai')) AS via_website
                FROM (
                    SELECT *,
                        user_id != '' AND event = 'page_viewed' AND row_number() OVER (
                            PARTITION BY user_id, event ORDER BY timestamp) = 1 AS first,
                        max(event = 'signup_completed') OVER (PARTITION BY user_id) AS signed_up
                    FROM $product_rows
                    WHERE event IN ('page_viewed', 'website_page_viewed', 'signup_completed')
                )
                WHERE event != 'signup_completed'
                GROUP BY source
            )
        )
        WHERE enter_rank <= 40 OR (site_rank <= 40 AND website_views > 0)
        ORDER BY people DESC, enter_views DESC, source""",
    (WEBSITES, 7): f"SELECT stage, count FROM ({FUNNELS}) WHERE funnel = 'sign_in' ORDER BY stage",
    (WEBSITES, 8): f"SELECT stage, count FROM ({FUNNELS}) WHERE funnel = 'cli' ORDER BY stage",
    (WEBSITES, 9): f"SELECT stage, count FROM ({FUNNELS}) WHERE funnel = 'purchase' ORDER BY stage",
}


EXACT = [panel for panel in panels_of(legacy=False) if panel["class"] == "exact"]


def params() -> dict:
    start = dt.datetime.combine(START, dt.time(), dt.UTC)
    keys = {f"{group}_keys": ids for group, ids in traffic_groups().items()}
    return {"start": start, "end": start + dt.timedelta(days=DAYS), **keys}


# Synthetic balances after 2025-12-01 use the local:* slugs alone; the team's observed balances
# read the v1:meter:* ones. Half the v2 rows (by event id) are given those, so a user's last
# event may hold either generation and the panels read 0 for the local ones.
V1_METER_SLUGS = """ALTER TABLE $v2 UPDATE balances = mapFromArrays(
        arrayMap(slug -> replaceOne(slug, 'local:', 'v1:meter:'), mapKeys(balances)),
        mapValues(balances))
    WHERE modulo(cityHash64(event_id), 2) = 0 SETTINGS mutations_sync = 2"""
# The generator's checkout starters that never pay get one Stripe webhook each (by account): a
# test-mode payment, a completed checkout still unpaid, an async payment that succeeded later
# and one that failed, so each filter of the paid stage decides an account.
CHECKOUT_OUTCOMES = """INSERT INTO $stripe
        (timestamp, event_type, event_id, user_id, payment_status, livemode, payload)
    SELECT at, outcome.1, concat('evt_outcome_', user_id), user_id, outcome.2, outcome.3, '{}'
    FROM (
        SELECT user_id, toDateTime(min(timestamp), 'UTC') + INTERVAL 5 MINUTE AS at,
            [('checkout.session.completed', 'paid', 0),
             ('checkout.session.completed', 'unpaid', 1),
             ('checkout.session.async_payment_succeeded', 'paid', 1),
             ('checkout.session.async_payment_failed', 'unpaid', 1)
            ][1 + modulo(cityHash64(user_id), 4)] AS outcome
        FROM $product_event
        WHERE event = 'checkout_started' AND user_id NOT IN (SELECT user_id FROM $stripe)
        GROUP BY user_id
    )"""
# The last second of the Websites ranges' last days (the inner range's, inside the full one, and
# the full range's): at .000, which their whole-second `to` keeps, and at .001 and .999, which it
# drops, one event of each kind the panels count, each moment with an account, a flow and a
# source of its own; and each account's paid Stripe checkout in that second (whole seconds, kept
# by their filter), so every panel's numbers move with the cut.
LAST_SECOND_EVENTS = """INSERT INTO $product_event
        (timestamp, event_id, event, user_id, environment, page, flow_id, utm_source)
    SELECT at, concat(id, '-', kind.1), kind.1, if(kind.3, id, ''), 'production', kind.2,
        if(kind.1 = 'device_code_issued', id, ''), id
    FROM (
        SELECT toDateTime64(day, 3, 'UTC') + toIntervalMillisecond(86399000 + ms) AS at,
            concat('last-second-', toString(toUnixTimestamp64Milli(at))) AS id
        FROM (SELECT arrayJoin({days:Array(Date)}) AS day) ARRAY JOIN [0, 1, 999] AS ms
    )
    ARRAY JOIN [('website_page_viewed', '/', false), ('page_viewed', '/pollen', true),
        ('signup_completed', '', true), ('sign_in_started', '', false),
        ('device_code_issued', '', false), ('checkout_started', '/pollen', true)] AS kind"""
LAST_SECOND_PAYMENTS = """INSERT INTO $stripe
        (timestamp, event_type, event_id, user_id, payment_status, livemode, payload)
    SELECT toDateTime(timestamp, 'UTC'), 'checkout.session.completed', concat('evt_', user_id),
        user_id, 'paid', 1, '{}'
    FROM $product_event WHERE event = 'checkout_started' AND startsWith(user_id, 'last-second-')"""
# Those of the first day's v2 rows, as new requests, on another day; unless $final, each a failed
# attempt (the rows are chosen in a subquery: in the outer WHERE, start_time would be the
# shifted alias).
COPY = """INSERT INTO $v2 SELECT * REPLACE (
        start_time - INTERVAL $shift DAY AS start_time, end_time - INTERVAL $shift DAY AS end_time,
        is_final AND $final AS is_final, if($final, response_status, 502) AS response_status,
        concat('$day-', event_id) AS event_id, concat('$day-', request_id) AS request_id,
        if(parent_request_id = '', '', concat('$day-', parent_request_id)) AS parent_request_id)
    FROM (SELECT * FROM $v2 WHERE toDate(start_time, 'UTC') = {first:Date} AND $rows)"""
SUMMARIES = (
    "usage_classified_hourly",
    "account_daily",
    "team_user_daily",
    "byop_app_model_daily",
    "product_funnel_daily",
)


@pytest.fixture(scope="module")
def generated(store_url: str):
    """Eight days of synthetic events (pack use starts some days into a range), v2 from the
    first day with half its balances under the v1:meter slugs, the Websites ranges' last
    seconds (LAST_SECOND_EVENTS), the first day's v2 rows copied to three earlier days
    (COPIED_DAYS), the summaries built."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        args = ["generate", "--start", str(START), "--days", str(DAYS), "--events-per-day", "2000"]
        assert main([*args, "--v2-from", str(START), "--seed", "7"]) == 0
        v2 = store.table("generation_event_v2")
        store.command(Template(V1_METER_SLUGS).substitute(v2=v2))
        outcomes = Template(CHECKOUT_OUTCOMES).substitute(
            stripe=store.table("stripe_event"), product_event=store.table("product_event")
        )
        store.command(outcomes)
        tables = {
            "product_event": store.table("product_event"),
            "stripe": store.table("stripe_event"),
        }
        last_days = [(end - dt.timedelta(days=1)).date() for end in (INNER["end"], params()["end"])]
        store.command(Template(LAST_SECOND_EVENTS).substitute(tables), {"days": last_days})
        store.command(Template(LAST_SECOND_PAYMENTS).substitute(tables))
        env.setenv("POLLEN_V2_FROM", BEFORE_THEIR_START.isoformat())
        for day, (rows, final) in COPIED_DAYS.items():
            shift = (START - day).days
            copy = Template(COPY).substitute(v2=v2, shift=shift, day=day, rows=rows, final=final)
            store.command(copy, {"first": START})
            materialize(day, day, "event_facts_daily", *SUMMARIES)
        last = START + dt.timedelta(days=DAYS - 1)
        materialize(START, last, "event_facts_daily", *SUMMARIES)
        yield store


def test_every_panel_is_classified_and_every_exact_one_has_a_query():
    document = coverage()
    for panel in document["panels"]:
        assert panel["dashboard"] in document["dashboards"], panel
        assert panel["class"] in CLASSES, panel
        assert ("query" in panel) == (panel["class"] == "exact"), panel
        assert ("why" in panel) == (panel["class"] in ("partial", "needs_source", "not_yet")), panel
    assert {(panel["dashboard"], panel["id"]) for panel in EXACT} == set(RESTATED)


def panel_id(panel: dict) -> str:
    return f"{panel['dashboard']}-{panel['id']}"


def ours_and_theirs(store: Store, panel: dict, bound: dict) -> tuple[list, list]:
    """The panel's rows from our summaries and from the question asked of raw rows."""
    tables = {name: store.table(name) for name in SUMMARIES}
    ours = Template(panel["query"]).substitute(contract.fragments(), **tables)
    v2 = store.table("generation_event_v2")
    rows = Template(TEAM_ROWS)
    theirs = Template(RESTATED[(panel["dashboard"], panel["id"])]).substitute(
        rows=rows.substitute(v2=v2, internal=REGULAR, range=HOURS_IN_RANGE),
        app_day_rows=rows.substitute(v2=v2, internal=REGULAR, range=DAYS_IN_RANGE),
        nonlegacy_rows=rows.substitute(v2=v2, internal="", range=HOURS_IN_RANGE),
        nonlegacy_history=rows.substitute(v2=v2, internal="", range=""),
        v2=v2,
        d1=store.table("d1_user"),
        product_rows=Template(PRODUCT_ROWS).substitute(product_event=store.table("product_event")),
        stripe=store.table("stripe_event"),
    )
    return rounded(store.rows(ours, bound)), rounded(store.rows(theirs, bound))


@pytest.mark.parametrize("panel", EXACT, ids=panel_id)
def test_an_exact_panel_equals_the_question_asked_of_raw_events(generated: Store, panel: dict):
    ours, expected = ours_and_theirs(generated, panel, params())
    numbers = [v for row in expected for v in row if isinstance(v, int | float)]
    assert any(numbers), "the synthetic data must give the panel something to show"
    assert ours == expected


# Ranges of the usage summaries' panels that are not whole days: one from before the team's
# reporting start over the copied days, one whose first day's WAU looks back to the copied BYOP
# day (from its midnight, not from the range's clock time), one past the data's last day.
PARTIAL_DAY_RANGES = {
    "from-before-their-start": (dt.datetime(2026, 1, 7, 10, 30), dt.datetime(2026, 2, 5, 10, 30)),
    "week-after-a-copy": (dt.datetime(2026, 1, 27, 5, 30, 20), dt.datetime(2026, 2, 4, 18, 45, 1)),
    "past-the-data": (dt.datetime(2026, 2, 3, 7, 15, 20), dt.datetime(2026, 2, 11, 23, 0, 1)),
}
USAGE_SUMMARY_PANELS = [
    panel
    for panel in EXACT
    if re.search(r"\$(usage_classified_hourly|byop_app_model_daily)\b", panel["query"])
    and "$account_daily" not in panel["query"]
]


@pytest.mark.parametrize("span", PARTIAL_DAY_RANGES, ids=str)
@pytest.mark.parametrize("panel", USAGE_SUMMARY_PANELS, ids=panel_id)
def test_a_usage_summary_panel_equals_theirs_for_any_range(generated: Store, panel: dict, span):
    """Their summaries' hours and days are kept by $__timeFilter (the hour, a day's midnight,
    in [from, to]) from their reporting start on: the copied day before it is theirs to drop,
    the copied days of one stream theirs to show as zeros in the other's wide query."""
    start, end = (moment.replace(tzinfo=dt.UTC) for moment in PARTIAL_DAY_RANGES[span])
    ours, expected = ours_and_theirs(generated, panel, {**params(), "start": start, "end": end})
    assert expected and ours == expected


def test_the_copied_days_have_what_the_panels_count(generated: Store):
    """Without the team's reporting start, the day before it would add to every usage panel;
    the next three have regular calls but no BYOP calls, BYOP calls alone, and BYOP fallback
    attempts alone."""
    by_day = generated.rows(
        f"SELECT toDate(start_time, 'UTC') AS day, count(), countIf({BYOP_ROW}), "
        f"countIf({BYOP_ROW} AND NOT is_final) "
        f"FROM {generated.table('generation_event_v2')} "
        "WHERE day < {first:Date} GROUP BY day ORDER BY day",
        {"first": START},
    )
    [(_, rows, byop, _), (_, rows_without_byop, none, _), (_, byop_rows, byop_alone, _)] = by_day[
        :3
    ]
    assert rows > byop > 0 and rows_without_byop > 0 and none == 0
    assert byop_rows == byop_alone > 0
    [(_, attempt_rows, _, byop_attempts)] = by_day[3:]
    assert attempt_rows == byop_attempts > 0


def test_d7_activation_equals_theirs_for_every_cohort_of_the_data(generated: Store):
    """The range reaches 7 days past the events, so every sign-up day of the eight is a cohort:
    accounts first active before they signed up (synthetic ids D1 created later) among them."""
    [panel] = [p for p in EXACT if (p["dashboard"], p["id"]) == (USERS, 10)]
    bound = {**params(), "end": params()["end"] + dt.timedelta(days=7)}
    ours, expected = ours_and_theirs(generated, panel, bound)
    assert len(expected) == DAYS and 0 < sum(row[2] for row in expected) < sum(
        row[1] for row in expected
    )
    assert ours == expected


WEBSITES_EXACT = [panel for panel in EXACT if panel["dashboard"] == WEBSITES]
# Days 3..5 of the eight: device flows and checkouts cross its edges (a code shown before
# midnight, a checkout started the evening before its payment).
INNER = {
    "start": params()["start"] + dt.timedelta(days=2),
    "end": params()["start"] + dt.timedelta(days=5),
}


@pytest.mark.parametrize("panel", WEBSITES_EXACT, ids=lambda p: f"{p['dashboard']}-{p['id']}")
def test_a_websites_panel_equals_theirs_on_a_range_its_flows_and_checkouts_cross(
    generated: Store, panel: dict
):
    ours, expected = ours_and_theirs(generated, panel, {**params(), **INNER})
    assert any(v for row in expected for v in row if isinstance(v, int))
    assert ours == expected


def test_the_product_events_give_each_funnel_rule_something_to_decide(generated: Store):
    """Staging events, device flows on two days, a checkout of the inner range paid after it,
    and every Stripe outcome the paid stage tells apart."""
    events, stripe = generated.table("product_event"), generated.table("stripe_event")
    [(staging, split_flows, split_checkouts)] = generated.rows(
        f"SELECT countIf(environment = 'staging'), "
        f"(SELECT count() FROM (SELECT flow_id FROM {events} WHERE flow_id != '' "
        "GROUP BY flow_id HAVING uniqExact(toDate(timestamp, 'UTC')) > 1)), "
        f"(SELECT count() FROM {events} AS e JOIN {stripe} AS s ON e.user_id = s.user_id "
        "WHERE e.event = 'checkout_started' AND s.payment_status = 'paid' "
        "AND e.timestamp >= {start:DateTime('UTC')} AND e.timestamp < {end:DateTime('UTC')} "
        "AND s.timestamp >= {end:DateTime('UTC')}) "
        f"FROM {events}",
        INNER,
    )
    outcomes = generated.rows(
        f"SELECT DISTINCT event_type, payment_status, livemode FROM {stripe} ORDER BY ALL"
    )
    assert staging > 0 and split_flows > 0 and split_checkouts > 0
    assert len(outcomes) >= 5  # the generator's completed and expired, the fixture's four


@pytest.mark.parametrize("bound", [params(), INNER], ids=["full", "inner"])
def test_each_websites_range_ends_on_events_their_whole_second_to_keeps_and_drops(
    generated: Store, bound: dict
):
    """Production events at the last day's 23:59:59.000 (kept by their `to`) and after it
    (dropped), in one second of each range's end."""
    [(kept, dropped)] = generated.rows(
        "SELECT countIf(timestamp = last), countIf(timestamp > last) FROM ("
        f"SELECT timestamp, {THEIR_TO} AS last FROM {generated.table('product_event')} "
        f"WHERE environment = 'production' AND timestamp >= {THEIR_TO} "
        "AND timestamp < {end:DateTime('UTC')})",
        bound,
    )
    assert kept > 0 and dropped > 0


def test_the_observed_balances_read_both_slug_generations_and_a_banned_account(generated):
    """Some users' last billed event holds the v1:meter slugs, some the local ones (read as 0),
    and a banned account has billed events: each rule of the observed balances matters."""
    v2, d1 = generated.table("generation_event_v2"), generated.table("d1_user")
    [(v1_meter, local, banned)] = generated.rows(
        f"SELECT countIf(mapContains(b, 'v1:meter:tier')), countIf(mapContains(b, 'local:tier')), "
        f"countIf(user_id IN (SELECT id FROM {d1} WHERE banned = 1)) FROM ("
        f"SELECT user_id, argMax(balances, start_time) AS b FROM {v2} "
        "WHERE response_status >= 200 AND response_status < 300 AND is_billed_usage "
        "GROUP BY toDate(start_time), user_id)"
    )
    assert v1_meter > 0 and local > 0 and banned > 0


def test_the_synthetic_range_has_every_product_path_and_funding_the_panels_split(generated):
    rows = Template(TEAM_ROWS).substitute(
        v2=generated.table("generation_event_v2"), internal=REGULAR, range=HOURS_IN_RANGE
    )
    [(paths, paid, quest)] = generated.rows(
        f"SELECT uniqExact({PRODUCT_PATH}), countIf(funding = 'paid'), "
        f"countIf(funding = 'quest') FROM {rows}",
        params(),
    )
    assert paths >= 3 and paid > 0 and quest > 0


def test_readme_counts_the_panels_the_file_lists():
    readme = (COVERAGE.parents[1] / "README.md").read_text()
    listed = re.search(
        r"So far\s+the file lists (\d+) panels\s+of the current dashboards, (\d+) of them exact",
        readme,
    )
    assert listed, "README no longer says how many panels the coverage file lists"
    panels = panels_of(legacy=False)
    assert (int(listed.group(1)), int(listed.group(2))) == (len(panels), len(EXACT))
