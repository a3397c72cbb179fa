"""The "summary table" component: a folder of ``defs/`` is one ClickHouse table.

A table folder holds everything about its table, side by side:

- ``defs.yaml``: this component with the table's declaration (grain, group, which checks and
  how severe); its upstream tables are the ones ``select.sql`` names;
- ``table.sql``: its DDL; ``select.sql``: the SELECT that computes a window of it;
- ``checks.py`` (optional): its pandera model and its own checks;
- ``rules.py`` (optional): SQL fragments of this table only (``table_sql`` says where every
  ``$name`` comes from).

The folder's name is the table's name and its asset key. Dagster's ``load_from_defs_folder``
finds the folders; nothing else lists tables.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
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
    scaffold_with,
)

from pollen_pipeline import catalog, checks
from pollen_pipeline.check_history import partition_text, record_history
from pollen_pipeline.components.folder import (
    CHECKS_MODULE,
    CheckFunction,
    as_result,
    checks_module,
    described,
    resolve_check,
)
from pollen_pipeline.components.scaffold import SummaryTableScaffolder
from pollen_pipeline.event_source import EventTables
from pollen_pipeline.grain import CADENCE_TAG, GRAINS, GrainName, daily_partitions
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.retries import RETRY_POLICY, retry_or_fail
from pollen_pipeline.settings import partition_start_date
from pollen_pipeline.store import Store, Table, Window
from pollen_pipeline.table_sql import RAW_ASSET, TableSql, folder_module, provided
from pollen_pipeline.validation import Schema

OWNERS = ["team:pollen-data"]
STORE_POOL = "pollen_store"  # dagster.yaml limits it: the embedded store has one writer
PREVIEW_ROWS = 10


@dataclass(frozen=True)
class Reconcile(Resolvable):
    """The table adds up to raw events in ``scope`` (``checks.RAW_SCOPES``), per period."""

    scope: described(
        Literal[
            "all",
            "usage",
            "economics",
            "free",
            "production",
            "production_users",
            "errors",
            "listed",
        ],
        "Which raw events the table must add up to (checks.RAW_SCOPES): 'economics' = the "
        "contract's events without ROUTER, 'usage' = with it, 'all' = every raw event, "
        "'listed' = usage events of users on an exclusion list, removed or not.",
    )
    events: described(str, "The column counting raw events.") = "requests"
    pollen: described(str, "The column summing total_price.") = "total_pollen"
    meters: described(
        bool, "Rows carry pack / tier / other / total_pollen, and pack + tier + other = total."
    ) = True


@dataclass(frozen=True)
class TableCheck(Resolvable):
    """One of the table's own checks: a function ``(ctx, **params) -> Verdict`` of the folder's
    ``checks.py`` (by name) or of any module (by dotted path), named after the function."""

    function: described(
        str, "A function of the folder's checks.py (by name) or a dotted path to one."
    )
    description: described(str, "What the check asserts, shown in the UI.")
    severity: described(
        Literal["WARN", "ERROR"], "ERROR for wrong numbers, WARN for a diagnostic."
    ) = "ERROR"
    blocking: described(bool, "A failure stops the tables built from this one in the same run.") = (
        False
    )
    params: described(dict[str, Any], "Keyword arguments the function is called with.") = field(
        default_factory=dict
    )

    @property
    def name(self) -> str:
        return self.function.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class LongRuns(Resolvable):
    """Runs of at least ``min_days`` UTC days compute the table another way, cheaper on many
    days (e.g. rolling windows by running sums instead of a fan-out to every day)."""

    min_days: described(int, "The shortest run, in UTC days, computed this way.")
    fragments: described(
        dict[str, str],
        "$name of select.sql -> the fragment that fills it on long runs instead (both are "
        "checked when the definitions load).",
    )
    days_per_query: described(
        int | None,
        "Split long runs into pieces of this many days, to bound one query's memory (None: "
        "a long run is one query).",
    ) = None


@scaffold_with(SummaryTableScaffolder)
@dataclass(frozen=True)
class SummaryTable(Component, Resolvable):
    """A summary table computed inside ClickHouse for a window of UTC days, then checked.

    Its folder holds ``table.sql`` (the DDL) and ``select.sql`` (the SELECT of a bound window
    ``[{start}, {end})``); the tables the SELECT names (``$user_daily``, ``$raw_table``) are
    its upstream assets. ``pollen sql <table>`` prints the SELECT as it runs.
    """

    description: described(str, "What the table holds and which question it answers.")
    grain: described(
        GrainName,
        "The table's time column and cadence: minute, hour, day or as_of (one row set per "
        "UTC day, e.g. rolling windows ending that day).",
    )
    group: described(str, "The Dagster asset group, usually the domain's folder name.")
    read_by_checks: described(
        list[str],
        "Tables only the checks read (the SELECT's own are found in select.sql): they become "
        "upstream assets too, so the checks never run before them.",
    ) = field(default_factory=list)
    max_events_per_query: described(
        int | None,
        "Raw scans: run the SELECT over pieces of the window of at most this many raw events, "
        "to bound one query's memory (None: the whole window at once).",
    ) = None
    whole_days: described(
        bool,
        "With max_events_per_query: cut the window only between UTC days, for tables whose day "
        "must come from one query (a day with more events is a query of its own).",
    ) = False
    days_per_query: described(
        int | None,
        "Run the SELECT over pieces of this many days, to bound one query's memory (None: the "
        "whole window at once).",
    ) = None
    long_runs: described(
        LongRuns | None,
        "Runs of at least min_days fill some $names of select.sql with other fragments, and run "
        "as one query (days_per_query splits the other runs only). None: every run alike.",
    ) = None
    reconcile: described(
        Reconcile | None,
        "Add the checks reconciles_with_raw (ERROR, blocking) and no_gaps (ERROR) against raw "
        "events in a scope of the contract (None: the table is not a sum of raw events).",
    ) = None
    schema_model: described(
        str | None,
        "A pandera model of the folder's checks.py: the schema_valid check (ERROR, blocking).",
    ) = None
    checks: described(
        Sequence[TableCheck], "The table's own checks, each with its severity and blocking."
    ) = ()
    parameters: described(
        str | None,
        "A function (name in checks.py or dotted path), declared with @provides, called when a "
        "run starts: the bound parameters the SELECT needs (e.g. configured tier grants).",
    ) = None
    fragments: described(
        str | None,
        "A function (name in checks.py or dotted path), declared with @provides, called when a "
        "run starts with (raw store, raw table): SQL fragments chosen by the raw table's columns.",
    ) = None
    fallback_attempts: described(
        bool,
        "$raw_table keeps v2's fallback attempts (is_final = false; every other row, v1's too, "
        "is_final = true): for measures the team counts over attempt rows (their user states). "
        "Requests are the is_final rows; the checks read the relation of requests.",
    ) = False

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        plan = self.plan(context.path, checks_module(context))
        specs = self._check_specs(plan.key)

        @asset(
            key=plan.key,
            description=self.description,
            partitions_def=daily_partitions(partition_start_date()),
            deps=[AssetKey(name) for name in plan.upstream],
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

    def plan(self, folder: Path, module: ModuleType | None) -> "TablePlan":
        """What materializing the table of ``folder`` takes, its checks resolved from
        ``module``; its SQL checked (an undefined name raises ``TemplateError``)."""
        custom = [(check, resolve_check(check.function, module)) for check in self.checks]
        schema = None
        if self.schema_model:
            schema = Schema(
                getattr(module, self.schema_model),
                getattr(module, "ROW_RULES", {}),
                getattr(module, "ROW_COLUMNS", {}),
            )
        parameters = resolve_check(self.parameters, module) if self.parameters else None
        fragments = resolve_check(self.fragments, module) if self.fragments else None
        sql = TableSql(
            folder.name,
            folder,
            frozenset(catalog.table_folders()),
            runtime_fragments=provided(fragments),
            runtime_params=provided(parameters),
            long_run_fragments=self.long_runs.fragments if self.long_runs else {},
        )
        sql.validate()
        return TablePlan(
            table=catalog.table_of(folder.name, GRAINS[self.grain], sql),
            sql=sql,
            upstream=list(dict.fromkeys([*sql.upstream(), *self.read_by_checks])),
            parameters=parameters,
            fragments=fragments,
            max_events_per_query=self.max_events_per_query,
            whole_days=self.whole_days,
            days_per_query=self.days_per_query,
            long_runs=self.long_runs,
            reconcile=self.reconcile,
            schema=schema,
            checks=custom,
            fallback_attempts=self.fallback_attempts,
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
    running a table's declared checks, or rendering its SQL, outside a run."""
    folder = catalog.table_folders()[name]
    declaration = yaml.safe_load((folder / catalog.DECLARATION_FILE).read_text())
    module = folder_module(folder, CHECKS_MODULE)
    return SummaryTable.resolve_from_dict(declaration["attributes"]).plan(folder, module)


