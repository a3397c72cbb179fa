"""Running a table's declared checks outside a run, as its materialization runs them."""

from __future__ import annotations

from dagster import AssetCheckResult

from pollen_pipeline.catalog import RAW_TABLE
from pollen_pipeline.checks import CheckContext
from pollen_pipeline.components.summary_table import plan_of
from pollen_pipeline.store import Store, Window


def evaluate(
    store: Store, name: str, window: Window, raw: Store | None = None
) -> dict[str, AssetCheckResult]:
    """Check name -> result, for every check table ``name`` declares, on ``window``."""
    plan = plan_of(name)
    raw_store = raw or store
    extra = plan.parameters() if plan.parameters else {}
    ctx = CheckContext(
        store, plan.table, window, raw_store, raw_store.table(RAW_TABLE), extra=extra
    )
    return {result.check_name: result for result in plan.evaluate(ctx)}
