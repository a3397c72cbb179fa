"""Checks of tier_user_daily: its pandera model, and its rows against raw events."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days


class TierUserDaily(pa.DataFrameModel):
    user_github_username: Series[str]
    user_tier: Series[str]
    requests: Series[np.uint64] = pa.Field(gt=0)
    tier_pollen: Series[np.float64]

    class Config:
        coerce = False
        strict = False
        unique = ["day", "user_github_username", "user_tier"]


def spend_matches_raw(ctx: CheckContext) -> Verdict:
    """Per day, username and tier, requests and Pollen equal raw events' recounted with the
    team's filter written out (the table's rows come through the facts' measures)."""
    actual = f"""SELECT day, user_github_username, user_tier, sum(requests), sum(tier_pollen)
        FROM {ctx.qualified} WHERE {ctx.in_window}
        GROUP BY day, user_github_username, user_tier"""
    expected = f"""SELECT toDate(start_time, 'UTC') AS day, user_github_username, user_tier,
            count(), sum(total_price)
        FROM {ctx.raw_table}
        WHERE toDate(start_time, 'UTC') IN {{days:Array(Date)}} AND is_billed_usage
            AND response_status BETWEEN 200 AND 299 AND selected_meter_slug = 'v1:meter:tier'
        GROUP BY day, user_github_username, user_tier"""
    return compare(
        ctx.store,
        actual,
        expected,
        window_days(ctx),
        keys=3,
        what="days x users x tiers",
        expected_on=ctx.raw,
    )