@dataclass(frozen=True)
class RenderedSelect:
    """The SELECT one materialization runs, and the parameters it binds besides the window's
    and the contract's (which the store binds to every query)."""

    sql: str
    params: dict[str, Any]


@dataclass(frozen=True)
class TablePlan:
    """Everything a materialization of one table needs, resolved when definitions load."""

    table: Table
    sql: TableSql
    upstream: list[str]  # asset keys: the tables the SELECT names, then those checks read
    parameters: Callable[[], dict[str, Any]] | None
    fragments: Callable[[Store, str], dict[str, str]] | None
    max_events_per_query: int | None
    whole_days: bool
    days_per_query: int | None
    long_runs: LongRuns | None
    reconcile: Reconcile | None
    schema: Schema | None
    checks: Sequence[tuple[TableCheck, CheckFunction]]
    fallback_attempts: bool = False

    @property
    def key(self) -> AssetKey:
        return AssetKey(self.table.name)

    @property
    def scans_raw(self) -> bool:
        """Whether the SELECT reads raw events (on the source ClickHouse when one is set)."""
        return RAW_ASSET in self.upstream

    @property
    def side_sources(self) -> list[str]:
        """The raw tables the SELECT names (``$d1_user``; ``$raw_table`` is the events relation,
        event_source.py): read where raw events are, under their names there
        (``Settings.side_table``)."""
        raw = set(catalog.raw_tables()) - {catalog.RAW_TABLE}
        return [name for name in self.sql.named_tables() if name in raw]

    @property
    def reads_source(self) -> bool:
        """Whether the SELECT runs where raw tables are (the source ClickHouse when one is
        set): it reads raw events or a side source."""
        return self.scans_raw or bool(self.side_sources)

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
        window = self.table.written_window(_window(context))
        raw = source or store
        sides = {name: settings.side_table(name) for name in self.side_sources}
        events = settings.event_tables.relation(raw)
        # the same relation unless the SELECT keeps attempts: one look at the columns, not two
        scanned = self.scanned(settings.event_tables, raw) if self.fallback_attempts else events
        select, parts, scan_source, note = self._run_sql(store, source, scanned, window, sides)
        if note:
            context.log.warning(f"{self.table.name}: {note}: the window is left empty")
        written = store.replace_window(
            self.table, window, select.sql, source=scan_source, parts=parts, params=select.params
        )
        context.log.info(f"{self.table.name}: {written} rows for {window.start} .. {window.end}")
        ctx = checks.CheckContext(
            store,
            self.table,
            window,
            raw,
            events,
            context.run.run_id,
            select.params,
            sides,
        )
        results = self.evaluate(ctx)
        record_history(context, store, self.table.name, _run_partition(context), results)
        metadata = _run_metadata(context, ctx, written, select)
        if note:
            metadata["note"] = MetadataValue.text(f"{note}: no rows")
        return MaterializeResult(metadata=metadata, check_results=results)

    def scanned(self, tables: EventTables, raw: Store) -> str:
        """The relation the SELECT reads as ``$raw_table``: the requests, or with
        ``fallback_attempts`` v2's attempt rows too (event_source.py)."""
        return tables.relation(raw, attempts=self.fallback_attempts)

    def _run_sql(
        self,
        store: Store,
        source: Store | None,
        events: str,
        window: Window,
        sides: Mapping[str, str],
    ) -> tuple[RenderedSelect, list[Window], Store | None, str]:
        """What this run executes: the SELECT, the parts of the window it runs over, the source
        it runs on (None: the store), and a note. A side source absent where it is read leaves
        the window empty, with the note saying so, rather than failing the run."""
        raw = source or store
        absent = [name for name, where in sides.items() if not raw.has_table(where)]
        if absent:
            place = "on the source" if source else "in the store"
            note = "; ".join(f"{name} absent {place} ({sides[name]})" for name in absent)
            nothing = RenderedSelect(f"SELECT * FROM {store.table(self.table.name)} WHERE 0", {})
            return nothing, [window], None, note
        long_run = self.is_long(window)
        select = self.render(store, raw, events, long_run=long_run, sides=sides)
        parts = self.parts(window, raw, events)
        return select, parts, source if self.reads_source else None, ""

    def is_long(self, window: Window) -> bool:
        """Whether ``window`` is a long run, computed with the ``long_runs`` fragments."""
        return self.long_runs is not None and len(window.days()) >= self.long_runs.min_days

    def render(
        self,
        store: Store,
        raw: Store,
        raw_table: str,
        *,
        long_run: bool = False,
        sides: Mapping[str, str] | None = None,
    ) -> RenderedSelect:
        """The SELECT as this run executes it: the fragments the raw table's columns call for
        (and those of long runs on one), side sources under the names ``sides`` gives (where
        they are read; default: in the store), the parameters the table binds (configuration
        read now, at run start)."""
        chosen = self.fragments(raw, raw_table) if self.fragments else {}
        named = dict(sides or {})

        def qualified(name: str) -> str:
            return named.get(name) or store.table(name)

        sql = self.sql.select(qualified, raw_table, chosen, long_run=long_run)
        return RenderedSelect(sql, self.parameters() if self.parameters else {})

    def parts(self, window: Window, raw: Store, raw_table: str) -> list[Window]:
        """The pieces of ``window`` the SELECT runs over, one query each."""
        if self.is_long(window):  # computed the way whose cost barely grows with the days
            size = self.long_runs.days_per_query
            return list(window.chunks(dt.timedelta(days=size))) if size else [window]
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
        return window.by_volume(counts, self.max_events_per_query, whole_days=self.whole_days)

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


