"""pandera model of user_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import NON_NEGATIVE, EconomicsColumns


class UserDaily(EconomicsColumns):
    user_id: Series[str]
    user_tier: Series[str]
    enduser_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    developer_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    models_used: Series[np.uint64] = pa.Field(gt=0)
    apps_used: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["day", "user_id"]
