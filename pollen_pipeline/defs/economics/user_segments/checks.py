"""pandera model of user_segments, and its recount from user_windows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import windows
from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.schemas import SHARE, TOLERANCE


def _expected_segments(frame: pd.DataFrame) -> np.ndarray:
    above = (frame.pollen_rank - 1) / frame.ranked_users
    cuts = [above < cut for _, cut in windows.SEGMENTS[:-1]]
    return np.select(cuts, list(windows.SEGMENT_LABELS[:-1]), windows.SEGMENT_LABELS[-1])


class UserSegments(pa.DataFrameModel):
    user_id: Series[str]
    user_tier: Series[str]
    total_30d: Series[np.float64] = pa.Field(gt=0)
    paid_share_30d: Series[np.float64] = pa.Field(**SHARE)
    pollen_rank: Series[np.uint64] = pa.Field(ge=1)
    ranked_users: Series[np.uint64] = pa.Field(ge=1)
    segment: Series[str] = pa.Field(isin=list(windows.SEGMENT_LABELS))

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "user_id"]

    @pa.dataframe_check
    def segment_follows_rank(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        ordered = frame.sort_values(["as_of", "pollen_rank"])
        # a higher rank never has more Pollen than the rank before it on the same as_of
        drops = ordered.groupby("as_of").total_30d.diff().fillna(0) <= TOLERANCE
        in_range = frame.pollen_rank <= frame.ranked_users
        return (frame.segment == _expected_segments(frame)) & in_range & drops.reindex(frame.index)


def segments_match_windows(ctx: CheckContext) -> Verdict:
    """Per as_of: every developer with 30-day Pollen is ranked once, with the same Pollen."""
    actual = (
        "SELECT as_of, count(), sum(total_30d), sum(pack_30d), sum(tier_30d) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY as_of"
    )
    return compare(ctx.store, actual, windows.developers_with_pollen(ctx, "as_of"), ctx.params())
