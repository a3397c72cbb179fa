"""pandera model of app_windows."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.defs.economics.checks import WINDOW_RULES, WindowColumns
from pollen_pipeline.schemas import FLAG, SHARE


class AppWindows(WindowColumns):
    api_key_id: Series[str]
    is_named_app: Series[np.uint8] = pa.Field(**FLAG)
    paid_share_30d: Series[np.float64] = pa.Field(**SHARE)

    class Config:
        unique = ["as_of", "api_key_id"]


ROW_RULES = WINDOW_RULES
