"""pandera model of user_daily_by_user."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import EconomicsColumns


class UserDailyByUser(EconomicsColumns):
    user_id: Series[str]
    user_tier: Series[str]
    models_used: Series[np.uint64] = pa.Field(gt=0)
    named_apps: Series[np.uint64]

    class Config:
        unique = ["day", "user_id"]
