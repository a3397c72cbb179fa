"""pandera model of app_model_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import FLAG, EconomicsColumns


class AppModelDaily(EconomicsColumns):
    api_key_id: Series[str]
    resolved_model_requested: Series[str]
    is_named_app: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        unique = ["day", "api_key_id", "resolved_model_requested"]
