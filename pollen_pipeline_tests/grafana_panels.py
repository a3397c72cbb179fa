"""Running the provisioned dashboards' queries against a store, for the dashboard tests and the
panel benchmark: a dashboard's JSON and its panel queries, each query's columns and rows, and
the variables selected as Grafana selects them on load.

The SQL itself is expanded by ``grafana_sql.expand``, as Grafana and the ClickHouse plugin do.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pollen_pipeline.dashboards import grafana
from pollen_pipeline.store import Store
from pollen_pipeline_tests.grafana_sql import ALL, Selection, TimeRange, expand

UTC = dt.UTC


def load_dashboard(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def panel_queries(dashboard: dict[str, Any]) -> Iterator[tuple[dict, str]]:
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield panel, target["rawSql"]


def run_query(store: Store, sql: str) -> tuple[list[str], list[tuple]]:
    result = store.client.query(sql)
    columns = list(result.column_names)
    if not columns:  # the embedded client names no columns for an empty result: ask ClickHouse
        columns = [row[0] for row in store.client.query(f"DESCRIBE ({sql})").result_rows]
    return columns, result.result_rows


def resolve_variables(
    store: Store, dashboard: dict, time_range: TimeRange, choose: dict[str, Any]
) -> dict[str, Selection]:
    """Run each query variable (options = its first column, as the plugin takes the value) and
    select All, the given values, or the first option for single-value variables."""
    selections: dict[str, Selection] = {}
    for variable in dashboard["templating"]["list"]:
        name = variable["name"]
        if variable["type"] == "query":
            sql = expand(variable["query"], selections, time_range)
            options = [str(row[0]) for row in run_query(store, sql)[1]]
        elif variable["type"] in ("custom", "textbox", "constant"):
            saved = [option["value"] for option in variable.get("options", [])]
            options = saved or [variable.get("query", "")]
        else:
            continue  # the datasource variable only picks the data source
        wanted = choose.get(name)
        if callable(wanted):
            wanted = wanted(options)
        if wanted is None:
            wanted = default_selection(variable, options)
        selections[name] = Selection(selected=wanted, options=options)
    return selections


def holds_selections(store: Store, sql: str, time_range: TimeRange) -> dict[str, Selection]:
    """The hidden ``$holds_<table>`` variables ``sql`` names, as its dashboard sets them for
    ``time_range`` (for tests that run one panel's SQL without its dashboard)."""
    tables = set(re.findall(rf"\${grafana.HOLDS}(\w+)", sql))
    return {
        f"{grafana.HOLDS}{table}": Selection(
            [str(run_query(store, expand(grafana.holds_query(table), {}, time_range))[1][0][0])]
        )
        for table in tables
    }


def default_selection(variable: dict[str, Any], options: list[str]) -> list[str]:
    """What Grafana selects on load: All, the saved value, or a query's first option."""
    if variable.get("includeAll"):
        return [ALL]
    if variable.get("current"):
        return [variable["current"]["value"]]
    return options[:1]


def rows_as_dicts(result: tuple[list[str], list[tuple]]) -> list[dict[str, Any]]:
    columns, rows = result
    return [dict(zip(columns, row, strict=True)) for row in rows]


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A time read back from the store as an aware UTC datetime (a naive one is taken as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
