"""pandera model of model_ranges."""

from __future__ import annotations

from pandera.typing import Series

from pollen_pipeline.defs.economics.checks import RangeColumns


class ModelRanges(RangeColumns):
    resolved_model_requested: Series[str]

    class Config:
        unique = ["as_of", "window_days", "resolved_model_requested", "user_tier", "api_key_type"]


# Every model_daily row of a range is one of its active days (no last day is kept).
ROW_RULES = {"active_in_range": "active_days <= window_days"}
