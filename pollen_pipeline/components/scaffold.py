"""``dg scaffold defs pollen_pipeline.components.SummaryTable <domain>/<table>``: a table folder
that loads and materializes as written (a daily Pollen-per-model table reconciled with raw
events), every attribute present and commented, for its author to change."""

from __future__ import annotations

from pathlib import Path

from dagster import Scaffolder, ScaffoldRequest

DEFS_YAML = """\
type: pollen_pipeline.components.SummaryTable
attributes:
  # What the table holds and which question it answers (the asset's description in the UI).
  description: >-
    Per UTC day and requested model: Pollen by meter, provider cost, requests and tokens under
    the economics contract. (Scaffolded: say what {name} answers.)
  # minute | hour | day | as_of: the time column of table.sql and how often it is rebuilt.
  grain: day
  # The Dagster asset group: the domain's folder name.
  group: {group}
  # The SELECT's own upstream tables are found in select.sql ($event_facts_daily here); list
  # only tables that checks alone read.
  read_by_checks: []
  # Bound one query's memory: at most this many raw events (raw scans) or days per query.
  max_events_per_query: null
  days_per_query: null
  # Per day, requests and total_pollen equal raw events in the contract's economics scope
  # (reconciles_with_raw: ERROR, blocking; no_gaps: ERROR). Remove for tables not summing events.
  reconcile: {{scope: economics, events: requests, pollen: total_pollen, meters: true}}
  # The pandera model of checks.py (schema_valid: ERROR, blocking).
  schema_model: {model}
  # The table's own checks: a function of checks.py, its severity, whether it blocks.
  checks:
    - function: models_are_named
      description: Every row names its requested model.
      # WARN: an unnamed model is a gateway bug to report, not a wrong number of ours.
      severity: WARN
      blocking: false
      params: {{}}
  # Functions (declared with @provides) called at run start: bound parameters, SQL fragments.
  parameters: null
  fragments: null
"""

TABLE_SQL = """\
-- One row per UTC day and requested model (ROUTER excluded): what {name} holds.
CREATE TABLE IF NOT EXISTS ${{database}}.{name}
(
    day Date,
    resolved_model_requested LowCardinality(String),
    $meter_columns
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, resolved_model_requested)
"""

SELECT_SQL = """\
-- Per UTC day of the run's window and requested model, from the one wide scan of raw events.
-- Placeholders come from the contract, the domain's rules.py and this folder's rules.py;
-- `pollen sql {name}` prints this SELECT as it runs.
SELECT
    day,
    resolved_model_requested,
    $meter_sums
FROM $event_facts_daily
WHERE $days_in_run AND $economics_rows
GROUP BY day, resolved_model_requested
"""

CHECKS_PY = '''\
"""pandera model of {name}, and its own checks."""

from __future__ import annotations

from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict
from pollen_pipeline.schemas import EconomicsColumns


class {model}(EconomicsColumns):
    resolved_model_requested: Series[str]

    class Config:
        unique = ["day", "resolved_model_requested"]


def models_are_named(ctx: CheckContext) -> Verdict:
    """Every row of the window names its requested model."""
    unnamed = ctx.store.scalar(
        f"SELECT count() FROM {{ctx.qualified}} WHERE {{ctx.in_window}} "
        "AND resolved_model_requested = ''",
        ctx.params(),
    )
    return Verdict(unnamed == 0, f"{{unnamed}} rows without a model", {{"unnamed_rows": unnamed}})
'''


def model_name(table: str) -> str:
    """The pandera model's class name for ``table``: ``provider_hourly`` -> ``ProviderHourly``."""
    return "".join(part.capitalize() for part in table.split("_"))


class SummaryTableScaffolder(Scaffolder):
    """Writes ``defs.yaml``, ``table.sql``, ``select.sql`` and ``checks.py`` into the folder."""

    def scaffold(self, request: ScaffoldRequest) -> None:
        folder: Path = request.target_path
        name, group = folder.name, folder.parent.name
        if not name.isidentifier():
            raise ValueError(f"{name!r}: a table folder's name must be a SQL identifier")
        folder.mkdir(parents=True, exist_ok=True)
        fields = {"name": name, "group": group, "model": model_name(name)}
        files = {
            "defs.yaml": DEFS_YAML,
            "table.sql": TABLE_SQL,
            "select.sql": SELECT_SQL,
            "checks.py": CHECKS_PY,
        }
        for file_name, template in files.items():
            (folder / file_name).write_text(template.format(**fields))
