"""pandera model of app_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import FLAG, EconomicsColumns


class AppDaily(EconomicsColumns):
    api_key_id: Series[str]
    is_named_app: Series[np.uint8] = pa.Field(**FLAG)
    referrer_domains: Series[np.uint64] = pa.Field(gt=0)
    models_used: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["day", "api_key_id"]
