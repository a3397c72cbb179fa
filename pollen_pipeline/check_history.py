"""Check history: every asset-check evaluation as a row of ``pipeline_check_results``.

Rows are written by the run that evaluated the checks, right after evaluating them: the run
already holds the store, whereas the daemon must never open the embedded (single-process) store
while a run may be writing. Dagster's event log keeps the same evaluations for the alert sensor.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    MetadataValue,
    OpExecutionContext,
)

from pollen_pipeline.catalog import CHECK_RESULTS_TABLE
from pollen_pipeline.store import Store

COLUMNS = (
    "evaluated_at",
    "asset",
    "check_name",
    "partition",
    "passed",
    "severity",
    "description",
    "metadata",
    "run_id",
)


def partition_text(first: str | None, last: str | None) -> str:
    """A run's partitions as text: the key, ``first..last`` for a range, '' when unpartitioned.

    History rows and alerts both name partitions this way, so they can be matched.
    """
    if first is None or last is None:
        return ""
    return first if first == last else f"{first}..{last}"


def plain_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Metadata values as plain JSON-able values (``MetadataValue`` wrappers unwrapped)."""
    return {
        key: value.value if isinstance(value, MetadataValue) else value
        for key, value in metadata.items()
    }


def severity_name(severity: AssetCheckSeverity | None) -> str:
    return (severity or AssetCheckSeverity.ERROR).value


def _row(result: AssetCheckResult, asset: str, partition: str, run_id: str, now: dt.datetime):
    return [
        now,
        asset,
        result.check_name or "",
        partition,
        int(result.passed),
        severity_name(result.severity),
        result.description or "",
        json.dumps(plain_metadata(result.metadata or {}), default=str, sort_keys=True),
        run_id,
    ]


def record_check_results(
    store: Store,
    asset: str,
    partition: str,
    run_id: str,
    results: Sequence[AssetCheckResult],
) -> int:
    """Insert one row per result (values travel as bound data, not SQL); return the count."""
    now = dt.datetime.now(dt.UTC)
    rows = [_row(result, asset, partition, run_id, now) for result in results]
    if rows:
        store.client.insert(store.table(CHECK_RESULTS_TABLE), rows, column_names=COLUMNS)
    return len(rows)


def record_history(
    context: OpExecutionContext | AssetExecutionContext | AssetCheckExecutionContext,
    store: Store,
    asset: str,
    partition: str,
    results: Sequence[AssetCheckResult],
) -> None:
    """Record ``results`` from inside a run; a failed write is logged, not raised.

    The history feeds dashboards. Failing the materialization over it would turn a missing
    dashboard row into a missing table partition, and the checks still reach Dagster's event log
    (and the alerts) either way.
    """
    try:
        record_check_results(store, asset, partition, context.run.run_id, results)
    except Exception as error:
        context.log.warning(
            f"{CHECK_RESULTS_TABLE} not written ({type(error).__name__}: {error}); "
            "`pollen init` creates the table if it is missing"
        )
