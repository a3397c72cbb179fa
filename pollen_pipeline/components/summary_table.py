"""The "summary table" component: a folder of ``defs/`` is one ClickHouse table.

A table folder holds everything about its table, side by side:

- ``defs.yaml``: this component with the table's declaration (grain, upstream tables, group,
  which checks and how severe);
- ``table.sql``: its DDL; ``select.sql``: the SELECT that computes a window of it;
- ``checks.py`` (optional): its pandera model and its own checks.

The folder's name is the table's name and its asset key. Dagster's ``load_from_defs_folder``
finds the folders; nothing else lists tables.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import Any, Literal

import yaml
from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    BackfillPolicy,
    Component,
    ComponentLoadContext,
    Definitions,
    Failure,
    MaterializeResult,
    MetadataValue,
    Resolvable,
    RetryRequested,
    TableColumn,
    TableSchema,
    asset,
)

from pollen_pipeline import catalog, checks
from pollen_pipeline.check_history import partition_text, record_history
from pollen_pipeline.components.folder import (
    CHECKS_MODULE,
    CheckFunction,
    as_result,
    checks_module,
    resolve_check,
)
from pollen_pipeline.grain import CADENCE_TAG, GRAINS, GrainName, daily_partitions
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.retries import RETRY_POLICY, retry_or_fail
from pollen_pipeline.settings import partition_start_date
from pollen_pipeline.store import Store, Table, Window
from pollen_pipeline.validation import Schema

OWNERS = ["team:pollen-data"]
STORE_POOL = "pollen_store"  # dagster.yaml limits it: the embedded store has one writer
PREVIEW_ROWS = 10


@dataclass(frozen=True)
class Reconcile(Resolvable):
    """The table adds up to raw events in ``scope`` (``checks.RAW_SCOPES``), per period."""

    scope: Literal["all", "usage", "economics", "free", "production", "production_users", "errors"]
    events: str = "requests"  # the column counting raw events
    pollen: str = "total_pollen"  # the column summing total_price
    meters: bool = True  # rows carry pack / tier / other / total_pollen that must add up


@dataclass(frozen=True)
class TableCheck(Resolvable):
    """One of the table's own checks: a function ``(ctx, **params) -> Verdict`` of the folder's
    ``checks.py`` (by name) or of any module (by dotted path), named after the function."""

    function: str
    description: str
    severity: Literal["WARN", "ERROR"] = "ERROR"
    blocking: bool = False
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.function.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class SummaryTable(Component, Resolvable):
    """A summary table computed inside ClickHouse for a window of UTC days, then checked."""

    description: str
    grain: GrainName
    group: str
    upstream: list[str]
    scans_raw: bool = False  # reads generation_event (on the source ClickHouse when set)
    # Run the SELECT over pieces of the window, to bound one query's memory: raw scans by
    # volume (at most this many raw events a query), the others by days.
    max_events_per_query: int | None = None
    days_per_query: int | None = None
    reconcile: Reconcile | None = None
    schema_model: str | None = None  # a pandera model of checks.py: schema_valid, blocking
    checks: Sequence[TableCheck] = ()
    # A function of the folder's checks.py or a dotted path, called when a run starts:
    # ``parameters() -> dict`` binds values the SELECT needs (e.g. configured tier grants);
    # ``fragments(raw, raw_table) -> dict`` names SQL the SELECT picks by the raw table's
    # columns (e.g. columns only newer raw schemas have).
    parameters: str | None = None
    fragments: str | None = None

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        plan = self.plan(context.path.name, checks_module(context))
        specs = self._check_specs(plan.key)

        @asset(
            key=plan.key,
            description=self.description,
            partitions_def=daily_partitions(partition_start_date()),
            deps=[AssetKey(name) for name in self.upstream],
            backfill_policy=BackfillPolicy.single_run(),
            check_specs=specs,
            kinds={"clickhouse", "sql"},
            owners=OWNERS,
            group_name=self.group,
            tags={CADENCE_TAG: plan.table.grain.cadence},
            pool=STORE_POOL,
            retry_policy=RETRY_POLICY,
            freshness_policy=plan.table.grain.freshness,
        )
        def _summary_table(
            context: AssetExecutionContext, clickhouse: ClickHouseResource
        ) -> MaterializeResult:
            return plan.materialize(context, clickhouse)

        return Definitions(assets=[_summary_table])

    def plan(self, name: str, module: ModuleType | None) -> "TablePlan":
        """What materializing table ``name`` takes, its checks resolved from ``module``."""
        custom = [(check, resolve_check(check.function, module)) for check in self.checks]
        schema = None
        if self.schema_model:
            schema = Schema(
                getattr(module, self.schema_model),
                getattr(module, "ROW_RULES", {}),
                getattr(module, "ROW_COLUMNS", {}),
            )
        return TablePlan(
            table=Table(name, GRAINS[self.grain]),
            parameters=resolve_check(self.parameters, module) if self.parameters else None,
            fragments=resolve_check(self.fragments, module) if self.fragments else None,
            scans_raw=self.scans_raw,
            max_events_per_query=self.max_events_per_query,
            days_per_query=self.days_per_query,
            reconcile=self.reconcile,
            schema=schema,
            checks=custom,
        )

    def _check_specs(self, key: AssetKey) -> list[AssetCheckSpec]:
        # Reconciliation and schema failures mean wrong numbers: ERROR and blocking, so nothing
        # downstream is built on them. Gaps are ERROR too but not blocking: the rows that exist
        # are right, and the fix (re-materializing the missing period) is independent of
        # downstream. A table's own checks declare theirs in its defs.yaml.
        specs = []
        if self.reconcile is not None:
            specs += [
                AssetCheckSpec(
                    checks.RECONCILES_WITH_RAW,
                    asset=key,
                    blocking=True,
                    description=f"Per period, events and Pollen equal raw events in scope "
                    f"'{self.reconcile.scope}'"
                    + (
                        "; pack + tier + other = total on every row."
                        if self.reconcile.meters
                        else "."
                    ),
                ),
                AssetCheckSpec(
                    checks.NO_GAPS,
                    asset=key,
                    description="Every period with raw events in scope has summary rows.",
                ),
            ]
        if self.schema_model is not None:
            specs.append(
                AssetCheckSpec(
                    checks.SCHEMA_VALID,
                    asset=key,
                    blocking=True,
                    description=f"Rows satisfy the pandera model {self.schema_model}.",
                )
            )
        specs += [
            AssetCheckSpec(
                check.name, asset=key, description=check.description, blocking=check.blocking
            )
            for check in self.checks
        ]
        return specs


@cache
def plan_of(name: str) -> "TablePlan":
    """The plan of table ``name``, read from its folder as the code location reads it: for
    running a table's declared checks outside a run."""
    folder = catalog.table_folders()[name]
    declaration = yaml.safe_load((folder / catalog.DECLARATION_FILE).read_text())
    has_checks = (folder / CHECKS_MODULE).exists()
    module_name = ".".join((*folder.relative_to(catalog.PACKAGE.parent).parts, "checks"))
    module = import_module(module_name) if has_checks else None
    return SummaryTable.resolve_from_dict(declaration["attributes"]).plan(name, module)


