"""pandera model of byop_app_owner_daily, and its recount from app_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.schemas import NON_NEGATIVE, EconomicsColumns, at_most


class ByopAppOwnerDaily(EconomicsColumns):
    client_id: Series[str]
    owner_user_id: Series[str]
    keys: Series[np.uint64] = pa.Field(gt=0)
    users: Series[np.uint64] = pa.Field(gt=0)
    external_users: Series[np.uint64] = pa.Field(ge=0)
    external_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        unique = ["day", "client_id", "owner_user_id"]


ROW_RULES = {
    "external_users_are_users": "external_users <= users",
    "external_pollen_in_total": at_most("external_pollen", "total_pollen"),
}


def owners_match_app_daily(ctx: CheckContext) -> Verdict:
    """Per day: keys, requests and Pollen equal app_daily's rows whose (day, key) is one of
    byop_key_daily's (a filter, not the table's join)."""
    actual = (
        "SELECT day, sum(keys), sum(requests), sum(total_pollen) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"
    )
    expected = (
        "SELECT day, count(), sum(requests), sum(total_pollen) "
        f"FROM {ctx.store.table('app_daily')} WHERE {ctx.in_window} AND (day, api_key_id) IN "
        f"(SELECT day, api_key_id FROM {ctx.store.table('byop_key_daily')} "
        f"WHERE {ctx.in_window}) GROUP BY day"
    )
    return compare(ctx.store, actual, expected, ctx.params(), what="days")
