"""pandera model of app_category_daily, and its recount from app_daily and the directory."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.schemas import FLAG, EconomicsColumns


class AppCategoryDaily(EconomicsColumns):
    in_directory: Series[np.uint8] = pa.Field(**FLAG)
    category: Series[str]
    apps_listed: Series[np.uint64] = pa.Field(ge=0)
    apps_used: Series[np.uint64] = pa.Field(ge=0)
    keys: Series[np.uint64] = pa.Field(ge=0)
    requests: Series[np.uint64] = pa.Field(ge=0)  # a listed category may have no usage that day
    margin_pollen: Series[np.float64]  # negative when a category costs more than it charges

    class Config:
        unique = ["day", "in_directory", "category"]


ROW_RULES = {
    "used_apps_are_listed": "apps_used <= apps_listed",
    "unlisted_row_has_no_category": "in_directory = 1 OR (category = '' AND apps_listed = 0)",
    "a_row_has_listings_or_usage": "apps_listed > 0 OR keys > 0",
}


def categories_match_sources(ctx: CheckContext) -> Verdict:
    """Per day: requests, Pollen and provider cost equal app_daily's (every key lands in exactly
    one row) and the listings equal directory_app_daily's, summed without the match."""
    actual = (
        "SELECT day, sum(requests), sum(total_pollen), sum(provider_cost), sum(apps_listed) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"
    )
    expected = (
        "SELECT day, sum(requests), sum(pollen), sum(cost), sum(listings) FROM ("
        "SELECT day, requests, total_pollen AS pollen, provider_cost AS cost, 0 AS listings "
        f"FROM {ctx.store.table('app_daily')} WHERE {ctx.in_window} UNION ALL "
        "SELECT day, 0, 0, 0, 1 "
        f"FROM {ctx.store.table('directory_app_daily')} WHERE {ctx.in_window}) GROUP BY day"
    )
    return compare(ctx.store, actual, expected, ctx.params(), what="days")
