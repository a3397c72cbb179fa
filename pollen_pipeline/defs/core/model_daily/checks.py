"""pandera model of model_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import EconomicsColumns


class ModelDaily(EconomicsColumns):
    resolved_model_requested: Series[str]
    model_provider_used: Series[str]
    users: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["day", "resolved_model_requested", "user_tier", "api_key_type"]
