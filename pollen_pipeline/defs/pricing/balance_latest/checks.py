"""pandera model of balance_latest, and its recount from balance_daily."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days


class BalanceLatest(pa.DataFrameModel):
    user_id: Series[str]

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "user_id"]


ROW_RULES = {"seen_by_as_of": "last_day <= as_of"}


def latest_matches_daily(ctx: CheckContext) -> Verdict:
    """Per as_of: every developer of balance_daily up to it, once, with the balances of their
    latest day (recomputed per as_of from every day, not collapsed before the run)."""
    actual = (
        "SELECT as_of, count(), sum(pack_balance), sum(tier_balance), sum(toUInt32(last_day)) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY as_of"
    )
    expected = (
        "SELECT as_of, count(), sum(pack), sum(tier), sum(toUInt32(last_day)) FROM ("
        "SELECT as_of, user_id, argMax(pack_balance, day) AS pack, "
        "argMax(tier_balance, day) AS tier, max(day) AS last_day "
        f"FROM {ctx.store.table('balance_daily')} ARRAY JOIN {{days:Array(Date)}} AS as_of "
        "WHERE day <= {last:Date} AND day <= as_of GROUP BY as_of, user_id) GROUP BY as_of"
    )
    return compare(ctx.store, actual, expected, window_days(ctx))