@dataclass(frozen=True)
class TablePlan:
    """Everything a materialization of one table needs, resolved when definitions load."""

    table: Table
    parameters: Callable[[], dict[str, Any]] | None
    fragments: Callable[[Store, str], dict[str, str]] | None
    scans_raw: bool
    max_events_per_query: int | None
    days_per_query: int | None
    reconcile: Reconcile | None
    schema: Schema | None
    checks: Sequence[tuple[TableCheck, CheckFunction]]

    @property
    def key(self) -> AssetKey:
        return AssetKey(self.table.name)

    def materialize(
        self, context: AssetExecutionContext, clickhouse: ClickHouseResource
    ) -> MaterializeResult:
        """Replace the table's rows for the run's window, then check them.

        Transient store errors (network, time-outs, too many parts) ask for a retry with the
        retry policy's backoff (safe: a window is replaced whole or not at all); any other error
        fails the step at once, without retries.
        """
        try:
            return self._materialize(context, clickhouse)
        except (RetryRequested, Failure):
            raise
        except Exception as error:
            raise retry_or_fail(error, context.retry_number) from error

    def _materialize(
        self, context: AssetExecutionContext, clickhouse: ClickHouseResource
    ) -> MaterializeResult:
        settings = clickhouse.settings()
        store, source = clickhouse.store(), clickhouse.source()
        window = _window(context)
        raw = source or store
        params = self.parameters() if self.parameters else {}
        sql = self.select_sql(store, raw, settings.raw_table)
        parts = self.parts(window, raw, settings.raw_table)
        scan_source = source if self.scans_raw else None
        written = store.replace_window(
            self.table, window, sql, source=scan_source, parts=parts, params=params
        )
        context.log.info(f"{self.table.name}: {written} rows for {window.start} .. {window.end}")
        ctx = checks.CheckContext(
            store, self.table, window, raw, settings.raw_table, context.run.run_id, params
        )
        results = self.evaluate(ctx)
        record_history(context, store, self.table.name, _run_partition(context), results)
        return MaterializeResult(metadata=_metadata(ctx, written), check_results=results)

    def select_sql(self, store: Store, raw: Store, raw_table: str) -> str:
        """The table's SELECT, with the fragments the raw table's columns call for."""
        extra = self.fragments(raw, raw_table) if self.fragments else {}
        return catalog.select_sql(self.table.name, store, raw_table, extra)

    def parts(self, window: Window, raw: Store, raw_table: str) -> list[Window]:
        """The pieces of ``window`` the SELECT runs over, one query each."""
        if self.days_per_query:
            return list(window.chunks(dt.timedelta(days=self.days_per_query)))
        if not self.max_events_per_query:
            return [window]
        hour_counts = raw.rows(
            f"SELECT toStartOfHour(start_time, 'UTC') AS hour, count() FROM {raw_table} "
            "WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')} "
            "GROUP BY hour",
            window.params(),
        )
        counts = [(checks.utc(hour), count) for hour, count in hour_counts]
        return window.by_volume(counts, self.max_events_per_query)

    def evaluate(self, ctx: checks.CheckContext) -> list[AssetCheckResult]:
        """Every check of the table on the window of ``ctx``, as Dagster results."""
        results = []
        if self.reconcile is not None:
            reconciliation, gaps = checks.reconcile(
                ctx,
                scope=self.reconcile.scope,
                events=self.reconcile.events,
                pollen=self.reconcile.pollen,
                meters=self.reconcile.meters,
            )
            results += [
                as_result(checks.RECONCILES_WITH_RAW, "ERROR", reconciliation),
                as_result(checks.NO_GAPS, "ERROR", gaps),
            ]
        if self.schema is not None:
            results.append(
                as_result(checks.SCHEMA_VALID, "ERROR", checks.schema_valid(ctx, self.schema))
            )
        for check, function in self.checks:
            results.append(as_result(check.name, check.severity, function(ctx, **check.params)))
        return results


