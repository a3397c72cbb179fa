"""pandera model of referrer_ranges, and its recount from referrer_daily's keys, each counted
for its app."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict
from pollen_pipeline.defs.economics.checks import ranges_match_daily
from pollen_pipeline.defs.economics.rules import LOOKBACK_DAYS, RANGE_WINDOWS, WINDOWS
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


def domains_match_daily(ctx: CheckContext) -> Verdict:
    """Per sampled as_of and range: the domains, every sum and the (domain, app) pairs equal
    referrer_daily's over the range's days, each key counted for its app (an end user's key:
    one app_daily has as such)."""
    enduser_keys = (
        f"SELECT api_key_id FROM {ctx.store.table('app_daily')} "
        f"WHERE day >= {{first:Date}} - {LOOKBACK_DAYS - 1} AND day <= {{last:Date}} "
        f"AND {contract.FACTS_ENDUSER_KEY}"
    )
    app = contract.app_id(f"api_key_id IN ({enduser_keys})")
    return ranges_match_daily(
        ctx,
        "referrer_daily",
        key="referrer_domain",
        counted="sum(apps)",
        recounted=f"uniqExact(referrer_domain, {app})",
    )
