"""The raw-events component: ``generation_event`` as an external asset, with the check that
events keep arriving and the schedule that runs it."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetKey,
    AssetSelection,
    AssetSpec,
    Component,
    ComponentLoadContext,
    DefaultScheduleStatus,
    Definitions,
    Resolvable,
    ScheduleDefinition,
    asset_check,
    define_asset_job,
)

from pollen_pipeline.check_history import record_history
from pollen_pipeline.checks import CheckContext
from pollen_pipeline.components.folder import (
    as_result,
    checks_module,
    described,
    resolve_check,
)
from pollen_pipeline.components.raw_source import LoadRules
from pollen_pipeline.components.summary_table import OWNERS
from pollen_pipeline.grain import GRAINS
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.store import Table, Window


@dataclass(frozen=True)
class FreshnessCheck(Resolvable):
    """A check of the folder's ``checks.py`` run on its own ``cron``, over the last
    ``lookback_hours`` of raw events."""

    function: described(str, "A function of the folder's checks.py (by name) or a dotted path.")
    description: described(str, "What the check asserts, shown in the UI.")
    cron: described(str, "When the check runs on its own (UTC cron).")
    lookback_hours: described(int, "How many hours of raw events it looks back over.")
    severity: described(
        Literal["WARN", "ERROR"], "ERROR for a stopped feed, WARN for a diagnostic."
    ) = "ERROR"
    params: described(dict[str, Any], "Keyword arguments the function is called with.") = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class RawEvents(Component, Resolvable):
    """The raw events table, named after its folder."""

    description: described(str, "What the raw table holds and where it comes from.")
    freshness: described(FreshnessCheck, "The check that raw events keep arriving.")
    loading: described(
        LoadRules | None, "How pollen load accepts the records of its files (None: not loadable)."
    ) = None

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        name = context.path.name
        function = resolve_check(self.freshness.function, checks_module(context))
        spec = AssetSpec(
            key=name,
            description=self.description,
            kinds={"clickhouse"},
            owners=OWNERS,
            group_name="raw",
        )
        freshness = self.freshness
        table = Table(name, GRAINS["hour"])

        @asset_check(
            asset=AssetKey(name),
            name=function.__name__,
            description=freshness.description,
            blocking=False,  # the check runs alone: nothing is materialized after it
        )
        def _freshness(
            context: AssetCheckExecutionContext, clickhouse: ClickHouseResource
        ) -> AssetCheckResult:
            settings = clickhouse.settings()
            store = clickhouse.store()
            now = dt.datetime.now(dt.UTC)
            window = Window(now - dt.timedelta(hours=freshness.lookback_hours), now)
            raw = clickhouse.source() or store
            ctx = CheckContext(
                store,
                table,
                window,
                raw,
                settings.event_tables.relation(raw),
                context.run.run_id,
            )
            verdict = function(ctx, **freshness.params)
            result = as_result(function.__name__, freshness.severity, verdict)
            record_history(context, store, name, "", [result])
            return result

        job = define_asset_job(
            f"{name}_freshness",
            selection=AssetSelection.checks(_freshness),
            description=f"Check that {name} keeps receiving production events.",
        )
        schedule = ScheduleDefinition(
            name=f"{name}_freshness_schedule",
            job=job,
            cron_schedule=freshness.cron,
            execution_timezone="UTC",
            default_status=DefaultScheduleStatus.RUNNING,
            description=f"{freshness.cron} (UTC): {freshness.description}",
        )
        return Definitions(
            assets=[spec], asset_checks=[_freshness], jobs=[job], schedules=[schedule]
        )
