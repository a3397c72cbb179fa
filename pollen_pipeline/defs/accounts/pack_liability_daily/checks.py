"""pandera model of pack_liability_daily, and its recount from payments_daily and model_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days
from pollen_pipeline.schemas import NON_NEGATIVE, TOLERANCE, at_most


class PackLiabilityDaily(pa.DataFrameModel):
    packs_sold: Series[np.uint64] = pa.Field(ge=0)
    sold_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    pack_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    sold_pollen_to_date: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    pack_pollen_to_date: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    paid_liability: Series[np.float64]  # negative: more spent than the stored payments sold
    pack_balance_estimate: Series[np.float64]
    pack_holders: Series[np.uint64] = pa.Field(ge=0)

    class Config:
        coerce = False
        strict = False
        unique = ["day"]


ROW_RULES = {
    "liability_is_sold_minus_spent": (
        "abs(paid_liability - (sold_pollen_to_date - pack_pollen_to_date)) "
        f"<= {TOLERANCE!r} * greatest(sold_pollen_to_date, pack_pollen_to_date, 1)"
    ),
    "the_day_is_in_its_to_date": (
        f"{at_most('sold_pollen', 'sold_pollen_to_date')} "
        f"AND {at_most('pack_pollen', 'pack_pollen_to_date')}"
    ),
}


def liability_matches_summaries(ctx: CheckContext) -> Verdict:
    """Per day: Pollen sold and spent to date, each stored day up to it enumerated with ARRAY
    JOIN (not the running sums of the table's SELECT)."""
    actual = (
        "SELECT day, sold_pollen_to_date, pack_pollen_to_date "
        f"FROM {ctx.qualified} WHERE {ctx.in_window}"
    )
    expected = (
        "SELECT as_of, sum(sold), sum(spent) FROM ("
        "SELECT day, amount AS sold, 0 AS spent "
        f"FROM {ctx.store.table('payments_daily')} "
        "WHERE event_type IN {sold_event_types:Array(String)} AND status = {sold_status:String} "
        "UNION ALL SELECT day, 0, pack_pollen "
        f"FROM {ctx.store.table('model_daily')}) "
        "ARRAY JOIN {days:Array(Date)} AS as_of WHERE day <= as_of GROUP BY as_of"
    )
    return compare(ctx.store, actual, expected, window_days(ctx), what="days")
