"""pandera model of checkout_daily (its recount from stripe_event: ``accounts/checks.py``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import FLAG, NON_NEGATIVE


class CheckoutDaily(pa.DataFrameModel):
    livemode: Series[np.uint8] = pa.Field(**FLAG)
    event_type: Series[str]
    amount_cents: Series[pd.Int32Dtype]  # a refund webhook may carry a negative amount
    pack_usd: Series[pd.Int32Dtype]
    pack_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    checkouts: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        coerce = False
        strict = False
        unique = [
            "day",
            "livemode",
            "event_type",
            "payment_status",
            "payment_method",
            "country",
            "amount_cents",
            "pack_usd",
            "pack_pollen",
        ]
