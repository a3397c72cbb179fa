"""pandera model of user_accounts_daily, and its recount from d1_user."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days
from pollen_pipeline.schemas import NON_NEGATIVE


class UserAccountsDaily(pa.DataFrameModel):
    tier: Series[str]
    accounts: Series[np.uint64] = pa.Field(gt=0)
    signups: Series[np.uint64] = pa.Field(ge=0)
    banned_accounts: Series[np.uint64] = pa.Field(ge=0)
    accounts_with_pack: Series[np.uint64] = pa.Field(ge=0)
    tier_balance: Series[np.float64]  # negative after an overspend
    pack_balance: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "tier"]


# every count is a count of the day's accounts
ROW_RULES = {
    "signups_are_accounts": "signups <= accounts",
    "banned_are_accounts": "banned_accounts <= accounts",
    "pack_holders_are_accounts": "accounts_with_pack <= accounts",
}


def accounts_match_snapshot(ctx: CheckContext) -> Verdict:
    """Per day: accounts, sign-ups and banned accounts recounted from the day's last snapshot
    (the latest synced_at of each day, by a join rather than IN)."""
    actual = (
        "SELECT day, sum(accounts), sum(signups), sum(banned_accounts) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"
    )
    users = ctx.side("d1_user")
    # absent: the run left the window empty, with a note; there is nothing to recount
    if not ctx.raw.has_table(users):
        return Verdict(True, f"{users} absent: no snapshot, no rows to recount", {})
    expected = (
        "SELECT toDate(u.synced_at, 'UTC') AS day, count(), "
        "countIf(intDiv(u.created_at, 86400) = toUInt16(day)), countIf(u.banned != 0) "
        f"FROM {users} AS u INNER JOIN (SELECT max(synced_at) AS last FROM {users} "
        "WHERE toDate(synced_at, 'UTC') IN {days:Array(Date)} "
        "GROUP BY toDate(synced_at, 'UTC')) AS l ON u.synced_at = l.last GROUP BY day"
    )
    return compare(ctx.store, actual, expected, window_days(ctx), what="days", expected_on=ctx.raw)
