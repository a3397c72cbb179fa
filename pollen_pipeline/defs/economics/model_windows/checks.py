"""pandera model of model_windows."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.defs.economics.checks import WINDOW_RULES, WindowColumns
from pollen_pipeline.schemas import SHARE, TOLERANCE


class ModelWindows(WindowColumns):
    resolved_model_requested: Series[str]
    requests: Series[np.uint64]
    paid_share: Series[np.float64] = pa.Field(**SHARE)
    avg_pollen_per_request: Series[np.float64] = pa.Field(ge=0, nullable=True)
    cost_share_1d: Series[np.float64] = pa.Field(**SHARE)
    cost_share_30d: Series[np.float64] = pa.Field(**SHARE)
    cost_share_change: Series[np.float64] = pa.Field(
        ge=-1 - TOLERANCE, le=1 + TOLERANCE, nullable=True
    )

    class Config:
        unique = ["as_of", "resolved_model_requested"]


ROW_RULES = {**WINDOW_RULES, "requests_are_30d": "requests = requests_30d"}
