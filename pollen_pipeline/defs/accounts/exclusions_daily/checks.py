"""pandera model of exclusions_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import FLAG, NON_NEGATIVE


class ExclusionsDaily(pa.DataFrameModel):
    user_id: Series[str]
    listed_by: Series[str] = pa.Field(isin=["hand_list", "d1_banned", "both"])
    removed: Series[np.uint8] = pa.Field(**FLAG)
    events: Series[np.uint64] = pa.Field(gt=0)
    total_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "user_id"]
