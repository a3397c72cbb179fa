"""A table's SQL in view: every SELECT returns its table's columns, ``pollen sql`` prints SQL that
runs as printed, an undefined name fails when the definitions load, and a table added with
``dg scaffold``, its SQL and one panel materializes with its checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pollen_pipeline import catalog, cli
from pollen_pipeline.components.summary_table import plan_of
from pollen_pipeline.store import Store, Window
from pollen_pipeline_tests.databases import FOREIGN_SETTINGS, materialize
from pollen_pipeline_tests.events import event, insert_events

ROOT = Path(__file__).resolve().parents[1]
UTC = dt.UTC
DAY = Window(dt.datetime(2026, 2, 5, tzinfo=UTC), dt.datetime(2026, 2, 6, tzinfo=UTC))


def _storage_type(type_: str) -> str:
    """A column type without what only changes its storage: ``LowCardinality(T)`` holds the
    values of ``T``, and a ``DateTime`` holds the same instant whatever zone it displays in."""
    match = re.fullmatch(r"LowCardinality\((.*)\)", type_)
    inner = match.group(1) if match else type_
    return "DateTime" if inner.startswith("DateTime") else inner


SELECTS = [(name, False) for name in catalog.summary_tables()] + [
    (name, True) for name in catalog.summary_tables() if plan_of(name).long_runs
]


@pytest.mark.parametrize(("name", "long_run"), SELECTS)
def test_every_select_returns_its_tables_columns_by_name_and_type(
    store: Store, name: str, long_run: bool
):
    plan = plan_of(name)
    select = plan.render(store, store, store.table(catalog.RAW_TABLE), long_run=long_run)
    params = {**DAY.params(), **select.params}
    got = store.rows(f"DESCRIBE (SELECT * FROM ({select.sql}\n))", params)
    want = store.rows(f"DESCRIBE TABLE {store.table(name)}")
    assert sorted((row[0], _storage_type(row[1])) for row in got) == sorted(
        (row[0], _storage_type(row[1])) for row in want
    )


# --- pollen sql -------------------------------------------------------------------------------

FIRST, LAST = dt.date(2026, 2, 1), dt.date(2026, 2, 7)  # after the bug window
# alice pays 2.0 from her pack on Feb 1 and spends 0.5 of tier on Feb 6; bob has tier on Feb 7
EVENTS = [
    event("2026-02-01 10:00:00", selected_meter_slug="local:pack", total_price=2.0),
    event("2026-02-06 09:00:00", total_price=0.5),
    event(
        "2026-02-07 23:59:00",
        user_id="u2",
        user_github_id="1002",
        user_github_username="bob",
        api_key_id="k2",
        total_price=0.25,
    ),
]


def test_pollen_sql_prints_sql_that_runs_as_printed(store: Store, capsys: pytest.CaptureFixture):
    insert_events(store, EVENTS)
    materialize(FIRST, LAST, "event_facts_daily", "user_daily", "user_windows")
    capsys.readouterr()
    code = cli.main(["sql", "user_windows", "--start", f"{FIRST}", "--end", f"{LAST}"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "{start:" not in printed and "{end:" not in printed  # every parameter inlined
    ran = store.frame(printed)  # piped to the store as printed
    table = store.frame(f"SELECT * FROM {store.table('user_windows')}")
    key = ["as_of", "user_id"]
    assert (
        ran.sort_values(key)
        .reset_index(drop=True)
        .equals(table[list(ran.columns)].sort_values(key).reset_index(drop=True))
    )
    by_day = {(row.as_of.date(), row.user_id): row for row in ran.itertuples()}
    assert by_day[(LAST, "u1")].pack_7d == pytest.approx(2.0)  # Feb 1 .. Feb 7
    assert by_day[(LAST, "u1")].tier_7d == pytest.approx(0.5)
    assert by_day[(dt.date(2026, 2, 5), "u1")].tier_7d == 0.0  # before her tier day
    assert by_day[(LAST, "u2")].total_1d == pytest.approx(0.25)
    assert len(ran) == 7 + 1  # alice on every day from Feb 1, bob on Feb 7


def test_pollen_sql_previews_rows_and_names_the_tables(store: Store, capsys: pytest.CaptureFixture):
    insert_events(store, EVENTS)
    args = ["sql", "event_facts_daily", "--start", "2026-02-06", "--preview", "5"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "-- the first 1 rows:" in out and "| u1 " in out
    assert cli.main(["sql", "no_such_table"]) == 1
    assert "no summary table 'no_such_table'" in capsys.readouterr().err
    # a monthly table's run of a day rewrites the day's month: that is the window printed
    assert cli.main(["sql", "user_daily_by_user", "--start", "2026-02-06"]) == 0
    out = capsys.readouterr().out
    assert "UTC days 2026-02-01 .. 2026-02-28" in out and "2026-03-01 00:00:00" in out


# --- Names checked when the definitions load ----------------------------------------------------


def _package_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "pollen_pipeline", tmp_path / "pollen_pipeline")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _in_copy(copy: Path, *command: str, env: dict[str, str] | None = None):
    """Run ``command`` in the package copy: its ``pollen_pipeline`` first on the path, the
    tests' helpers next; none of a developer's settings that would point elsewhere."""
    inherited = {k: v for k, v in os.environ.items() if k not in FOREIGN_SETTINGS}
    return subprocess.run(
        command,
        cwd=copy,
        env={**inherited, "PYTHONPATH": f"{copy}{os.pathsep}{ROOT}", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


DG = str(Path(sys.executable).parent / "dg")
LOAD = "from pollen_pipeline.definitions import defs; defs()"


def test_an_undefined_name_or_parameter_fails_when_the_definitions_load(tmp_path):
    copy = _package_copy(tmp_path)
    select = copy / "pollen_pipeline" / "defs" / "core" / "model_daily" / "select.sql"
    original = select.read_text()
    select.write_text(original.replace("$economics_rows", "$economics_rowz"))
    result = _in_copy(copy, DG, "check", "defs")
    assert result.returncode != 0
    assert (
        "model_daily: pollen_pipeline/defs/core/model_daily/select.sql uses $economics_rowz"
        in result.stdout + result.stderr
    )
    select.write_text(original.replace("$economics_rows", "$economics_rows AND {tier:String} = ''"))
    result = _in_copy(copy, sys.executable, "-c", LOAD)
    assert result.returncode != 0
    assert "model_daily: pollen_pipeline/defs/core/model_daily/select.sql binds tier" in (
        result.stderr
    )


# --- A table added with dg scaffold, its SQL and one panel ---------------------------------------

NEW = "provider_hourly"
NEW_SELECT = """\
-- Per UTC hour and provider: requests and Pollen of the usage contract.
SELECT
    toStartOfHour(start_time, 'UTC') AS hour,
    toString(model_provider_used) AS model_provider_used,
    count() AS requests,
    sum(total_price) AS total_pollen
