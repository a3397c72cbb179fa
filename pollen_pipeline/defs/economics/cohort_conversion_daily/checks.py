"""pandera model of cohort_conversion_daily, and its recount from user_cohort."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.defs.economics.rules import CONVERSION_DAYS
from pollen_pipeline.schemas import FLAG, TOLERANCE


class CohortConversionDaily(pa.DataFrameModel):
    users: Series[np.uint64] = pa.Field(gt=0)
    converted_7d: Series[np.uint64]
    converted_30d: Series[np.uint64]
    conversion_rate_7d: Series[np.float64] = pa.Field(ge=0, le=1)
    conversion_rate_30d: Series[np.float64] = pa.Field(ge=0, le=1)
    is_final_7d: Series[np.uint8] = pa.Field(**FLAG)
    is_final_30d: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "cohort_day"]


ROW_RULES = {
    "converted_within_users": "converted_7d <= converted_30d AND converted_30d <= users",
    **{
        f"rate_{h}d": f"abs(conversion_rate_{h}d - converted_{h}d / users) <= {TOLERANCE!r}"
        for h in CONVERSION_DAYS
    },
    **{
        f"final_{h}d": f"is_final_{h}d = toUInt8(as_of - cohort_day >= {h})"
        for h in CONVERSION_DAYS
    },
}


def conversion_matches_cohort(ctx: CheckContext) -> Verdict:
    """Per as_of and cohort day: users and conversions equal the user_cohort snapshot."""
    actual = (
        "SELECT as_of, cohort_day, users, converted_7d, converted_30d "
        f"FROM {ctx.qualified} WHERE {ctx.in_window}"
    )
    expected = (
        "SELECT as_of, cohort_day, count(), sum(converted_7d), sum(converted_30d) "
        f"FROM {ctx.store.table('user_cohort')} WHERE {ctx.in_window} "
        "GROUP BY as_of, cohort_day"
    )
    return compare(ctx.store, actual, expected, ctx.params(), keys=2, what="cohort days")
