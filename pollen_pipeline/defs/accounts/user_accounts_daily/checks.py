"""pandera model of user_accounts_daily (its recount from d1_user: ``accounts/checks.py``)."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import NON_NEGATIVE


class UserAccountsDaily(pa.DataFrameModel):
    tier: Series[str]
    accounts: Series[np.uint64] = pa.Field(gt=0)
    signups: Series[np.uint64] = pa.Field(ge=0)
    banned_accounts: Series[np.uint64] = pa.Field(ge=0)
    accounts_with_pack: Series[np.uint64] = pa.Field(ge=0)
    tier_balance: Series[np.float64]  # negative after an overspend
    pack_balance: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "tier"]


# every count is a count of the day's accounts
ROW_RULES = {
    "signups_are_accounts": "signups <= accounts",
    "banned_are_accounts": "banned_accounts <= accounts",
    "pack_holders_are_accounts": "accounts_with_pack <= accounts",
}