FROM $raw_table
WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
    AND $raw_usage_events
GROUP BY hour, model_provider_used
"""
NEW_TABLE = """\
CREATE TABLE IF NOT EXISTS ${database}.provider_hourly
(
    hour DateTime('UTC'),
    model_provider_used LowCardinality(String),
    requests UInt64,
    total_pollen Float64
)
ENGINE = MergeTree
PARTITION BY toDate(hour)
ORDER BY (hour, model_provider_used)
"""
NEW_CHECKS = '''\
"""pandera model of provider_hourly, and its own check."""

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict


class ProviderHourly(pa.DataFrameModel):
    model_provider_used: Series[str]
    requests: Series[np.uint64] = pa.Field(gt=0)
    total_pollen: Series[np.float64] = pa.Field(ge=0)


def models_are_named(ctx: CheckContext) -> Verdict:
    """Every row names its provider."""
    unnamed = ctx.store.scalar(
        f"SELECT count() FROM {ctx.qualified} WHERE {ctx.in_window} AND model_provider_used = ''",
        ctx.params(),
    )
    return Verdict(unnamed == 0, f"{unnamed} rows without a provider", {"unnamed": unnamed})
'''
PANEL = """
def _provider_hourly_panels() -> list[JsonDict]:
    return [
        table(
            "Pollen by provider and hour",
            "SELECT model_provider_used, sum(requests) AS request_count, sum(total_pollen) "
            "AS pollen FROM provider_hourly WHERE $__timeFilter(hour) "
            "GROUP BY model_provider_used",
            "Per provider over the range: requests and Pollen (usage contract).",
            sort_by="pollen",
        )
    ]
