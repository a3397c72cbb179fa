"""Checks of app_model_by_app: its pandera model, and its sums against app_model_daily's."""

from __future__ import annotations

from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import COPIED_SUMS, CheckContext, Verdict, compare
from pollen_pipeline.schemas import EconomicsColumns

# Recounted another way than select.sql: each key-day joined to app_daily's key type of that
# day, rather than an IN set of the run's end-user keys.
JOINED_APP = contract.app_id("keys.api_key_type IN {enduser_key_types:Array(String)}")


class AppModelByApp(EconomicsColumns):
    app_id: Series[str]
    resolved_model_requested: Series[str]

    class Config:
        unique = ["day", "app_id", "resolved_model_requested"]


def models_match_daily(ctx: CheckContext) -> Verdict:
    """Per day, app and requested model of the window: requests, tokens and Pollen (paid, free,
    total) equal app_model_daily's rows, each key counted for its app."""
    sums = ", ".join(f"sum({column})" for column in COPIED_SUMS)
    keys = "day, app_id, resolved_model_requested"
    return compare(
        ctx.store,
        f"SELECT {keys}, {sums} FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY {keys}",
        f"SELECT {keys}, {sums} FROM (SELECT day, {JOINED_APP} AS app_id, "
        f"resolved_model_requested, {', '.join(COPIED_SUMS)} "
        f"FROM {ctx.store.table('app_model_daily')} AS models "
        f"LEFT JOIN (SELECT DISTINCT day, api_key_id, api_key_type "
        f"FROM {ctx.store.table('app_daily')} WHERE {ctx.in_window}) AS keys "
        f"USING (day, api_key_id) WHERE {ctx.in_window}) GROUP BY {keys}",
        ctx.params(),
        keys=3,
        what="app-model days",
    )
