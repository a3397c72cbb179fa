"""pandera model of app_windows, and its recount from app_daily's keys, each counted for its
app."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict
from pollen_pipeline.defs.economics.checks import WINDOW_RULES, WindowColumns, windows_match_daily
from pollen_pipeline.schemas import FLAG, SHARE


class AppWindows(WindowColumns):
    app_id: Series[str]
    is_named_app: Series[np.uint8] = pa.Field(**FLAG)
    paid_share_30d: Series[np.float64] = pa.Field(**SHARE)

    class Config:
        unique = ["as_of", "app_id"]


ROW_RULES = WINDOW_RULES


def apps_match_daily(ctx: CheckContext) -> Verdict:
    """On sampled as_of days: one row per app (a BYOP app's keys as one) active in 90 days, and
    every windowed sum equal to app_daily's over the window."""
    return windows_match_daily(ctx, "app_daily", contract.app_id(contract.FACTS_ENDUSER_KEY))
