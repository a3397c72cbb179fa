"""pandera model of product_funnel_daily (its recount from product_event and stripe_event:
``accounts/checks.py``)."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series


class ProductFunnelDaily(pa.DataFrameModel):
    origin: Series[str] = pa.Field(isin=["product_event", "paid_checkout"])
    event: Series[str]
    events: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        coerce = False
        strict = False
        unique = [
            "day",
            "origin",
            "environment",
            "event",
            "page",
            "source",
            "via_website",
            "after_last_whole_second",
            "user_id",
        ]
