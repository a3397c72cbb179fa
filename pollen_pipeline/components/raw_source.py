"""The side-source component: one table of the team's Tinybird workspace besides the events
(D1 snapshots, the app directory, tier and payment events, scoring snapshots) as an external
asset. The pipeline never materializes it: ``pollen load`` fills it in the store, or it is read
in place on ``POLLEN_SOURCE_CLICKHOUSE_URL`` under its Tinybird name (``settings``)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from dagster import AssetSpec, Component, ComponentLoadContext, Definitions, Resolvable

from pollen_pipeline.components.folder import described
from pollen_pipeline.components.summary_table import OWNERS


@dataclass(frozen=True)
class LoadRules(Resolvable):
    """How ``pollen load`` accepts a record of a raw table's files: what it must give, and which
    time column is bounded by ``POLLEN_START_DATE`` and a day ahead."""

    time_column: described(
        str, "The row's time (event time or snapshot day), bounded like events' start_time."
    )
    required: described(
        Sequence[str],
        "Columns a record must give, non-empty (else it is rejected); the others take the "
        "table's default.",
    )


@dataclass(frozen=True)
class RawSource(Component, Resolvable):
    """A raw side table, named after its folder (its Tinybird datasource's name)."""

    description: described(str, "What the table holds and who writes it upstream.")
    kind: described(
        Literal["snapshot", "events"],
        "snapshot: the whole upstream table once a day (rows keep their snapshot day); "
        "events: one row per upstream event (rows keep their time).",
    )
    loading: described(LoadRules, "How pollen load accepts the records of its files.")

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        spec = AssetSpec(
            key=context.path.name,
            description=self.description,
            kinds={"clickhouse"},
            owners=OWNERS,
            group_name="raw",
            metadata={"kind": self.kind, "time_column": self.loading.time_column},
        )
        return Definitions(assets=[spec])
