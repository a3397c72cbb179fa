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
  filter (``excluded``); the list reaches queries as the bound ``excluded_github_ids``.

Meters: ``pack`` (paid) is ``local:pack`` / ``v1:meter:pack``, ``tier`` (free) is ``local:tier``
/ ``v1:meter:tier``; every other slug (``local:combined``, dev meters, ``undefined``) is
``other``: counted in totals, never in paid or free.

Times are compared as UTC instants: fragments bind them as ``DateTime('UTC')``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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


def params(excluded_github_ids: Sequence[str] = ()) -> dict[str, Any]:
    """Bound parameters that the fragments below refer to; merge into every query's params.
    ``excluded_github_ids``: the ``excluded_users`` list, read from the store by the resource."""
    return {
        "excluded_github_ids": sorted(excluded_github_ids),
        "production_environment": PRODUCTION_ENVIRONMENT,
        "bug_window_start": BUG_WINDOW_START,
        "bug_window_end": BUG_WINDOW_END,
        "router_github_id": ROUTER_GITHUB_ID,
        "paid_meter_slugs": list(PAID_METER_SLUGS),
        "free_meter_slugs": list(FREE_METER_SLUGS),
        "enduser_key_types": list(ENDUSER_KEY_TYPES),
        "developer_key_types": list(DEVELOPER_KEY_TYPES),
        "unnamed_app_names": list(UNNAMED_APP_NAMES),
    }


# --- Fragments over raw events (generation_event columns) ----------------------------------

# Production events of every status (the health table's scope) and successful requests.
RAW_PRODUCTION_EVENTS = "environment = {production_environment:String}"
RAW_SUCCESS = "response_status >= 200 AND response_status < 300"

RAW_FILTER_STATUS = f"""multiIf(
    NOT ({RAW_PRODUCTION_EVENTS}), '{NON_PRODUCTION}',
    NOT ({RAW_SUCCESS}), '{NON_2XX}',
    NOT (total_price > 0), '{ZERO_PRICE}',
    start_time >= {{bug_window_start:DateTime('UTC')}}
        AND start_time <= {{bug_window_end:DateTime('UTC')}}, '{BUG_WINDOW}',
    has({{excluded_github_ids:Array(String)}}, user_github_id), '{EXCLUDED}',
    '{PASSED}')"""

RAW_IS_ROUTER = "toUInt8(user_github_id = {router_github_id:String})"

RAW_METER_CLASS = f"""multiIf(
    selected_meter_slug IN {{paid_meter_slugs:Array(String)}}, '{PACK}',
    selected_meter_slug IN {{free_meter_slugs:Array(String)}}, '{TIER}',
    '{OTHER}')"""

# Raw events that count in the usage table (ROUTER included) and in economics (ROUTER out);
# excluded users are in neither.
RAW_USAGE_EVENTS = f"{RAW_FILTER_STATUS} = '{PASSED}'"
RAW_ECONOMICS_EVENTS = f"{RAW_USAGE_EVENTS} AND {RAW_IS_ROUTER} = 0"

RAW_TOKENS = """(toUInt64(token_count_prompt_text) + token_count_prompt_audio
    + token_count_prompt_cached + token_count_prompt_image + token_count_completion_text
    + token_count_completion_reasoning + token_count_completion_audio
    + token_count_completion_image)"""

# Seed 001's balance cross-check: what the pre-request tier balance implies was free under the
# tier-first spend rule, whatever meter the gateway recorded.
RAW_IMPLIED_FREE = """least(
    greatest(balances['local:tier'] + balances['v1:meter:tier'], 0), greatest(total_price, 0))"""

# --- Fragments over event_facts_daily (the one wide scan of raw events) --------------------

FACTS_USAGE_ROWS = f"filter_status = '{PASSED}'"
FACTS_ECONOMICS_ROWS = f"{FACTS_USAGE_ROWS} AND is_router = 0"

# The money columns every economics table carries; total = pack + tier + other.
FACTS_METER_SUMS = f"""sumIf(price_sum, meter_class = '{PACK}') AS pack_pollen,
    sumIf(price_sum, meter_class = '{TIER}') AS tier_pollen,
    sumIf(price_sum, meter_class = '{OTHER}') AS other_pollen,
    sum(price_sum) AS total_pollen,
    sum(cost_sum) AS provider_cost,
    sum(events) AS requests,
    sum(token_sum) AS tokens"""

# BYOP, as the team's economics dashboard counts it: Pollen of end-user keys and of developer
# keys, each on the pack and tier meters only; the share is end-user / (developer + end-user), so
# keys of any other type ('undefined') and other meters stay out of its denominator.
_PACK_OR_TIER = f"meter_class IN ('{PACK}', '{TIER}')"
FACTS_ENDUSER_POLLEN = (
    f"sumIf(price_sum, api_key_type IN {{enduser_key_types:Array(String)}} AND {_PACK_OR_TIER})"
)
FACTS_DEVELOPER_POLLEN = (
    f"sumIf(price_sum, api_key_type IN {{developer_key_types:Array(String)}} AND {_PACK_OR_TIER})"
)
FACTS_FIRST_AT = {
    meter: f"minIfOrNull(first_event_at, meter_class = '{meter}')" for meter in (TIER, PACK)
}
FACTS_IS_NAMED_APP = "api_key_name NOT IN {unnamed_app_names:Array(String)}"


def fragments() -> dict[str, str]:
    """Named fragments for the ``$name`` placeholders of the files in ``sql/``."""
    return {
        "raw_filter_status": RAW_FILTER_STATUS,
        "raw_is_router": RAW_IS_ROUTER,
        "raw_meter_class": RAW_METER_CLASS,
        "raw_tokens": RAW_TOKENS,
        "raw_implied_free": RAW_IMPLIED_FREE,
        "raw_usage_events": RAW_USAGE_EVENTS,
        "raw_economics_events": RAW_ECONOMICS_EVENTS,
        "raw_production_events": RAW_PRODUCTION_EVENTS,
        "raw_success": RAW_SUCCESS,
        "usage_rows": FACTS_USAGE_ROWS,
        "economics_rows": FACTS_ECONOMICS_ROWS,
        "meter_sums": FACTS_METER_SUMS,
        "enduser_pollen": FACTS_ENDUSER_POLLEN,
        "developer_pollen": FACTS_DEVELOPER_POLLEN,
        "first_tier_at": FACTS_FIRST_AT[TIER],
        "first_pack_at": FACTS_FIRST_AT[PACK],
        "is_named_app": FACTS_IS_NAMED_APP,
        **{f"label_{label}": f"'{label}'" for label in (*FILTER_LABELS, OTHER)},
    }
