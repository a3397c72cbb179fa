"""pandera model of request_path_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import EconomicsColumns


class RequestPathDaily(EconomicsColumns):
    request_path: Series[str]
    user_tier: Series[str]
    api_key_type: Series[str]
    billed_requests: Series[np.uint64] = pa.Field(ge=0)
    unbilled_requests: Series[np.uint64] = pa.Field(ge=0)
    cache_hit_requests: Series[np.uint64] = pa.Field(ge=0)
    models_used: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["day", "request_path", "user_tier", "api_key_type"]


ROW_RULES = {"billed_split_adds_up": "billed_requests + unbilled_requests = requests"}
