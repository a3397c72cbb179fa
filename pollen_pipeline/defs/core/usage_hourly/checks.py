"""pandera model of usage_hourly."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import EconomicsColumns


class UsageHourly(EconomicsColumns):
    resolved_model_requested: Series[str]
    user_tier: Series[str]
    api_key_type: Series[str]
    is_router: Series[np.uint8] = pa.Field(isin=[0, 1])
    users: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["hour", "resolved_model_requested", "user_tier", "api_key_type", "is_router"]
