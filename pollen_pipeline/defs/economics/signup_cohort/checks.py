"""pandera model of signup_cohort, and its recount from account_daily, user_daily and
user_cohort."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.defs.economics.checks import sampled_window_days
from pollen_pipeline.defs.economics.rules import CONVERSION_DAYS


class SignupCohort(pa.DataFrameModel):
    signups: Series[np.uint64] = pa.Field(ge=0)
    used: Series[np.uint64] = pa.Field(ge=0)
    packed: Series[np.uint64] = pa.Field(ge=0)
    proxy_users: Series[np.uint64] = pa.Field(ge=0)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "signup_day"]


_SHORT, _LONG = CONVERSION_DAYS
ROW_RULES = {
    "known_by_as_of": "signup_day <= as_of",
    "a_cohort_or_a_proxy": "signups > 0 OR proxy_users > 0",
    "used_within_signups": f"used_{_SHORT}d <= used_{_LONG}d AND used_{_LONG}d <= used "
    "AND used <= signups",
    # a first pack event is an event: a pack buyer has used the platform
    "packed_within_used": f"packed_{_SHORT}d <= packed_{_LONG}d AND packed_{_LONG}d <= packed "
    "AND packed <= used",
    "proxy_converted_within_users": f"proxy_converted_{_SHORT}d <= proxy_converted_{_LONG}d "
    f"AND proxy_converted_{_LONG}d <= proxy_users",
}


def cohort_matches_accounts(ctx: CheckContext) -> Verdict:
    """Per as_of of a sample of the run's (``sampled_window_days``: the recount reads every
    earlier day for each as_of, 13 s of a 90-day backfill checking all 90): the accounts with a
    sign-up day seen in a snapshot by then, those of them in user_daily by then, those with a
    pack event by then, and user_cohort's users."""
    actual = (
        "SELECT as_of, sum(signups), sum(used), sum(packed), sum(proxy_users) "
        f"FROM {ctx.qualified} WHERE as_of IN {{days:Array(Date)}} GROUP BY as_of"
    )
    accounts, users = ctx.store.table("account_daily"), ctx.store.table("user_daily")
    expected = (
        "SELECT as_of, sum(s), sum(u), sum(p), sum(c) FROM ("
        "SELECT a.as_of AS as_of, count() AS s, countIf(b.used = 1) AS u, "
        "countIf(b.packed = 1) AS p, 0 AS c FROM ("
        f"SELECT DISTINCT as_of, user_id FROM {accounts} ARRAY JOIN {{days:Array(Date)}} AS as_of "
        "WHERE day <= as_of AND signup_day IS NOT NULL) AS a "
        "LEFT JOIN (SELECT as_of, user_id, toUInt8(1) AS used, "
        "toUInt8(countIf(first_pack_at IS NOT NULL) > 0) AS packed "
        f"FROM {users} ARRAY JOIN {{days:Array(Date)}} AS as_of WHERE day <= as_of "
        "GROUP BY as_of, user_id) AS b ON a.as_of = b.as_of AND a.user_id = b.user_id "
        "GROUP BY as_of "
        "UNION ALL SELECT as_of, 0, 0, 0, count() "
        f"FROM {ctx.store.table('user_cohort')} WHERE as_of IN {{days:Array(Date)}} "
        "GROUP BY as_of) GROUP BY as_of"
    )
    return compare(ctx.store, actual, expected, sampled_window_days(ctx))
