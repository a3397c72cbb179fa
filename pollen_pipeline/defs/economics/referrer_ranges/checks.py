"""pandera model of referrer_ranges."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.defs.economics.rules import RANGE_WINDOWS, WINDOWS
from pollen_pipeline.schemas import NON_NEGATIVE


class ReferrerRanges(pa.DataFrameModel):
    window_days: Series[np.uint8] = pa.Field(isin=[WINDOWS[name] for name in RANGE_WINDOWS])
    referrer_domain: Series[str]
    total_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    apps: Series[np.uint64] = pa.Field(ge=1)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "window_days", "referrer_domain"]
