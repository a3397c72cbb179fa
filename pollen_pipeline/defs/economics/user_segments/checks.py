"""pandera model of user_segments, and its recount from user_windows."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.defs.economics.checks import developers_with_pollen
from pollen_pipeline.defs.economics.user_segments.rules import SEGMENT_LABELS, SEGMENTS
from pollen_pipeline.schemas import SHARE, at_most


def _expected_segment() -> str:
    """SQL: the segment of a rank, from the share of ranked users above it."""
    cases = [
        f"(pollen_rank - 1) / ranked_users < {cut!r}, '{label}'" for label, cut in SEGMENTS[:-1]
    ]
    return f"multiIf({', '.join(cases)}, '{SEGMENT_LABELS[-1]}')"


class UserSegments(pa.DataFrameModel):
    user_id: Series[str]
    user_tier: Series[str]
    total_30d: Series[np.float64] = pa.Field(gt=0)
    paid_share_30d: Series[np.float64] = pa.Field(**SHARE)
    pollen_rank: Series[np.uint64] = pa.Field(ge=1)
    ranked_users: Series[np.uint64] = pa.Field(ge=1)
    segment: Series[str] = pa.Field(isin=list(SEGMENT_LABELS))

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "user_id"]


# the Pollen of the rank before, on the same as_of
ROW_COLUMNS = {
    "pollen_of_rank_above": "lagInFrame(total_30d) OVER (PARTITION BY as_of "
    "ORDER BY pollen_rank ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)"
}
ROW_RULES = {
    "segment_follows_rank": f"segment = {_expected_segment()}",
    "rank_within_ranked": "pollen_rank <= ranked_users",
    "rank_follows_pollen": "pollen_rank = 1 OR " + at_most("total_30d", "pollen_of_rank_above"),
}


def segments_match_windows(ctx: CheckContext) -> Verdict:
    """Per as_of: every developer with 30-day Pollen is ranked once, with the same Pollen."""
    actual = (
        "SELECT as_of, count(), sum(total_30d), sum(pack_30d), sum(tier_30d) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY as_of"
    )
    return compare(ctx.store, actual, developers_with_pollen(ctx, "as_of"), ctx.params())
