"""pandera model of user_activity_daily, and its recount from account_daily and user_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days


class UserActivityDaily(pa.DataFrameModel):
    tier: Series[str]
    accounts: Series[np.uint64] = pa.Field(ge=0)
    active_users: Series[np.uint64] = pa.Field(ge=0)
    active_accounts: Series[np.uint64] = pa.Field(ge=0)
    weekly_active_users: Series[np.uint64] = pa.Field(ge=0)
    negative_balances: Series[np.uint64] = pa.Field(ge=0)
    tier_balance_p95: Series[np.float64] = pa.Field(nullable=True)
    tier_balance_p99: Series[np.float64] = pa.Field(nullable=True)
    pack_balance_p95: Series[np.float64] = pa.Field(nullable=True)
    pack_balance_p99: Series[np.float64] = pa.Field(nullable=True)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "tier"]


ROW_RULES = {
    "active_accounts_are_both": "active_accounts <= least(active_users, accounts)",
    "daily_within_weekly": "active_users <= weekly_active_users",
    "negative_are_active": "negative_balances <= active_accounts",
    "quantiles_iff_active": "isNull(tier_balance_p95) = (active_accounts = 0) "
    "AND isNull(pack_balance_p99) = (active_accounts = 0)",
    "p95_within_p99": "ifNull(tier_balance_p95 <= tier_balance_p99 "
    "AND pack_balance_p95 <= pack_balance_p99, 1)",
}


def activity_matches_daily(ctx: CheckContext) -> Verdict:
    """Per day: accounts (account_daily rows), active users (user_daily rows), active accounts
    (both) and weekly active users (distinct users of user_daily in the 7 days to the day)."""
    actual = (
        "SELECT day, sum(accounts), sum(active_users), sum(active_accounts), "
        f"sum(weekly_active_users) FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"
    )
    accounts, users = ctx.store.table("account_daily"), ctx.store.table("user_daily")
    expected = (
        "SELECT d, sumIf(n, k = 1), sumIf(n, k = 2), sumIf(n, k = 3), sumIf(n, k = 4) FROM ("
        f"SELECT day AS d, 1 AS k, count() AS n FROM {accounts} "
        "WHERE day IN {days:Array(Date)} GROUP BY d "
        f"UNION ALL SELECT day, 2, count() FROM {users} WHERE day IN {{days:Array(Date)}} "
        "GROUP BY day "
        f"UNION ALL SELECT u.day, 3, count() FROM {users} AS u INNER JOIN {accounts} AS a "
        "ON u.day = a.day AND u.user_id = a.user_id WHERE u.day IN {days:Array(Date)} "
        "GROUP BY u.day "
        f"UNION ALL SELECT as_of, 4, uniqExact(user_id) FROM {users} "
        "ARRAY JOIN {days:Array(Date)} AS as_of "
        "WHERE day > as_of - 7 AND day <= as_of GROUP BY as_of"
        ") GROUP BY d"
    )
    return compare(ctx.store, actual, expected, window_days(ctx), what="days")
