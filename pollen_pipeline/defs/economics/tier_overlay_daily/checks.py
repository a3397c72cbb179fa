"""pandera model of tier_overlay_daily, and its recount from user_windows."""

from __future__ import annotations

import itertools

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.defs.economics.checks import developers_with_pollen
from pollen_pipeline.defs.economics.tier_overlay_daily.rules import QUANTILES
from pollen_pipeline.schemas import SHARE, at_most


class TierOverlayDaily(pa.DataFrameModel):
    user_tier: Series[str]
    users: Series[np.uint64] = pa.Field(gt=0)
    pollen_30d: Series[np.float64] = pa.Field(gt=0)
    pollen_per_user: Series[np.float64] = pa.Field(gt=0)
    users_with_share: Series[np.uint64]
    quantiles: Series[np.float64] = pa.Field(alias=r"^paid_share_p\d+$", regex=True, **SHARE)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "user_tier"]


ROW_RULES = {
    "shares_within_users": "users_with_share <= users",
    "quantiles_ordered": " AND ".join(
        f"(paid_share_{low} IS NULL OR {at_most(f'paid_share_{low}', f'paid_share_{high}')})"
        for low, high in itertools.pairwise(QUANTILES)
    ),
    "quantiles_only_with_shares": f"isNull(paid_share_{next(iter(QUANTILES))}) "
    "= (users_with_share = 0)",
}


def tier_overlay_matches_windows(ctx: CheckContext) -> Verdict:
    """Per as_of and tier: users and Pollen equal the developers of user_windows."""
    actual = (
        "SELECT as_of, user_tier, users, pollen_30d, pack_30d, tier_30d "
        f"FROM {ctx.qualified} WHERE {ctx.in_window}"
    )
    expected = developers_with_pollen(ctx, "as_of, user_tier")
    return compare(ctx.store, actual, expected, ctx.params(), keys=2, what="tiers")
