"""The truth contract: which events count, and which meter paid for them.

This is the only place where the seed plan's global filters and the paid/free/other meter rules
are written down. Every table and every check takes its SQL fragments and bound parameters from
here, so a change of rule (a new meter slug, a second bug window) is one edit.

Rules (seed ``000``, "Global Data Filters", and ``shared/REFERENCE.md``):

* only ``environment = 'production'``;
* only successful requests, ``200 <= response_status < 300``;
* only billable events, ``total_price > 0``;
* nothing inside the ``meter:combined`` bug window (2025-12-30 16:59:45 .. 2026-01-08 18:19:58
  UTC, both ends excluded too: an event counts only strictly before the start or strictly after
  the end), when paid and free could not be told apart;
* ROUTER (``user_github_id = '241978997'``), Pollinations' own service account, is out of every
  economics metric; the usage table keeps it, flagged, so its share can be shown;
* users the team excludes (``excluded_users``, e.g. banned ones: ``pollen exclude``) are out of
  every usage and economics number from the next materialization on, counted apart as the last
  filter (``excluded``); the list reaches queries as the bound ``excluded_github_ids``. D1's
  banned accounts join that list only when the operator opts in (``POLLEN_EXCLUDE_D1_BANNED``):
  by default the hand list alone decides, and the numbers are the seed's.

Meters: ``pack`` (paid) is ``local:pack`` / ``v1:meter:pack``, ``tier`` (free) is ``local:tier``
/ ``v1:meter:tier``; every other slug (``local:combined``, dev meters, ``undefined``) is
``other``: counted in totals, never in paid or free.

Times are compared as UTC instants: fragments bind them as ``DateTime('UTC')``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

UTC = dt.UTC

PRODUCTION_ENVIRONMENT = "production"
BUG_WINDOW_START = dt.datetime(2025, 12, 30, 16, 59, 45, tzinfo=UTC)
BUG_WINDOW_END = dt.datetime(2026, 1, 8, 18, 19, 58, tzinfo=UTC)
ROUTER_GITHUB_ID = "241978997"
PAID_METER_SLUGS = ("local:pack", "v1:meter:pack")
FREE_METER_SLUGS = ("local:tier", "v1:meter:tier")
ENDUSER_KEY_TYPES = ("temporary",)  # BYOP: keys minted for an app's end users
DEVELOPER_KEY_TYPES = ("secret", "publishable")
UNNAMED_APP_NAMES = ("undefined", "")  # kept in totals, left out of app rankings
# The gateway's messages for a request refused because the balance cannot pay for it
# (enter.pollinations.ai balance.ts): "Insufficient pollen balance to use this model",
# "... for audio generation", "Insufficient balance. This model costs ~...", and the default
# "Your pollen balance is too low.". Paid-only and spend-policy refusals are 402s too, but not
# a lack of balance.
INSUFFICIENT_BALANCE_PATTERN = "^(Insufficient (pollen )?balance|Your pollen balance is too low)"
ERROR_MESSAGE_CHARS = 200  # of a normalised error message

# Labels stored in event_facts_daily.filter_status: "ok" passes, any other value names the
# first contract filter that removed the event, in the order of the seed's WHERE clause.
PASSED = "ok"
NON_PRODUCTION = "non_production"
NON_2XX = "non_2xx"
ZERO_PRICE = "zero_price"
BUG_WINDOW = "bug_window"
EXCLUDED = "excluded"
FILTER_LABELS = (PASSED, NON_PRODUCTION, NON_2XX, ZERO_PRICE, BUG_WINDOW, EXCLUDED)

# Labels stored in event_facts_daily.meter_class.
PACK = "pack"
TIER = "tier"
OTHER = "other"


@dataclass(frozen=True)
class Exclusions:
    """Who the last filter (``excluded``) removes, by GitHub id: the team's hand list
    (``excluded_users``) and, only when the operator opts in, the accounts banned in D1's latest
    snapshot. Both lists are bound apart too, so a table can say which one removed whom."""

    hand_list: Sequence[str] = ()
    d1_banned: Sequence[str] = ()
    apply_d1_banned: bool = False  # POLLEN_EXCLUDE_D1_BANNED
    # the team's own rule on their legacy dashboards, never applied by the contract: GitHub
    # usernames banned in any d1_user snapshot (a dimension of the tables that keep their scopes)
    d1_banned_usernames: Sequence[str] = ()

    @property
    def applied(self) -> list[str]:
        """The GitHub ids the contract removes."""
        d1_banned = self.d1_banned if self.apply_d1_banned else ()
        return sorted({*self.hand_list, *d1_banned})


def params(exclusions: Exclusions | None = None) -> dict[str, Any]:
    """Bound parameters that the fragments below refer to; merge into every query's params.
    ``exclusions``: the lists read by the resource when a run starts (none: nobody)."""
    exclusions = exclusions or Exclusions()
    return {
        "excluded_github_ids": exclusions.applied,
        "hand_list_github_ids": sorted(exclusions.hand_list),
        "d1_banned_github_ids": sorted(exclusions.d1_banned),
        "d1_banned_usernames": sorted(exclusions.d1_banned_usernames),
        "production_environment": PRODUCTION_ENVIRONMENT,
        "bug_window_start": BUG_WINDOW_START,
        "bug_window_end": BUG_WINDOW_END,
        "router_github_id": ROUTER_GITHUB_ID,
        "paid_meter_slugs": list(PAID_METER_SLUGS),
        "free_meter_slugs": list(FREE_METER_SLUGS),
        "enduser_key_types": list(ENDUSER_KEY_TYPES),
        "developer_key_types": list(DEVELOPER_KEY_TYPES),
        "unnamed_app_names": list(UNNAMED_APP_NAMES),
        "byop_key_origins": list(BYOP_KEY_ORIGINS),
        "insufficient_balance_pattern": INSUFFICIENT_BALANCE_PATTERN,
    }


# --- Fragments over raw events (generation_event columns) ----------------------------------

# Production events of every status (the health table's scope) and successful requests.
RAW_PRODUCTION_EVENTS = "environment = {production_environment:String}"
# Which rows of the two raw tables are events (event_source.py). v2 writes one final row per
# request and, before it, a row per fallback attempt (is_final = false, no price): requests are
# the final rows. v2 never holds cache hits nor anonymous requests (the team's populate pipe
# copied authenticated, non-cached rows; direct v2 writes exclude cache hits): v1 keeps those.
RAW_COUNTED_V2_ROWS = "is_final"
RAW_V1_ONLY_ROWS = "cache_hit OR user_id IN ('', 'undefined')"

# The team's classification of events (pollinations/pollinations: the generation_events_classified
# pipe @ 1781e1c8 and the generation_usage_hourly view @ 776b5d1d), the dimensions their current
# dashboards filter on. traffic_group matches exact key ids, lists the team keeps
# (usage_classified_hourly/traffic_groups.yaml, POLLEN_TRAFFIC_GROUPS), bound as parameters.
RAW_TRAFFIC_GROUP = (
    "multiIf(api_key_id IN {legacy_keys:Array(String)}, 'legacy', "
    "api_key_id IN {internal_keys:Array(String)}, 'internal', 'regular')"
)
RAW_CLASSIFIED_MODEL = (
    "coalesce(nullIf(nullIf(resolved_model_requested, ''), 'undefined'), "
    "nullIf(nullIf(model_used, ''), 'undefined'), "
    "nullIf(nullIf(model_requested, ''), 'undefined'), 'unknown')"
)
RAW_WORKLOAD = "if(event_type IN ('', 'undefined'), 'unknown', event_type)"
RAW_FUNDING_SOURCE = (
    "multiIf(selected_meter_slug IN ('v1:meter:pack', 'local:pack'), 'paid', "
    "selected_meter_slug IN ('v1:meter:tier', 'local:tier'), 'quest', 'unfunded')"
)
RAW_IS_BYOP = "toUInt8(api_key_client_id NOT IN ('', 'undefined'))"
RAW_IS_COMMUNITY = "toUInt8(model_provider_used = 'community')"
RAW_BUSINESS_STREAM = "multiIf(is_byop = 1, 'byop', is_community = 1, 'community_direct', 'core')"
RAW_SUCCESS = "response_status >= 200 AND response_status < 300"
# The team's rewards (generation_usage_hourly_mv, byop_app_daily), on rows that name `billed`
# (served and is_billed_usage): a BYOP app's developer earns the markup over the developer price,
# a community model's owner its reward.
RAW_BYOP_REWARD_ROW = (
    "billed AND api_key_created_for_user_id NOT IN ('', 'undefined') AND total_price > dev_price"
)
RAW_COMMUNITY_REWARD_ROW = (
    "billed AND community_model_reward_user_id NOT IN ('', 'undefined') "
    "AND community_model_reward_amount > 0"
)

# Their summaries (generation_usage_hourly_mv and byop_app_daily_mv @ 776b5d1d) hold nothing
# before 2026-01-09, the end of the known January window: their panels show nothing earlier, and
# their balance history starts there too.
TEAM_REPORTING_START = "toDateTime('2026-01-09 00:00:00', 'UTC')"
# The team's scope on their current ("-rebuild") dashboards, a WHERE on usage_classified_hourly:
# production and their staging fixture, regular traffic, v2's rows only (their summary layer
# reads generation_event_v2 alone), from their reporting start. Our own dashboards keep the
# seed's contract.
TEAM_CURRENT_ENVIRONMENTS = ("production", "debug-prod-copy")
TEAM_V2_ROWS = f"environment IN {TEAM_CURRENT_ENVIRONMENTS!r} AND v1_only = 0"
TEAM_REPORTED_HOURS = f"hour >= {TEAM_REPORTING_START}"
TEAM_CURRENT_SCOPE = f"{TEAM_V2_ROWS} AND traffic_group = 'regular' AND {TEAM_REPORTED_HOURS}"
# The same scope on byop_app_model_daily (their byop_app_daily), whose rows are days.
TEAM_CURRENT_APP_SCOPE = (
    f"{TEAM_V2_ROWS} AND traffic_group = 'regular' AND day >= toDate({TEAM_REPORTING_START}, 'UTC')"
)
# Their Users & Balances dashboard (063adde3) keeps internal keys: every group but legacy.
TEAM_NON_LEGACY_SCOPE = f"{TEAM_V2_ROWS} AND traffic_group != 'legacy' AND {TEAM_REPORTED_HOURS}"
# Its observed balances and first activity read generation_event_v2 itself: every traffic group
# (a WHERE on team_user_daily).
TEAM_ALL_TRAFFIC_SCOPE = f"environment IN {TEAM_CURRENT_ENVIRONMENTS!r}"
# Their Websites dashboard (b3737799) reads product_event's production rows; its paid stage the
# accounts of live, paid, completed Stripe checkouts (WHEREs on product_funnel_daily). Their
# $__timeFilter (grafana-clickhouse-datasource) compares the DateTime64(3) timestamp with `to` cut
# to whole seconds, `timestamp <= toDateTime(<to, s>)`: a range ending at a day's 23:59:59.999
# drops that day's events after 23:59:59.000, and only that day's (the day of {end} less one
# second). Stripe's DateTime timestamps lose nothing to the cut.
TEAM_PRODUCT_SCOPE = (
    "origin = 'product_event' AND environment = 'production' AND NOT (after_last_whole_second "
    "AND day = toDate({end:DateTime('UTC')} - INTERVAL 1 SECOND, 'UTC'))"
)
TEAM_PAID_CHECKOUT_SCOPE = "origin = 'paid_checkout'"
# What the team calls an observed balance: the balance a successful billed event read, under the
# v1:meter slugs alone (their panel reads balances['v1:meter:tier'], 0 when the key is absent).
RAW_OBSERVED_BALANCE_EVENT = f"{RAW_SUCCESS} AND is_billed_usage"
RAW_OBSERVED_QUEST_BALANCE = "balances['v1:meter:tier']"
RAW_OBSERVED_PAID_BALANCE = "balances['v1:meter:pack']"

# The team's scopes on their legacy dashboards (apps/operation/economics/provisioning/), WHEREs on
# scoped_usage_daily (every environment and status; the exact meter slug, is_billed_usage, the bug
# window, ROUTER and D1's banned accounts kept as dimensions). Their tier dashboards read billed
# rows of every environment, bug window and ROUTER kept (a panel keeps or drops ROUTER by
# user_tier = 'router'); Tier Usage Rate takes every status.
TEAM_LEGACY_BILLED_ANY_STATUS = "is_billed_usage = 1"
TEAM_LEGACY_BILLED_SCOPE = (
    f"{TEAM_LEGACY_BILLED_ANY_STATUS} AND response_status >= 200 AND response_status < 300"
)
# tier-economics: the same without the GitHub usernames D1 banned in any snapshot.
TEAM_LEGACY_UNBANNED_BILLED_SCOPE = f"{TEAM_LEGACY_BILLED_SCOPE} AND d1_banned = 0"
TEAM_LEGACY_UNBANNED_BILLED_ANY_STATUS = f"{TEAM_LEGACY_BILLED_ANY_STATUS} AND d1_banned = 0"
# tier-simulation caps each GitHub username's day of billed 2xx rows on the exact free slug:
# the wide scan sums them per fine group (event_facts_daily, whose filter status folds other
# environments' statuses and whose meter class folds the slugs), tier_user_daily per user-day.
RAW_TEAM_LEGACY_TIER_SPEND = (
    f"is_billed_usage AND {RAW_SUCCESS} AND selected_meter_slug = 'v1:meter:tier'"
)
# Its default daily allowances (Pollen per username-day of a tier), the caps of its simulated
# cost: an expression over tier_user_daily's rows.
TEAM_LEGACY_TIER_CAP = (
    "multiIf(user_tier = 'microbe', 0.1, user_tier = 'spore', 1, user_tier = 'seed', 3, "
    "user_tier = 'flower', 10, user_tier = 'nectar', 20, 0)"
)
# economics: the seed's filters (production, 2xx, priced, bug window out) with D1's banned out in
# place of excluded_users and ROUTER kept.
TEAM_LEGACY_PRODUCTION_SCOPE = (
    "environment = 'production' AND response_status >= 200 AND response_status < 300 "
    "AND is_priced = 1 AND in_bug_window = 0 AND d1_banned = 0"
)
# pollen-flow: the economics scope, billed rows only.
TEAM_LEGACY_PRODUCTION_BILLED_SCOPE = f"{TEAM_LEGACY_PRODUCTION_SCOPE} AND is_billed_usage = 1"
# The on-call panels (errors, platform-load, overview), WHEREs on oncall_minutely: every
# environment, price and user, bug window kept. Their successes are 2xx; their errors are 4xx
# and 5xx without 403 (statuses under 100 or over 599 are neither).
TEAM_LEGACY_ONCALL_SUCCESS = RAW_SUCCESS
TEAM_LEGACY_ONCALL_ERROR = "response_status >= 400 AND response_status != 403"
# The errors dashboard's series: provider and requested model, the model used when the request
# named none.
TEAM_LEGACY_PROVIDER_MODEL = (
    "concat(model_provider_used, ' - ', if(resolved_model_requested NOT IN ('', 'undefined'), "
    "resolved_model_requested, model_used))"
)
# platform-load's per-model panels: a known model_used.
TEAM_LEGACY_MODEL_USED_KNOWN = "model_used NOT IN ('', 'undefined')"
# The same scopes per developer and key name, WHEREs on scoped_user_key_daily (whose rows are
# already production, 2xx, priced and outside the bug window): economics and the developer
# leaderboard drop D1's banned and keep ROUTER; api-key-usage keeps the banned, drops ROUTER and
# reads named keys only.
TEAM_LEGACY_UNBANNED_KEY_SCOPE = "d1_banned = 0"
TEAM_LEGACY_NAMED_KEY_SCOPE = "is_router = 0 AND api_key_name NOT IN ('', 'undefined')"
# category-economics, WHEREs on category_usage_daily (the same rows by APPS.md category and
# platform): ROUTER out, D1's banned kept.
TEAM_LEGACY_CATEGORY_SCOPE = "is_router = 0"
# byop-devshare's scopes, WHEREs on devshare_daily (every environment and status, ROUTER kept).
# Its clean BYOP panels: the economics scope on keys with a client id.
TEAM_LEGACY_CLEAN_BYOP_SCOPE = f"{TEAM_LEGACY_PRODUCTION_SCOPE} AND has_client_id = 1"
# Its DevShare panels: production 2xx rows outside the bug window, any price, the banned kept;
# the earning ones are DevShare events (a markup, Pollen over the developer price).
TEAM_LEGACY_DEVSHARE_SCOPE = (
    "environment = 'production' AND response_status >= 200 AND response_status < 300 "
    "AND in_bug_window = 0"
)
TEAM_LEGACY_DEVSHARE_EARNING_SCOPE = f"{TEAM_LEGACY_DEVSHARE_SCOPE} AND is_devshare = 1"
# Its activation, legacy and coverage panels: the same, priced rows only.
TEAM_LEGACY_DEVSHARE_PRICED_SCOPE = f"{TEAM_LEGACY_DEVSHARE_SCOPE} AND is_priced = 1"
# Legacy BYOP: no client id, a key minted by redirect-auth or a secret key named after a host.
TEAM_LEGACY_HOSTNAME_BYOP = "has_client_id = 0 AND (is_redirect_auth = 1 OR hostname != '')"
# provider-costs, WHEREs on provider_spend_daily: production 2xx rows of a known provider (the
# panels add total_cost > 0 or total_price > 0 per row: has_cost, has_price), bug window and
# ROUTER kept.
TEAM_LEGACY_PROVIDER_COSTS_SCOPE = (
    "environment = 'production' AND is_success = 1 AND model_provider_used NOT IN ('', 'undefined')"
)
# daily-spending: billed 2xx rows of every environment, and its provider / model allow-lists.
TEAM_LEGACY_SPENDING_SCOPE = "is_billed_usage = 1 AND is_success = 1"
TEAM_LEGACY_PAID_INFERENCE = (
    "model_provider_used IN ('google', 'aws', 'alibaba', 'azure', 'bytedance')"
)
TEAM_LEGACY_PAID_GPU = "model_provider_used = 'io.net'"
TEAM_LEGACY_FREE_GPU = (
    "(model_provider_used = 'modal' AND (model_used IN ('klein', 'klein-large', 'ltx-2') "
    "OR model_used LIKE 'flux_klein%')) OR (model_provider_used = 'ovhcloud' AND model_used "
    "NOT IN ('Qwen3-Coder-30B-A3B-Instruct', 'Mistral-Small-3.2-24B-Instruct-2506', 'whisper'))"
)

# Status classes, counted as columns by the health and on-call tables (and their checks):
# 429 (rate limited) is also inside 4xx. Written here once, so "5xx" means one thing everywhere.
STATUS_CLASSES = {
    "status_2xx": RAW_SUCCESS,
    "status_4xx": "response_status >= 400 AND response_status < 500",
    "status_429": "response_status = 429",
    "status_5xx": "response_status >= 500 AND response_status < 600",
}

RAW_IS_EXCLUDED = "has({excluded_github_ids:Array(String)}, user_github_id)"

RAW_FILTER_STATUS = f"""multiIf(
    NOT ({RAW_PRODUCTION_EVENTS}), '{NON_PRODUCTION}',
    NOT ({RAW_SUCCESS}), '{NON_2XX}',
    NOT (total_price > 0), '{ZERO_PRICE}',
    start_time >= {{bug_window_start:DateTime('UTC')}}
        AND start_time <= {{bug_window_end:DateTime('UTC')}}, '{BUG_WINDOW}',
    {RAW_IS_EXCLUDED}, '{EXCLUDED}',
    '{PASSED}')"""

RAW_IS_ROUTER = "toUInt8(user_github_id = {router_github_id:String})"
# Inside the meter:combined bug window, both ends included (the filter status's bug_window).
RAW_IN_BUG_WINDOW = (
    "start_time >= {bug_window_start:DateTime('UTC')} "
    "AND start_time <= {bug_window_end:DateTime('UTC')}"
)

# On either exclusion list, whether or not the contract applies it (D1's is opt-in): with the
# filter status, which events each list removes or would remove (exclusions_daily).
IS_LISTED = (
    "(has({hand_list_github_ids:Array(String)}, user_github_id) "
    "OR has({d1_banned_github_ids:Array(String)}, user_github_id))"
)
_PASSED_BUT_EXCLUSION = f"IN ('{PASSED}', '{EXCLUDED}')"
RAW_LISTED_EVENTS = f"{RAW_FILTER_STATUS} {_PASSED_BUT_EXCLUSION} AND {IS_LISTED}"

# Production events (any status) of the developers economics counts: no ROUTER, no excluded
# user. Their balances are what balance_daily reads.
RAW_PRODUCTION_USER_EVENTS = (
    f"{RAW_PRODUCTION_EVENTS} AND {RAW_IS_ROUTER} = 0 AND NOT {RAW_IS_EXCLUDED}"
)

RAW_METER_CLASS = f"""multiIf(
    selected_meter_slug IN {{paid_meter_slugs:Array(String)}}, '{PACK}',
    selected_meter_slug IN {{free_meter_slugs:Array(String)}}, '{TIER}',
    '{OTHER}')"""

# Raw events that count in the usage table (ROUTER included) and in economics (ROUTER out);
# excluded users are in neither.
RAW_USAGE_EVENTS = f"{RAW_FILTER_STATUS} = '{PASSED}'"
RAW_ECONOMICS_EVENTS = f"{RAW_USAGE_EVENTS} AND {RAW_IS_ROUTER} = 0"
# Economics events paid by the free (tier) meter: what the tier simulator caps.
RAW_FREE_EVENTS = f"{RAW_ECONOMICS_EVENTS} AND {RAW_METER_CLASS} = '{TIER}'"

# Tokens of a request: prompt (in) and completion (out) kinds of the raw schema.
_PROMPT_TOKENS = ("text", "audio", "cached", "image")
_COMPLETION_TOKENS = ("text", "reasoning", "audio", "image")
RAW_TOKENS_IN = " + ".join(f"toUInt64(token_count_prompt_{kind})" for kind in _PROMPT_TOKENS)
RAW_TOKENS_OUT = " + ".join(
    f"toUInt64(token_count_completion_{kind})" for kind in _COMPLETION_TOKENS
)
RAW_TOKENS = f"({RAW_TOKENS_IN} + {RAW_TOKENS_OUT})"
# What a request would have cost at its own token prices: for a cache hit (charged 0), the
# Pollen the cache saved. The eight count x price pairs of the raw schema.
RAW_LIST_PRICE = " + ".join(
    [f"token_count_prompt_{kind} * token_price_prompt_{kind}" for kind in _PROMPT_TOKENS]
    + [
        f"token_count_completion_{kind} * token_price_completion_{kind}"
        for kind in _COMPLETION_TOKENS
    ]
)

# The balances an event read before its request, per meter kind (both slug generations).
RAW_TIER_BALANCE = "arraySum(arrayMap(m -> balances[m], {free_meter_slugs:Array(String)}))"
RAW_PACK_BALANCE = "arraySum(arrayMap(m -> balances[m], {paid_meter_slugs:Array(String)}))"
# How an event's key was made, for BYOP as the team's BYOP dashboards count it besides key type
# (event_facts_daily.key_origin). Later raw schemas carry the key's origin (NEWER_KEY_COLUMNS,
# absent from the seed's): a key minted by the redirect-auth flow, or one carrying its app's
# client id, is BYOP for sure. Without those columns only the team's heuristic is left: a secret
# key named after a host (a dot in its name).
NEWER_KEY_COLUMNS = ("api_key_created_via", "api_key_client_id")
REDIRECT_AUTH = "redirect_auth"
CLIENT_ID = "client_id"
HOSTNAME_KEY = "hostname_key"
NO_ORIGIN = "none"
BYOP_KEY_ORIGINS = (REDIRECT_AUTH, CLIENT_ID, HOSTNAME_KEY)
RAW_HOSTNAME_KEY = "api_key_type = 'secret' AND position(api_key_name, '.') > 0"
RAW_KEY_ORIGIN_NEWER = f"""multiIf(
    api_key_created_via = 'redirect-auth', '{REDIRECT_AUTH}',
    api_key_client_id NOT IN ('', 'undefined'), '{CLIENT_ID}',
    {RAW_HOSTNAME_KEY}, '{HOSTNAME_KEY}',
    '{NO_ORIGIN}')"""
RAW_KEY_ORIGIN_SEED = f"if({RAW_HOSTNAME_KEY}, '{HOSTNAME_KEY}', '{NO_ORIGIN}')"
# A directory listing's owner leaves app_directory as a hash of its GitHub id (the id is personal
# data there); a summary's GitHub id (user_github_id) is matched to it by the same hash, as the
# team's app-ecosystem joins events to listings by GitHub id (directory_listing_daily.owner_key).
GITHUB_ID_KEY = "cityHash64({github_id})"
OWNER_KEY = GITHUB_ID_KEY.format(github_id="user_github_id")
# app-ecosystem's legacy BYOP over a summary's key origin, type and name
# (directory_usage_daily.legacy_byop): a key minted by redirect-auth (their clean BYOP), else a
# secret key named after a host, a client id or not (their heuristic).
LEGACY_BYOP = f"""multiIf(key_origin = '{REDIRECT_AUTH}', '{REDIRECT_AUTH}',
    {RAW_HOSTNAME_KEY}, '{HOSTNAME_KEY}', '{NO_ORIGIN}')"""

# Seed 001's balance cross-check: what the pre-request tier balance implies was free under the
# tier-first spend rule, whatever meter the gateway recorded.
RAW_IMPLIED_FREE = f"least(greatest({RAW_TIER_BALANCE}, 0), greatest(total_price, 0))"

# --- On-call fragments over raw events (issue 15) ----------------------------------------

# An error: a 4xx or 5xx, or a status outside HTTP's 100..599 (0 is how a missing status
# arrives). 1xx and 3xx are neither success nor error.
RAW_ERROR_STATUS = "(response_status >= 400 OR response_status < 100)"
RAW_ERROR_EVENTS = f"{RAW_PRODUCTION_EVENTS} AND {RAW_ERROR_STATUS}"
# Refused for lack of balance: HTTP 402. The status is the rule because error_response_code
# cannot tell: the gateway derives the code from the status and has none for 402, so a 402 is
# stored as 'UNKNOWN_ERROR', like any other unmapped status (504, ...).
RAW_REFUSED_FOR_BALANCE = "response_status = 402"
# Whatever the status: a cross-check of the 402 rule, as the team's "Insufficient Funds" panel.
RAW_INSUFFICIENT_BALANCE_MESSAGE = "match(error_message, {insufficient_balance_pattern:String})"
# error_message folded so that messages differing only in ids, amounts or request numbers are
# one: digit runs become '#' before the first characters are kept (so a longer id cannot push
# the end of the message out, and two such messages still fold into one).
RAW_ERROR_MESSAGE = (
    f"leftUTF8(replaceRegexpAll(error_message, '[0-9]+', '#'), {ERROR_MESSAGE_CHARS})"
)
# What every table of errors counts per row: events, the Pollen charged for them (0 unless
# failed requests are billed), the first and the last.
RAW_ERROR_MEASURES = """count() AS events,
    sum(total_price) AS total_pollen,
    toDateTime(min(start_time), 'UTC') AS first_at,
    toDateTime(max(start_time), 'UTC') AS last_at"""

# --- Fragments over event_facts_daily (the one wide scan of raw events) --------------------

# Daily rows (a ``day`` column) of the run's bound window [start, end), as UTC days.
DAYS_IN_RUN = (
    "day >= toDate({start:DateTime('UTC')}, 'UTC') AND day < toDate({end:DateTime('UTC')}, 'UTC')"
)
# Every UTC day of the run's window, as an array (tables with a row per day even when their
# sources have none that day).
RUN_DAYS = (
    "arrayMap(i -> toDate({start:DateTime('UTC')}, 'UTC') + i, "
    "range(toUInt32(dateDiff('day', {start:DateTime('UTC')}, {end:DateTime('UTC')}))))"
)
FACTS_USAGE_ROWS = f"filter_status = '{PASSED}'"
FACTS_ECONOMICS_ROWS = f"{FACTS_USAGE_ROWS} AND is_router = 0"
FACTS_LISTED_ROWS = f"filter_status {_PASSED_BUT_EXCLUSION} AND {IS_LISTED}"
# The legacy economics scope's rows before their ban filter: production, 2xx, priced, outside
# the bug window (every filter before the exclusion lists), ROUTER and excluded users kept.
FACTS_LEGACY_ROWS = f"filter_status {_PASSED_BUT_EXCLUSION}"
# The team's legacy ban: a GitHub username banned in any d1_user snapshot (bound at run start).
FACTS_D1_BANNED = "toUInt8(has({d1_banned_usernames:Array(String)}, user_github_username))"

# The money columns every economics table carries, in table order: name, ClickHouse type and
# the aggregate over event_facts_daily rows; total = pack + tier + other. The DDL
# (``$meter_columns``) and the SELECT (``$meter_sums``) are both made from this one list.
METER_COLUMNS = (
    ("pack_pollen", "Float64", f"sumIf(price_sum, meter_class = '{PACK}')"),
    ("tier_pollen", "Float64", f"sumIf(price_sum, meter_class = '{TIER}')"),
    ("other_pollen", "Float64", f"sumIf(price_sum, meter_class = '{OTHER}')"),
    ("total_pollen", "Float64", "sum(price_sum)"),
    ("provider_cost", "Float64", "sum(cost_sum)"),
    ("requests", "UInt64", "sum(events)"),
    ("tokens", "UInt64", "sum(token_sum)"),
)
FACTS_METER_SUMS = ",\n    ".join(f"{sql} AS {name}" for name, _, sql in METER_COLUMNS)
# The same columns summed again over rows of an economics table (a rollup of a summary).
METER_RESUMS = ",\n    ".join(f"sum({name}) AS {name}" for name, _, _ in METER_COLUMNS)
# The same columns as they are, for a copy of an economics table's rows (a serving table).
METER_NAMES = ",\n    ".join(name for name, _, _ in METER_COLUMNS)


def column_definitions(columns: Sequence[tuple[str, str]]) -> str:
    """``name Type`` lines for a DDL's column list, as a ``table.sql`` writes them."""
    return ",\n    ".join(f"{name} {type_}" for name, type_ in columns)