def _window(context: AssetExecutionContext) -> Window:
    """The UTC window of the partition, or of the partition range, this run materializes."""
    time_window = context.partition_time_window
    return Window(time_window.start.astimezone(dt.UTC), time_window.end.astimezone(dt.UTC))


def _run_partition(context: AssetExecutionContext) -> str:
    keys = context.partition_key_range if context.has_partition_key_range else None
    return partition_text(keys.start, keys.end) if keys else ""


def _metadata(ctx: checks.CheckContext, written: int) -> dict[str, Any]:
    columns = ctx.store.rows(f"DESCRIBE TABLE {ctx.qualified}")
    preview = ctx.store.frame(
        f"SELECT * FROM {ctx.qualified} WHERE {ctx.in_window} "
        f"ORDER BY {ctx.table.time_column} LIMIT {PREVIEW_ROWS}",
        ctx.params(),
    )
    window = ctx.window
    return {
        "dagster/row_count": MetadataValue.int(written),
        "dagster/column_schema": TableSchema(
            columns=[TableColumn(name=row[0], type=row[1]) for row in columns]
        ),
        "window": MetadataValue.text(f"{window.start.isoformat()} .. {window.end.isoformat()}"),
        "preview": MetadataValue.md(preview.to_markdown(index=False)),
    }
