"""pandera model of user_cohort, and its recount from user_daily."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days
from pollen_pipeline.defs.economics.rules import CONVERSION_DAYS
from pollen_pipeline.schemas import FLAG

TIER_DAY = "toDate(first_tier_at, 'UTC')"
PACK_DAY = "toDate(first_pack_at, 'UTC')"
# Recomputed from the row's own times, by Date arithmetic (the table uses dateDiff).
DAYS = f"{PACK_DAY} - {TIER_DAY}"


def _converted(horizon: int) -> str:
    return (
        f"converted_{horizon}d = "
        f"toUInt8(ifNull(first_pack_at >= first_tier_at AND {DAYS} <= {horizon}, 0))"
    )


class UserCohort(pa.DataFrameModel):
    user_id: Series[str]
    days_to_first_pack: Series[pd.Int32Dtype] = pa.Field(nullable=True)
    pack_before_tier: Series[np.uint8] = pa.Field(**FLAG)
    converted_7d: Series[np.uint8] = pa.Field(**FLAG)
    converted_30d: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "user_id"]


ROW_RULES = {
    "known_by_as_of": f"first_tier_at IS NOT NULL AND {TIER_DAY} <= as_of "
    f"AND (first_pack_at IS NULL OR {PACK_DAY} <= as_of)",
    "cohort_day_is_first_tier_day": f"cohort_day = {TIER_DAY}",
    "days_to_first_pack": f"isNull(first_pack_at) = isNull(days_to_first_pack) "
    f"AND ifNull(days_to_first_pack = {DAYS}, 1)",
    "pack_before_tier": "pack_before_tier = toUInt8(ifNull(first_pack_at < first_tier_at, 0))",
    **{f"converted_{h}d": _converted(h) for h in CONVERSION_DAYS},
}


def cohort_matches_daily(ctx: CheckContext) -> Verdict:
    """Per as_of: the cohort holds every user with a tier event on or before as_of, and as many
    have a first pack, and a first pack not before their first tier, as user_daily says."""
    actual = (
        "SELECT as_of, count(), countIf(first_pack_at IS NOT NULL), "
        f"countIf(first_pack_at >= first_tier_at) FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY as_of"
    )
    expected = (
        "SELECT as_of, count(), countIf(pack IS NOT NULL), countIf(pack >= tier) FROM ("
        "SELECT as_of, user_id, min(first_tier_at) AS tier, min(first_pack_at) AS pack "
        f"FROM {ctx.store.table('user_daily')} ARRAY JOIN {{days:Array(Date)}} AS as_of "
        "WHERE day <= {last:Date} AND day <= as_of GROUP BY as_of, user_id "
        "HAVING tier IS NOT NULL) GROUP BY as_of"
    )
    return compare(ctx.store, actual, expected, window_days(ctx))
