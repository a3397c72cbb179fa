"""pandera model of balance_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series


class BalanceDaily(pa.DataFrameModel):
    user_id: Series[str]
    user_tier: Series[str]
    # balances are what the gateway recorded: an overdrawn meter may be negative
    tier_balance: Series[np.float64]
    pack_balance: Series[np.float64]
    last_event_id: Series[str]
    events: Series[np.uint64] = pa.Field(gt=0)
    charged_pollen: Series[np.float64]

    class Config:
        coerce = False
        strict = False
        unique = ["day", "user_id"]


ROW_RULES = {"last_event_in_day": "toDate(last_event_at, 'UTC') = day"}
