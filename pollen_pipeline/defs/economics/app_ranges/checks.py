"""pandera model of app_ranges."""

from __future__ import annotations

from pandera.typing import Series

from pollen_pipeline.defs.economics.checks import RANGE_ROWS, RangeColumns


class AppRanges(RangeColumns):
    api_key_id: Series[str]

    class Config:
        unique = ["as_of", "window_days", "api_key_id"]


ROW_RULES = RANGE_ROWS