def _run_metadata(
    context: AssetExecutionContext,
    ctx: checks.CheckContext,
    written: int,
    select: RenderedSelect,
) -> dict[str, Any]:
    """The run's figures, on every day's materialization; the heavy metadata (schema, preview,
    SQL) on the last day's only. Dagster copies a result's metadata into the materialization of
    each day of a ranged run: a 60-day run would write the schema and preview 60 times."""
    light = {
        "dagster/row_count": MetadataValue.int(written),
        "window": MetadataValue.text(
            f"{ctx.window.start.isoformat()} .. {ctx.window.end.isoformat()}"
        ),
    }
    heavy = _described_rows(ctx, select)
    if not context.has_partition_key_range:
        return {**light, **heavy}
    context.add_asset_metadata(heavy, partition_key=context.partition_key_range.end)
    return light


def _described_rows(ctx: checks.CheckContext, select: RenderedSelect) -> dict[str, Any]:
    """The table's columns, a preview of the window's rows and the SELECT that made them."""
    columns = ctx.store.rows(f"DESCRIBE TABLE {ctx.qualified}")
    # an aggregate state (a uniq of users) has no value of its own to show: its result does
    shown = ", ".join(
        f"finalizeAggregation({name}) AS {name}" if type_.startswith("AggregateFunction") else name
        for name, type_, *_ in columns
    )
    preview = ctx.store.frame(
        f"SELECT {shown} FROM {ctx.qualified} WHERE {ctx.in_window} "
        f"ORDER BY {ctx.table.time_column} LIMIT {PREVIEW_ROWS}",
        ctx.params(),
    )
    return {
        "dagster/column_schema": TableSchema(
            columns=[TableColumn(name=row[0], type=row[1]) for row in columns]
        ),
        "preview": MetadataValue.md(preview.to_markdown(index=False)),
        # what ran, as `pollen sql` prints it: the SELECT and the parameters the table bound
        "sql": MetadataValue.md(f"```sql\n{select.sql.strip()}\n```"),
        "sql_parameters": MetadataValue.json(
            {name: _as_json(value) for name, value in select.params.items()}
        ),
    }


def _as_json(value: Any) -> Any:
    return value if isinstance(value, (int, float, str, list, dict)) else str(value)
