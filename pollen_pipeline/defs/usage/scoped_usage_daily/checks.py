"""Checks of scoped_usage_daily: its pandera model, and its scope dimensions against raw events."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days
from pollen_pipeline.schemas import FLAG, NON_NEGATIVE

# The dimensions a legacy scope filters on, in the table's column order.
SCOPE_DIMENSIONS = (
    "environment",
    "selected_meter_slug",
    "is_billed_usage",
    "response_status",
    "is_priced",
    "in_bug_window",
    "is_router",
    "d1_banned",
)


class ScopedUsageDaily(pa.DataFrameModel):
    environment: Series[str]
    selected_meter_slug: Series[str]
    is_billed_usage: Series[np.uint8] = pa.Field(**FLAG)
    response_status: Series[np.uint32]
    is_priced: Series[np.uint8] = pa.Field(**FLAG)
    in_bug_window: Series[np.uint8] = pa.Field(**FLAG)
    is_router: Series[np.uint8] = pa.Field(**FLAG)
    d1_banned: Series[np.uint8] = pa.Field(**FLAG)
    user_tier: Series[str]
    api_key_type: Series[str]
    resolved_model_requested: Series[str]
    requests: Series[np.uint64] = pa.Field(gt=0)
    provider_cost: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = [
            "day",
            *SCOPE_DIMENSIONS,
            "user_tier",
            "api_key_type",
            "resolved_model_requested",
        ]


ROW_RULES = {
    # a priced row holds Pollen, an unpriced one none (total_price > 0 decides the flag)
    "priced_rows_hold_pollen": "(is_priced = 1) = (total_pollen > 0)",
}


def scopes_match_raw(ctx: CheckContext) -> Verdict:
    """Per day and scope dimensions, requests and Pollen equal a recount of raw events, D1's
    banned usernames joined (not looked up with IN, as the table's SELECT does)."""
    dimensions = ", ".join(SCOPE_DIMENSIONS)
    actual = (
        f"SELECT day, {dimensions}, sum(requests), sum(total_pollen) FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY day, {dimensions}"
    )
    expected = f"""SELECT toDate(e.start_time, 'UTC') AS day, e.environment,
            e.selected_meter_slug, toUInt8(e.is_billed_usage), e.response_status,
            toUInt8(e.total_price > 0) AS priced,
            toUInt8(NOT (e.start_time < {{bug_window_start:DateTime('UTC')}}
                OR e.start_time > {{bug_window_end:DateTime('UTC')}})) AS in_window,
            toUInt8(e.user_github_id = {{router_github_id:String}}) AS router, b.is_banned,
            count(), sum(e.total_price)
        FROM {ctx.raw_table} AS e
        LEFT JOIN (
            SELECT DISTINCT assumeNotNull(github_username) AS name, toUInt8(1) AS is_banned
            FROM {ctx.side("d1_user")} WHERE banned = 1 AND github_username IS NOT NULL
        ) AS b ON e.user_github_username = b.name
        WHERE toDate(e.start_time, 'UTC') IN {{days:Array(Date)}}
        GROUP BY day, e.environment, e.selected_meter_slug, e.is_billed_usage,
            e.response_status, priced, in_window, router, b.is_banned"""
    return compare(
        ctx.store,
        actual,
        expected,
        window_days(ctx),
        keys=1 + len(SCOPE_DIMENSIONS),
        what="days x scopes",
        expected_on=ctx.raw,
    )
