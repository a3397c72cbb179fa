"""pandera model of team_user_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series


class TeamUserDaily(pa.DataFrameModel):
    environment: Series[str]
    traffic_group: Series[str] = pa.Field(isin=["legacy", "internal", "regular"])
    user_id: Series[str]
    events: Series[np.uint64] = pa.Field(gt=0)
    total_pollen: Series[np.float64]
    observed_events: Series[np.uint64] = pa.Field(ge=0)
    # balances are what the gateway recorded: an overdrawn meter may be negative
    quest_balance: Series[np.float64]
    paid_balance: Series[np.float64]

    class Config:
        coerce = False
        strict = False
        unique = ["day", "environment", "traffic_group", "user_id"]


ROW_RULES = {
    "first_event_in_day": "toDate(first_event_at, 'UTC') = day",
    "observed_within_events": "observed_events <= events",
    "observed_in_day": "observed_events = 0 OR toDate(observed_at, 'UTC') = day",
}
