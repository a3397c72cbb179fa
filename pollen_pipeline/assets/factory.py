"""Builds a summary-table asset from a description of the table, so that every table is
written, checked and reported the same way (and no two assets are copy-paste twins)."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandera.pandas as pa
from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    BackfillPolicy,
    Failure,
    FreshnessPolicy,
    MaterializeResult,
    MetadataValue,
    PartitionsDefinition,
    RetryRequested,
    TableColumn,
    TableSchema,
    asset,
)

from pollen_pipeline.check_history import partition_text, record_history
from pollen_pipeline.checks import core as checks
from pollen_pipeline.checks import names
from pollen_pipeline.clickhouse import ClickHouseResource, Store, TableSpec, Window
from pollen_pipeline.freshness import freshness_for
from pollen_pipeline.partitions import materialized_window
from pollen_pipeline.retries import RETRY_POLICY, retry_or_fail
from pollen_pipeline.tables import select_sql

OWNERS = ["team:pollen-data"]
STORE_POOL = "pollen_store"  # dagster.yaml limits it: the embedded store has one writer
PREVIEW_ROWS = 10


@dataclass(frozen=True)
class ExtraCheck:
    """A table-specific check evaluated after each materialization."""

    name: str
    description: str
    evaluate: Callable[..., AssetCheckResult]  # (store, spec, window[, raw, raw_table])
    blocking: bool = False
    # Compares with raw events beyond the standard reconciliation: evaluate then also takes
    # the raw-event store and table (the source ClickHouse when one is configured).
    reads_raw: bool = False

    def run(
        self, store: Store, spec: TableSpec, window: Window, raw: Store, raw_table: str
    ) -> AssetCheckResult:
        if self.reads_raw:
            return self.evaluate(store, spec, window, raw, raw_table)
        return self.evaluate(store, spec, window)


@dataclass(frozen=True)
class SummaryTable:
    """What makes one summary asset: its table, partitions, inputs and checks."""

    spec: TableSpec
    partitions: PartitionsDefinition
    upstream: AssetKey
    description: str
    # Which raw events the table must add up to (checks.RAW_SCOPES); None for tables derived
    # from other summaries, whose consistency checks come in extra_checks.
    reconcile_scope: str | None
    group: str = "core"
    reads_raw: bool = False  # scans generation_event (possibly on the source ClickHouse)
    chunk: dt.timedelta | None = None  # scan the window in pieces of this size
    schema: type[pa.DataFrameModel] | None = None
    events_column: str = "requests"
    pollen_column: str = "total_pollen"
    meter_columns: bool = True
    extra_checks: Sequence[ExtraCheck] = field(default_factory=tuple)
    freshness_policy: FreshnessPolicy | None = None  # None: hourly or daily, from partitions


def _check_specs(table: SummaryTable, key: AssetKey) -> list[AssetCheckSpec]:
    # Reconciliation and schema failures mean wrong numbers: ERROR and blocking, so nothing
    # downstream is built on them. Gaps are ERROR too but not blocking: the rows that exist are
    # right, and the fix (re-materializing the missing period) is independent of downstream.
    specs = []
    if table.reconcile_scope is not None:
        specs += _reconciliation_specs(key)
    if table.schema is not None:
        specs.append(
            AssetCheckSpec(
                names.SCHEMA,
                asset=key,
                blocking=True,
                description=f"Partition rows satisfy the pandera model {table.schema.__name__}.",
            )
        )
    specs += [
        AssetCheckSpec(
            check.name, asset=key, description=check.description, blocking=check.blocking
        )
        for check in table.extra_checks
    ]
    return specs


def _reconciliation_specs(key: AssetKey) -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(
            names.RECONCILES_WITH_RAW,
            asset=key,
            blocking=True,
            description="Per period, events and Pollen equal raw events under the contract; "
            "pack + tier + other = total on every row.",
        ),
        AssetCheckSpec(
            names.NO_GAPS,
            asset=key,
            description="Every period with raw events in scope has summary rows.",
        ),
    ]


def _run_checks(
    table: SummaryTable, store: Store, raw: Store, raw_table: str, window: Window, run_id: str
) -> list[AssetCheckResult]:
    results = []
    if table.reconcile_scope is not None:
        results += checks.reconcile(
            store,
            raw,
            raw_table,
            table.spec,
            window,
            scope=table.reconcile_scope,
            events=table.events_column,
            pollen=table.pollen_column,
            meter_columns=table.meter_columns,
            run_id=run_id,
        )
    if table.schema is not None:
        results.append(checks.check_schema(store, table.spec, window, table.schema))
    results += [
        check.run(store, table.spec, window, raw, raw_table) for check in table.extra_checks
    ]
    return results


def _metadata(store: Store, spec: TableSpec, window: Window, written: int) -> dict:
    columns = store.rows(f"DESCRIBE TABLE {store.table(spec.name)}")
    preview = store.frame(
        f"SELECT * FROM {store.table(spec.name)} WHERE {spec.in_window} "
        f"ORDER BY {spec.time_column} LIMIT {PREVIEW_ROWS}",
        window.params(),
    )
    return {
        "dagster/row_count": MetadataValue.int(written),
        "dagster/column_schema": TableSchema(
            columns=[TableColumn(name=row[0], type=row[1]) for row in columns]
        ),
        "window": MetadataValue.text(f"{window.start.isoformat()} .. {window.end.isoformat()}"),
        "preview": MetadataValue.md(preview.to_markdown(index=False)),
    }


def materialize(
    context: AssetExecutionContext, clickhouse: ClickHouseResource, table: SummaryTable
) -> MaterializeResult:
    """Replace the table's rows for the run's partition window, then check them.

    Transient store errors (network, time-outs, too many parts) ask for a retry with the retry
    policy's backoff (safe: a window is replaced whole or not at all); any other error fails the
    step at once, without retries.
    """
    try:
        return _materialize(context, clickhouse, table)
    except (RetryRequested, Failure):
        raise
    except Exception as error:
        raise retry_or_fail(error, context.retry_number) from error


def _run_partition(context: AssetExecutionContext) -> str:
    keys = context.partition_key_range if context.has_partition_key_range else None
    return partition_text(keys.start, keys.end) if keys else ""


def _materialize(
    context: AssetExecutionContext, clickhouse: ClickHouseResource, table: SummaryTable
) -> MaterializeResult:
    settings = clickhouse.settings()
    store = clickhouse.store()
    source = clickhouse.source()
    window = materialized_window(context)
    sql = select_sql(table.spec, store, settings.raw_table)
    written = store.replace_window(
        table.spec, window, sql, source=source if table.reads_raw else None, chunk=table.chunk
    )
    context.log.info(f"{table.spec.name}: {written} rows for {window.start} .. {window.end}")
    raw = source or store
    results = _run_checks(table, store, raw, settings.raw_table, window, context.run.run_id)
    record_history(context, store, table.spec.name, _run_partition(context), results)
    return MaterializeResult(
        metadata=_metadata(store, table.spec, window, written), check_results=results
    )


def build_summary_asset(table: SummaryTable) -> AssetsDefinition:
    """The Dagster asset that materializes ``table``: single-run backfills, checked in-run."""
    key = AssetKey(table.spec.name)

    @asset(
        key=key,
        description=table.description,
        partitions_def=table.partitions,
        deps=[table.upstream],
        backfill_policy=BackfillPolicy.single_run(),
        check_specs=_check_specs(table, key),
        kinds={"clickhouse", "sql"},
        owners=OWNERS,
        group_name=table.group,
        pool=STORE_POOL,
        retry_policy=RETRY_POLICY,
        freshness_policy=table.freshness_policy or freshness_for(table.partitions),
    )
    def _summary_asset(
        context: AssetExecutionContext, clickhouse: ClickHouseResource
    ) -> MaterializeResult:
        return materialize(context, clickhouse, table)

    return _summary_asset
