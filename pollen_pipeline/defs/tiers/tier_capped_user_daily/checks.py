"""pandera model of tier_capped_user_daily, and its check against tier_simulation_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.schemas import NON_NEGATIVE


class TierCappedUserDaily(pa.DataFrameModel):
    scenario: Series[str]
    user_id: Series[str]
    user_tier: Series[str]
    tier_pollen: Series[np.float64] = pa.Field(gt=0)
    grant_per_user: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    cut_pollen: Series[np.float64] = pa.Field(gt=0)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "scenario", "user_id"]


ROW_RULES = {"cut_is_the_excess": "abs(tier_pollen - grant_per_user - cut_pollen) <= 1e-9"}


def capped_matches_simulation(ctx: CheckContext) -> Verdict:
    """Per day and scenario: developers capped and Pollen cut equal tier_simulation_daily's."""
    actual = (
        "SELECT day, scenario, count(), sum(cut_pollen) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day, scenario"
    )
    expected = (
        "SELECT day, scenario, sum(users_capped) AS capped, "
        "sum(actual_tier_pollen) - sum(simulated_tier_pollen) "
        f"FROM {ctx.store.table('tier_simulation_daily')} WHERE {ctx.in_window} "
        "GROUP BY day, scenario HAVING capped > 0"
    )
    return compare(ctx.store, actual, expected, ctx.params(), keys=2, what="days x scenarios")
