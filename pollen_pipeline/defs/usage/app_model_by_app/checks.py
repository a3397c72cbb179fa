"""Checks of app_model_by_app: its pandera model, and its rows against app_model_daily's."""

from __future__ import annotations

from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import COPIED_SUMS, CheckContext, Verdict, compare
from pollen_pipeline.schemas import EconomicsColumns

# Recounted another way than select.sql: app_model_daily joined to the window's end-user keys,
# rather than filtered through an IN set of them.
JOINED_APP = contract.app_id("enduser_keys.is_enduser = 1")
# A day's rows as numbers that do not depend on their order: the sum of each row's hash
# (wrapping), in two 32-bit halves, which compare()'s float comparison tells apart exactly.
# The rows of a 90-day window (9M) are too many to compare one by one in Python.
ROW_HASH = "cityHash64(app_id, resolved_model_requested, requests, tokens)"
PER_DAY = (
    f"SELECT day, count(), bitShiftRight(sum({ROW_HASH}) AS rows_hash, 32), "
    f"bitAnd(rows_hash, 4294967295), {', '.join(f'sum({c})' for c in COPIED_SUMS)} "
    "FROM ({rows}) GROUP BY day"
)


class AppModelByApp(EconomicsColumns):
    app_id: Series[str]
    resolved_model_requested: Series[str]

    class Config:
        unique = ["day", "app_id", "resolved_model_requested"]


def models_match_daily(ctx: CheckContext) -> Verdict:
    """Per day of the window: the rows (app, requested model, requests, tokens) and the day's
    Pollen (paid, free, total) equal app_model_daily's rows, each key counted for its app."""
    columns = f"day, app_id, resolved_model_requested, {', '.join(COPIED_SUMS)}"
    summed = ", ".join(f"sum({column}) AS {column}" for column in COPIED_SUMS)
    recounted = (
        f"SELECT day, {JOINED_APP} AS app_id, resolved_model_requested, {summed} "
        f"FROM {ctx.store.table('app_model_daily')} "
        "LEFT JOIN (SELECT DISTINCT api_key_id, toUInt8(1) AS is_enduser "
        f"FROM {ctx.store.table('app_daily')} "
        f"WHERE {ctx.in_window} AND {contract.FACTS_ENDUSER_KEY}) AS enduser_keys "
        f"USING (api_key_id) WHERE {ctx.in_window} "
        "GROUP BY day, app_id, resolved_model_requested"
    )
    return compare(
        ctx.store,
        PER_DAY.format(rows=f"SELECT {columns} FROM {ctx.qualified} WHERE {ctx.in_window}"),
        PER_DAY.format(rows=recounted),
        ctx.params(),
        what="days",
    )
