"""pandera model of account_daily (its recount from d1_user: ``accounts/checks.py``)."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import FLAG, NON_NEGATIVE


class AccountDaily(pa.DataFrameModel):
    user_id: Series[str]
    tier: Series[str]
    banned: Series[np.uint8] = pa.Field(**FLAG)
    tier_balance: Series[np.float64]  # negative after an overspend
    pack_balance: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "user_id"]


# an account is in a snapshot only once it exists
ROW_RULES = {"signed_up_by_the_snapshot": "ifNull(signup_day <= day, 1)"}