# BYOP, as the team's economics dashboard counts it: Pollen of end-user keys and of developer
# keys, each on the pack and tier meters only; the share is end-user / (developer + end-user), so
# keys of any other type ('undefined') and other meters stay out of its denominator.
_PACK_OR_TIER = f"meter_class IN ('{PACK}', '{TIER}')"
FACTS_ENDUSER_KEY = "api_key_type IN {enduser_key_types:Array(String)}"
FACTS_ENDUSER_POLLEN = f"sumIf(price_sum, {FACTS_ENDUSER_KEY} AND {_PACK_OR_TIER})"
FACTS_DEVELOPER_POLLEN = (
    f"sumIf(price_sum, api_key_type IN {{developer_key_types:Array(String)}} AND {_PACK_OR_TIER})"
)
FACTS_FIRST_AT = {
    meter: f"minIfOrNull(first_event_at, meter_class = '{meter}')" for meter in (TIER, PACK)
}
FACTS_IS_NAMED_APP = "api_key_name NOT IN {unnamed_app_names:Array(String)}"
# The app rankings' app: a developer key is an app of its own; the temporary keys a BYOP app
# mints, one per end user and each named after the app, are that one app (by name), whose
# "developer" is no one of those end users. Per key, the rankings would show a BYOP app as
# hundreds of keys of a few cents each and never among the top apps.
BYOP_APP_PREFIX = "byop:"


