"""pandera model of user_cohort, and its recount from user_daily."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import windows
from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days
from pollen_pipeline.schemas import FLAG, utc, utc_days


class UserCohort(pa.DataFrameModel):
    # first_tier_at / first_pack_at are checked in the dataframe checks below: their pandas
    # dtype depends on the host's time zone, their UTC value does not.
    user_id: Series[str]
    days_to_first_pack: Series[pd.Int32Dtype] = pa.Field(nullable=True)
    pack_before_tier: Series[np.uint8] = pa.Field(**FLAG)
    converted_7d: Series[np.uint8] = pa.Field(**FLAG)
    converted_30d: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "user_id"]

    @pa.dataframe_check
    def known_by_as_of(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        next_day = utc_days(frame.as_of) + pd.Timedelta(days=1)
        tier, pack = utc(frame.first_tier_at), utc(frame.first_pack_at)
        return tier.notna() & (tier < next_day) & (pack.isna() | (pack < next_day))

    @pa.dataframe_check
    def flags_follow_the_cohort_rule(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        """Recomputed in pandas from the row's own times: UTC calendar days, pack not earlier."""
        tier, pack = utc(frame.first_tier_at), utc(frame.first_pack_at)
        days = (utc_days(pack) - utc_days(tier)).dt.days
        in_order = pack >= tier  # False when there is no pack
        ok = utc_days(frame.cohort_day) == utc_days(tier)
        ok &= frame.days_to_first_pack.astype("Float64").fillna(-1e9) == days.fillna(-1e9)
        ok &= frame.pack_before_tier == (pack < tier)
        for horizon in windows.CONVERSION_DAYS:
            ok &= frame[f"converted_{horizon}d"] == (in_order & (days <= horizon))
        return ok


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
