"""pandera model of user_windows, and the balance cross-check of seed 001."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import TOLERANCE, CheckContext, Verdict
from pollen_pipeline.defs.economics.checks import WINDOW_RULES, WindowColumns
from pollen_pipeline.defs.economics.rules import MOMENTUM_MIN_PACK_30D
from pollen_pipeline.schemas import FLAG, NON_NEGATIVE, SHARE

BALANCE_DISAGREEMENT_LIMIT = 0.05  # share of Pollen whose implied and metered split differ


class UserWindows(WindowColumns):
    user_id: Series[str]
    user_tier: Series[str]
    enduser_pollen_30d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    developer_pollen_30d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    enduser_share_30d: Series[np.float64] = pa.Field(**SHARE)
    paid_share_30d: Series[np.float64] = pa.Field(**SHARE)
    qualifies: Series[np.uint8] = pa.Field(**FLAG)
    implied_free_1d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    implied_free_30d: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        unique = ["as_of", "user_id"]


ROW_RULES = {
    **WINDOW_RULES,
    "qualifies_above_threshold": (f"qualifies = toUInt8(pack_30d > {MOMENTUM_MIN_PACK_30D!r})"),
}


def balance_agrees_with_meters(ctx: CheckContext) -> Verdict:
    """Seed 001's diagnostic: how far the free Pollen implied by pre-request tier balances
    (tier first: min(max(tier balance, 0), price)) agrees with the metered free Pollen."""
    meter_free, implied_free, total, differing, user_days, agreeing = ctx.store.rows(
        "SELECT sum(tier_1d), sum(implied_free_1d), sum(total_1d), "
        "sum(abs(tier_1d - implied_free_1d)), count(), "
        "countIf(abs(tier_1d - implied_free_1d) <= {tolerance:Float64} * greatest(total_1d, 1)) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} AND requests_1d > 0",
        {**ctx.params(), "tolerance": TOLERANCE},
    )[0]
    share = differing / total if total else 0.0
    return Verdict(
        share <= BALANCE_DISAGREEMENT_LIMIT,
        f"{share:.2%} of Pollen split differently by balances than by meters "
        f"(limit {BALANCE_DISAGREEMENT_LIMIT:.0%}); {agreeing} of {user_days} user-days agree",
        {
            "meter_free_pollen": float(meter_free),
            "implied_free_pollen": float(implied_free),
            "total_pollen": float(total),
            "disagreeing_pollen": float(differing),
            "disagreement_share": float(share),
            "user_days": int(user_days),
            "agreeing_user_days": int(agreeing),
        },
    )
