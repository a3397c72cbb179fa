"""Checks of scoped_user_key_daily: its pandera model, and its sums against event_facts_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days
from pollen_pipeline.schemas import FLAG, EconomicsColumns


class ScopedUserKeyDaily(EconomicsColumns):
    is_router: Series[np.uint8] = pa.Field(**FLAG)
    d1_banned: Series[np.uint8] = pa.Field(**FLAG)
    user_github_id: Series[str]
    user_github_username: Series[str]
    api_key_name: Series[str]
    api_key_type: Series[str]
    key_origin: Series[str] = pa.Field(isin=[*contract.BYOP_KEY_ORIGINS, contract.NO_ORIGIN])
    user_tier: Series[str]
    pack_requests: Series[np.uint64]
    tier_requests: Series[np.uint64]

    class Config:
        unique = [
            "day",
            "is_router",
            "d1_banned",
            "user_github_id",
            "user_github_username",
            "api_key_name",
            "api_key_type",
            "key_origin",
            "user_tier",
        ]


ROW_RULES = {
    # every row's requests are counted once whatever its meter
    "meter_requests_within_requests": "pack_requests + tier_requests <= requests",
    # ROUTER is one GitHub id (contract.ROUTER_GITHUB_ID)
    "router_is_its_id": f"(is_router = 1) = (user_github_id = '{contract.ROUTER_GITHUB_ID}')",
}


def keys_match_facts(ctx: CheckContext) -> Verdict:
    """Per day, ROUTER, D1-banned and key origin, requests and Pollen by meter equal the facts'
    rows in the legacy scope; D1's banned usernames read here from d1_user (where side sources
    are) and joined, not taken from the parameter the table's SELECT binds."""
    banned = [
        name
        for (name,) in ctx.raw.rows(
            f"SELECT github_username FROM {ctx.side('d1_user')} "
            "WHERE github_username IS NOT NULL GROUP BY github_username HAVING max(banned) = 1"
        )
    ]
    actual = (
        "SELECT day, is_router, d1_banned, key_origin, sum(requests), sum(pack_pollen), "
        f"sum(tier_pollen), sum(total_pollen) FROM {ctx.qualified} WHERE {ctx.in_window} "
        "GROUP BY day, is_router, d1_banned, key_origin"
    )
    expected = f"""SELECT day, is_router, b.hit AS banned, key_origin, sum(events),
            sumIf(price_sum, meter_class = '{contract.PACK}'),
            sumIf(price_sum, meter_class = '{contract.TIER}'), sum(price_sum)
        FROM {ctx.store.table("event_facts_daily")}
        LEFT JOIN (SELECT arrayJoin({{banned:Array(String)}}) AS name, toUInt8(1) AS hit) AS b
            ON user_github_username = b.name
        WHERE day IN {{days:Array(Date)}} AND {contract.FACTS_LEGACY_ROWS}
        GROUP BY day, is_router, banned, key_origin"""
    params = {**window_days(ctx), "banned": banned}
    return compare(ctx.store, actual, expected, params, keys=4, what="days x scopes x origins")
