"""pandera model of app_ranges, and its recount from app_daily's keys, each counted for its app."""

from __future__ import annotations

from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict
from pollen_pipeline.defs.economics.checks import RANGE_ROWS, RangeColumns, ranges_match_daily


class AppRanges(RangeColumns):
    app_id: Series[str]

    class Config:
        unique = ["as_of", "window_days", "app_id"]


ROW_RULES = RANGE_ROWS


def apps_match_daily(ctx: CheckContext) -> Verdict:
    """Per sampled as_of and range: the apps, every sum and the active days (the distinct days
    of an app's keys) equal app_daily's named rows, each counted for its app."""
    app = contract.app_id(contract.FACTS_ENDUSER_KEY)
    return ranges_match_daily(
        ctx,
        "app_daily",
        key="app_id",
        daily_key=app,
        rows="is_named_app = 1",
        recounted=f"uniqExact({app}, day)",
    )
