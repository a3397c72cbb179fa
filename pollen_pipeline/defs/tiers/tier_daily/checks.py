"""pandera model of tier_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import NON_NEGATIVE


class TierDaily(pa.DataFrameModel):
    user_tier: Series[str]
    users: Series[np.uint64] = pa.Field(gt=0)
    requests: Series[np.uint64] = pa.Field(gt=0)
    pollen: Series[np.float64] = pa.Field(
        alias=r"^(pack|tier|other|total)_pollen$", regex=True, **NON_NEGATIVE
    )
    grant_per_user: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    grant_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    # no upper bound: the grants are today's configuration, and past days may have had larger ones
    grant_used_share: Series[np.float64] = pa.Field(ge=0, nullable=True)
    users_at_grant: Series[np.uint64]

    class Config:
        coerce = False
        strict = False
        unique = ["day", "user_tier"]


ROW_RULES = {
    "at_grant_within_users": "users_at_grant <= users",
    "share_only_with_grant": "isNull(grant_used_share) = (grant_pollen = 0)",
}