"""
# Run in the copy: hand-made events, the new table materialized, its checks and its panel.
MATERIALIZE_NEW = f"""
import datetime as dt, json, warnings
warnings.simplefilter("ignore")
from dagster import DagsterInstance
from pollen_pipeline.catalog import init_store
from pollen_pipeline.dashboards import operations
from pollen_pipeline.definitions import defs
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.runs import materialize_days
from pollen_pipeline_tests.events import event, insert_events
from pollen_pipeline_tests.grafana_sql import TimeRange, expand
store = ClickHouseResource().store()
init_store(store)
insert_events(store, [
    event("2026-02-05 10:05:00", total_price=1.0),
    event("2026-02-05 10:50:00", total_price=0.5),
    event("2026-02-05 11:00:00", model_provider_used="openrouter", total_price=0.25),
    event("2026-02-05 12:00:00", response_status=500, total_price=9.0),  # not usage
    event("2026-02-05 13:00:00", environment="staging", total_price=9.0),  # not usage
])
day = dt.date(2026, 2, 5)
result = materialize_days(defs(), day, day, ["{NEW}"], on=DagsterInstance.ephemeral())
store.command(f"USE {{store.database}}")  # dashboards name tables unqualified, as Grafana
rows = store.rows("SELECT toString(hour), toString(model_provider_used), requests, total_pollen "
                  "FROM {NEW} ORDER BY hour, model_provider_used")
panels = operations.dashboard()["panels"]
panel = next(p for p in panels if p["title"] == "Pollen by provider and hour")
start = dt.datetime(2026, 2, 5, tzinfo=dt.UTC)
sql = expand(panel["targets"][0]["rawSql"], {{}}, TimeRange(start, start + dt.timedelta(days=1)))
print(json.dumps({{
    "rows": [list(row) for row in rows],
    "checks": {{e.check_name: e.passed for e in result.get_asset_check_evaluations()}},
    "panel": sorted([list(row) for row in store.rows(sql)]),
}}))
"""


def _digests(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_a_scaffolded_table_with_its_sql_and_a_panel_materializes_with_its_checks(tmp_path):
    copy = _package_copy(tmp_path / "project")
    before = _digests(copy)
    component = "pollen_pipeline.components.SummaryTable"
    scaffolded = _in_copy(copy, DG, "scaffold", "defs", component, f"ops/{NEW}")
    assert scaffolded.returncode == 0, scaffolded.stdout + scaffolded.stderr
    folder = copy / "pollen_pipeline" / "defs" / "ops" / NEW
    # as scaffolded, the folder loads: every attribute is there, commented
    assert _in_copy(copy, DG, "check", "defs").returncode == 0
    declaration = (folder / "defs.yaml").read_text()
    assert "  read_by_checks: []" in declaration and "  fragments: null" in declaration
    # its SQL: an hourly table of raw events, reconciled with them, meters not split
    (folder / "select.sql").write_text(NEW_SELECT)
    (folder / "table.sql").write_text(NEW_TABLE)
    (folder / "checks.py").write_text(NEW_CHECKS)
    (folder / "defs.yaml").write_text(
        declaration.replace("grain: day", "grain: hour").replace("meters: true", "meters: false")
    )
    # one panel on the operations dashboard
    board = copy / "pollen_pipeline" / "dashboards" / "operations.py"
    text = board.read_text().replace(
        "def dashboard() -> JsonDict:", PANEL.lstrip() + "\n\ndef dashboard() -> JsonDict:"
    )
    panels = "*_latency_panels(),\n            *_provider_hourly_panels(),"
    board.write_text(text.replace("*_latency_panels(),", panels))
    env = {"POLLEN_CLICKHOUSE_URL": f"chdb://{tmp_path / 'store'}", "POLLEN_DATABASE": "pollen"}
    ran = _in_copy(copy, sys.executable, "-c", MATERIALIZE_NEW, env=env)
    assert ran.returncode == 0, ran.stderr[-3000:]
    outcome = json.loads(ran.stdout.strip().splitlines()[-1])
    # two usage events of azure in hour 10, one of openrouter in hour 11; 500 and staging out
    assert outcome["rows"] == [
        ["2026-02-05 10:00:00", "azure", 2, 1.5],
        ["2026-02-05 11:00:00", "openrouter", 1, 0.25],
    ]
    assert outcome["checks"] == {
        "reconciles_with_raw": True,
        "no_gaps": True,
        "schema_valid": True,
        "models_are_named": True,
    }
    assert outcome["panel"] == [["azure", 2, 1.5], ["openrouter", 1, 0.25]]
    changed = {path for path, digest in _digests(copy).items() if before.get(path) != digest}
    files = ("defs.yaml", "table.sql", "select.sql", "checks.py")
    assert changed == {
        *(f"pollen_pipeline/defs/ops/{NEW}/{file}" for file in files),
        "pollen_pipeline/dashboards/operations.py",
    }
