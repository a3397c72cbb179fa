"""pandera model of tier_grant_scale_daily, and its recount from user_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.defs.tiers.rules import GRANT
from pollen_pipeline.schemas import NON_NEGATIVE, at_most


class TierGrantScaleDaily(pa.DataFrameModel):
    user_tier: Series[str]
    grant_scale: Series[np.float64] = pa.Field(gt=0)
    users: Series[np.uint64] = pa.Field(gt=0)
    users_capped: Series[np.uint64]
    pollen: Series[np.float64] = pa.Field(
        alias=r"^(actual|scaled)_tier_pollen$", regex=True, **NON_NEGATIVE
    )

    class Config:
        coerce = False
        strict = False
        unique = ["day", "user_tier", "grant_scale"]


ROW_RULES = {
    "scaled_within_actual": at_most("scaled_tier_pollen", "actual_tier_pollen"),
    "capped_within_users": "users_capped <= users",
}


def scales_match_user_daily(ctx: CheckContext) -> Verdict:
    """Per day and scale: developers and free Pollen equal user_daily's; capped developers equal
    a recount of developer-days above scale x the grant, the grants looked up by tier here."""
    actual = (
        "SELECT day, grant_scale, sum(users), sum(actual_tier_pollen), sum(users_capped) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day, grant_scale"
    )
    expected = (
        "SELECT day, grant_scale, count(), sum(tier_pollen), "
        f"countIf(tier_pollen > {GRANT} * grant_scale) "
        f"FROM {ctx.store.table('user_daily')} "
        "ARRAY JOIN {grant_scales:Array(Float64)} AS grant_scale "
        f"WHERE {ctx.in_window} GROUP BY day, grant_scale"
    )
    return compare(ctx.store, actual, expected, ctx.params(), keys=2, what="days x scales")
