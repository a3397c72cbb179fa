"""pandera model of referrer_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import FLAG, EconomicsColumns


class ReferrerDaily(EconomicsColumns):
    referrer_domain: Series[str]
    api_key_id: Series[str]
    is_named_app: Series[np.uint8] = pa.Field(**FLAG)
    models_used: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["day", "referrer_domain", "api_key_id"]
