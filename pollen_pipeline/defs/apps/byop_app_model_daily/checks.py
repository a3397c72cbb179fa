"""pandera model of byop_app_model_daily, and its recount from usage_classified_hourly."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.schemas import FLAG, NON_NEGATIVE, at_most

# the classification both tables carry: a BYOP row of usage_classified_hourly is one of these
SHARED_KEY = "environment, traffic_group, v1_only, model, is_community, funding_source"
MEASURES = (
    "sum(all_calls), sum(successful_calls), sum(billed_calls), sum(gross_consumption), "
    "sum(byop_reward), sum(community_reward), uniqMerge(users_with_attempts)"
)


class ByopAppModelDaily(pa.DataFrameModel):
    environment: Series[str]
    traffic_group: Series[str] = pa.Field(isin=["regular", "legacy", "internal"])
    v1_only: Series[np.uint8] = pa.Field(**FLAG)
    client_id: Series[str]
    app_name: Series[str]
    owner_user_id: Series[str]
    model: Series[str]
    is_community: Series[np.uint8] = pa.Field(**FLAG)
    funding_source: Series[str] = pa.Field(isin=["paid", "quest", "unfunded"])
    all_calls: Series[np.uint64] = pa.Field(ge=0)  # 0: a group of fallback attempts only
    successful_calls: Series[np.uint64] = pa.Field(ge=0)
    billed_calls: Series[np.uint64] = pa.Field(ge=0)
    gross_consumption: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    byop_reward: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    community_reward: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = [
            "day",
            "environment",
            "traffic_group",
            "v1_only",
            "client_id",
            "app_name",
            "owner_user_id",
            "model",
            "is_community",
            "funding_source",
        ]


ROW_RULES = {
    "a_byop_key": "client_id NOT IN ('', 'undefined')",
    "named": "app_name != '' AND owner_user_id != ''",
    "served_are_calls": "successful_calls <= all_calls",
    "billed_are_served": "billed_calls <= successful_calls",
    "reward_in_consumption": at_most("byop_reward", "gross_consumption"),
}


def apps_match_usage_classified(ctx: CheckContext) -> Verdict:
    """Per day and shared classification: calls, Pollen, rewards and users equal
    usage_classified_hourly's BYOP rows (the same scan's rows, grouped another way)."""
    actual = (
        f"SELECT day, {SHARED_KEY}, {MEASURES} FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY day, {SHARED_KEY}"
    )
    expected = (
        f"SELECT toDate(hour, 'UTC') AS day, {SHARED_KEY}, {MEASURES} "
        f"FROM {ctx.store.table('usage_classified_hourly')} "
        "WHERE hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')} AND is_byop = 1 "
        f"GROUP BY day, {SHARED_KEY}"
    )
    return compare(ctx.store, actual, expected, ctx.params(), keys=7, what="day groups")
