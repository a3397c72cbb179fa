"""pandera model of directory_usage_daily, and its recount from scoped_user_key_daily and the
directory's listings."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.schemas import FLAG, EconomicsColumns


class DirectoryUsageDaily(EconomicsColumns):
    is_router: Series[np.uint8] = pa.Field(**FLAG)
    d1_banned: Series[np.uint8] = pa.Field(**FLAG)
    category: Series[str]
    platform: Series[str]
    legacy_byop: Series[str] = pa.Field(
        isin=[contract.REDIRECT_AUTH, contract.HOSTNAME_KEY, contract.NO_ORIGIN]
    )

    class Config:
        unique = ["day", "is_router", "d1_banned", "category", "platform", "legacy_byop"]


def listings_match_sources(ctx: CheckContext) -> Verdict:
    """Per day, ROUTER, D1-banned and legacy BYOP signal: requests and Pollen equal
    scoped_user_key_daily's, each developer's times their listings in the latest sync (at least
    once): the listings counted per GitHub id here, where side sources are, and bound, not
    joined row by row."""
    directory = ctx.side("app_directory")
    listed = ctx.raw.rows(
        f"""SELECT github_user_id, count() FROM {directory}
        WHERE synced_at = (SELECT max(synced_at) FROM {directory}
            WHERE synced_at < {{end:DateTime('UTC')}})
        GROUP BY github_user_id""",
        ctx.params(),
    )
    actual = (
        "SELECT day, is_router, d1_banned, legacy_byop, sum(requests), sum(total_pollen) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} "
        "GROUP BY day, is_router, d1_banned, legacy_byop"
    )
    # transform() looks ids up in a hash table (indexOf scanned the whole list per row: 72 s on
    # a 5M-event day)
    copies = (
        "greatest(1, transform(user_github_id, {ids:Array(String)}, {counts:Array(UInt64)}, "
        "toUInt64(0)))"
    )
    expected = f"""SELECT day, is_router, d1_banned, {contract.LEGACY_BYOP} AS signal,
            sum(requests * {copies}), sum(total_pollen * {copies})
        FROM {ctx.store.table("scoped_user_key_daily")}
        WHERE {ctx.in_window} GROUP BY day, is_router, d1_banned, signal"""
    params = {
        **ctx.params(),
        "ids": [github_id for github_id, _ in listed],
        "counts": [count for _, count in listed],
    }
    return compare(ctx.store, actual, expected, params, keys=4, what="days x scopes x signals")
