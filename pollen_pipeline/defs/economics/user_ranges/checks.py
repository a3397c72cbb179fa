"""pandera model of user_ranges."""

from __future__ import annotations

from pandera.typing import Series

from pollen_pipeline.defs.economics.checks import RANGE_ROWS, RangeColumns


class UserRanges(RangeColumns):
    user_id: Series[str]
    user_tier: Series[str]

    class Config:
        unique = ["as_of", "window_days", "user_id", "user_tier"]


ROW_RULES = RANGE_ROWS