def app_id(enduser_key: str) -> str:
    """SQL: the app a row of one API key counts for in the app rankings; ``enduser_key`` is
    the condition that the row's key is an end user's (a temporary key)."""
    return f"if({enduser_key}, concat('{BYOP_APP_PREFIX}', api_key_name), api_key_id)"


def app_developer(enduser_key: str, column: str = "user_github_username") -> str:
    """SQL: the developer shown for an app (``column``: the key's user's name, or another of
    their columns), none for a BYOP app, whose keys are its end users'."""
    return f"if({enduser_key}, '', {column})"


# A row's app where its table has no key type (referrer_daily, app_model_daily): its key is an
# end user's when the SELECT's CTE ``enduser_keys`` (app_daily's end-user keys of those days)
# holds it.
LISTED_APP_ID = app_id("api_key_id IN (SELECT api_key_id FROM enduser_keys)")


# The day's portfolio of a developer, as sorted id arrays (sorted: a rewrite gives equal rows).
FACTS_PORTFOLIO_ARRAYS = f"""arraySort(groupUniqArrayIf(api_key_id, {FACTS_IS_NAMED_APP}))
        AS named_app_ids,
    arraySort(groupUniqArrayIf(api_key_id, api_key_type = 'secret')) AS secret_key_ids,
    arraySort(groupUniqArrayIf(api_key_id, api_key_type = 'publishable')) AS publishable_key_ids,
    arraySort(groupUniqArrayIf(api_key_id, api_key_type = 'temporary')) AS temporary_key_ids,
    arraySort(groupUniqArray(toString(resolved_model_requested))) AS model_names"""


