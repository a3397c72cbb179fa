"""pandera model of payments_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series


class PaymentsDaily(pa.DataFrameModel):
    provider: Series[str] = pa.Field(isin=["stripe", "polar"])
    payments: Series[np.uint64] = pa.Field(gt=0)
    payers: Series[np.uint64] = pa.Field(ge=0)
    amount: Series[np.float64]  # a refund webhook may carry a negative amount

    class Config:
        coerce = False
        strict = False
        unique = ["day", "provider", "event_type", "status", "currency"]


ROW_RULES = {"payers_paid": "payers <= payments"}