def fragments() -> dict[str, str]:
    """The contract's named fragments: every table's ``select.sql`` and ``table.sql`` may use
    them as ``$name`` (besides its domain's and its own, ``components/table_sql.py``)."""
    return {
        "raw_filter_status": RAW_FILTER_STATUS,
        "raw_is_router": RAW_IS_ROUTER,
        "raw_meter_class": RAW_METER_CLASS,
        "raw_tokens": RAW_TOKENS,
        "raw_tokens_in": RAW_TOKENS_IN,
        "raw_tokens_out": RAW_TOKENS_OUT,
        "raw_list_price": RAW_LIST_PRICE,
        **{f"raw_{name}": condition for name, condition in STATUS_CLASSES.items()},
        "raw_implied_free": RAW_IMPLIED_FREE,
        "raw_tier_balance": RAW_TIER_BALANCE,
        "raw_pack_balance": RAW_PACK_BALANCE,
        "raw_is_excluded": RAW_IS_EXCLUDED,
        "raw_hostname_key": RAW_HOSTNAME_KEY,
        "legacy_byop": LEGACY_BYOP,
        "owner_key": OWNER_KEY,
        "raw_usage_events": RAW_USAGE_EVENTS,
        "raw_economics_events": RAW_ECONOMICS_EVENTS,
        "raw_production_events": RAW_PRODUCTION_EVENTS,
        "raw_production_user_events": RAW_PRODUCTION_USER_EVENTS,
        "raw_success": RAW_SUCCESS,
        "raw_team_legacy_tier_spend": RAW_TEAM_LEGACY_TIER_SPEND,
        "raw_byop_reward_row": RAW_BYOP_REWARD_ROW,
        "raw_community_reward_row": RAW_COMMUNITY_REWARD_ROW,
        "team_current_scope": TEAM_CURRENT_SCOPE,
        "team_current_app_scope": TEAM_CURRENT_APP_SCOPE,
        "team_non_legacy_scope": TEAM_NON_LEGACY_SCOPE,
        "team_all_traffic_scope": TEAM_ALL_TRAFFIC_SCOPE,
        "team_reporting_start": TEAM_REPORTING_START,
        "team_product_scope": TEAM_PRODUCT_SCOPE,
        "team_paid_checkout_scope": TEAM_PAID_CHECKOUT_SCOPE,
        "raw_observed_balance_event": RAW_OBSERVED_BALANCE_EVENT,
        "raw_observed_quest_balance": RAW_OBSERVED_QUEST_BALANCE,
        "raw_observed_paid_balance": RAW_OBSERVED_PAID_BALANCE,
        "team_legacy_billed_any_status": TEAM_LEGACY_BILLED_ANY_STATUS,
        "team_legacy_billed_scope": TEAM_LEGACY_BILLED_SCOPE,
        "team_legacy_tier_cap": TEAM_LEGACY_TIER_CAP,
        "team_legacy_unbanned_billed_scope": TEAM_LEGACY_UNBANNED_BILLED_SCOPE,
        "team_legacy_unbanned_billed_any_status": TEAM_LEGACY_UNBANNED_BILLED_ANY_STATUS,
        "team_legacy_production_scope": TEAM_LEGACY_PRODUCTION_SCOPE,
        "team_legacy_production_billed_scope": TEAM_LEGACY_PRODUCTION_BILLED_SCOPE,
        "team_legacy_oncall_success": TEAM_LEGACY_ONCALL_SUCCESS,
        "team_legacy_oncall_error": TEAM_LEGACY_ONCALL_ERROR,
        "team_legacy_provider_model": TEAM_LEGACY_PROVIDER_MODEL,
        "team_legacy_model_used_known": TEAM_LEGACY_MODEL_USED_KNOWN,
        "team_legacy_unbanned_key_scope": TEAM_LEGACY_UNBANNED_KEY_SCOPE,
        "team_legacy_named_key_scope": TEAM_LEGACY_NAMED_KEY_SCOPE,
        "team_legacy_category_scope": TEAM_LEGACY_CATEGORY_SCOPE,
        "team_legacy_clean_byop_scope": TEAM_LEGACY_CLEAN_BYOP_SCOPE,
        "team_legacy_devshare_scope": TEAM_LEGACY_DEVSHARE_SCOPE,
        "team_legacy_devshare_earning_scope": TEAM_LEGACY_DEVSHARE_EARNING_SCOPE,
        "team_legacy_devshare_priced_scope": TEAM_LEGACY_DEVSHARE_PRICED_SCOPE,
        "team_legacy_hostname_byop": TEAM_LEGACY_HOSTNAME_BYOP,
        "team_legacy_provider_costs_scope": TEAM_LEGACY_PROVIDER_COSTS_SCOPE,
        "team_legacy_spending_scope": TEAM_LEGACY_SPENDING_SCOPE,
        "team_legacy_paid_inference": TEAM_LEGACY_PAID_INFERENCE,
        "team_legacy_paid_gpu": TEAM_LEGACY_PAID_GPU,
        "team_legacy_free_gpu": TEAM_LEGACY_FREE_GPU,
        "raw_in_bug_window": RAW_IN_BUG_WINDOW,
        "raw_traffic_group": RAW_TRAFFIC_GROUP,
        "raw_classified_model": RAW_CLASSIFIED_MODEL,
        "raw_workload": RAW_WORKLOAD,
        "raw_funding_source": RAW_FUNDING_SOURCE,
        "raw_is_byop": RAW_IS_BYOP,
        "raw_is_community": RAW_IS_COMMUNITY,
        "raw_business_stream": RAW_BUSINESS_STREAM,
        "raw_v1_only_rows": RAW_V1_ONLY_ROWS,
        "raw_error_status": RAW_ERROR_STATUS,
        "raw_error_events": RAW_ERROR_EVENTS,
        "raw_refused_for_balance": RAW_REFUSED_FOR_BALANCE,
        "raw_insufficient_balance_message": RAW_INSUFFICIENT_BALANCE_MESSAGE,
        "raw_error_message": RAW_ERROR_MESSAGE,
        "raw_error_measures": RAW_ERROR_MEASURES,
        "days_in_run": DAYS_IN_RUN,
        "usage_rows": FACTS_USAGE_ROWS,
        "economics_rows": FACTS_ECONOMICS_ROWS,
        "listed_rows": FACTS_LISTED_ROWS,
        "legacy_rows": FACTS_LEGACY_ROWS,
        "d1_banned_username": FACTS_D1_BANNED,
        "meter_sums": FACTS_METER_SUMS,
        "meter_resums": METER_RESUMS,
        "meter_names": METER_NAMES,
        "run_days": RUN_DAYS,
        "meter_columns": column_definitions([(name, type_) for name, type_, _ in METER_COLUMNS]),
        "enduser_pollen": FACTS_ENDUSER_POLLEN,
        "developer_pollen": FACTS_DEVELOPER_POLLEN,
        "first_tier_at": FACTS_FIRST_AT[TIER],
        "first_pack_at": FACTS_FIRST_AT[PACK],
        "is_named_app": FACTS_IS_NAMED_APP,
        "enduser_key": FACTS_ENDUSER_KEY,
        "app_id": app_id(FACTS_ENDUSER_KEY),
        "listed_app_id": LISTED_APP_ID,
        "app_developer": app_developer(FACTS_ENDUSER_KEY),
        "app_owner_id": app_developer(FACTS_ENDUSER_KEY, "user_id"),
        "portfolio_arrays": FACTS_PORTFOLIO_ARRAYS,
        **{f"label_{label}": f"'{label}'" for label in (*FILTER_LABELS, PACK, TIER, OTHER)},
    }
