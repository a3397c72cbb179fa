"""The code location: one snapshot of what it defines, its schedules' partitions, Dagster's own
check of the project, and a table added by adding a folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from dagster import AssetsDefinition, build_schedule_context

from pollen_pipeline import catalog
from pollen_pipeline.components.summary_table import plan_of
from pollen_pipeline.defs.automation import daily_schedule, five_minute_schedule, hourly_schedule
from pollen_pipeline.grain import RANGE_END_TAG, RANGE_START_TAG
from pollen_pipeline_tests.databases import definitions

UTC = dt.UTC
ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.json"


def _severities(name: str) -> dict[str, str]:
    """Check name -> declared severity, for a summary table (standard checks are ERROR)."""
    if name not in catalog.summary_tables():
        return {}
    return {check.name: check.severity for check, _ in plan_of(name).checks}


def _asset(asset: AssetsDefinition) -> dict[str, Any]:
    key = asset.key
    name = key.to_user_string()
    severities = _severities(name)
    partitions = asset.partitions_def
    spec = asset.specs_by_key[key]
    return {
        "group": asset.group_names_by_key[key],
        "kinds": " ".join(sorted(spec.kinds)),
        "deps": " ".join(sorted(dep.asset_key.to_user_string() for dep in spec.deps)),
        "partitions": partitions and f"daily from {partitions.start:%Y-%m-%d}",
        "cadence": asset.tags_by_key[key].get("pollen/cadence"),
        "freshness": type(spec.freshness_policy).__name__,
        "checks": sorted(
            f"{check.name} {severities.get(check.name, 'ERROR')}"
            + (" blocking" if check.blocking else "")
            for check in asset.check_specs
        ),
    }


def describe() -> dict[str, Any]:
    """What the code location defines, as plain data."""
    defs = definitions()
    graph = defs.resolve_asset_graph()
    assets = {
        asset.key.to_user_string(): _asset(asset)
        for asset in defs.assets or []
        if isinstance(asset, AssetsDefinition) and asset.is_executable
    }
    jobs = {
        job.name: sorted(key.to_user_string() for key in job.selection.resolve(graph))
        for job in defs.jobs
        if hasattr(job, "selection")
    }
    return {
        "assets": dict(sorted(assets.items())),
        "asset_checks": sorted(
            f"{spec.asset_key.to_user_string()}:{spec.name}"
            for checks in defs.asset_checks or []
            for spec in checks.check_specs
        ),
        "jobs": dict(sorted(jobs.items())),
        "schedules": sorted(f"{s.name} {s.cron_schedule} {s.job_name}" for s in defs.schedules),
        "sensors": sorted(sensor.name for sensor in defs.sensors),
    }


def test_definitions_match_their_snapshot():
    """Tables, partitions, dependencies, checks with severity and blocking, jobs, schedules
    and sensors: a change to any of them is a change to this file, reviewed as such
    (rewrite it with POLLEN_UPDATE_SNAPSHOTS=1)."""
    text = json.dumps(describe(), indent=2, sort_keys=False) + "\n"
    if os.environ.get("POLLEN_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(text)
    assert text == SNAPSHOT.read_text()


def test_every_table_folder_is_an_asset_and_every_summary_is_scheduled():
    described = describe()
    report = "weekly_report"
    assert set(catalog.summary_tables()) | {catalog.RAW_TABLE, report} >= set(described["assets"])
    assert set(catalog.summary_tables()) | {report} <= set(described["assets"])
    assert set(described["jobs"]["pollen_daily"]) == set(catalog.summary_tables())
    assert described["jobs"]["pollen_weekly_report"] == [report]
    # the hourly run rebuilds the minute table health_hourly is grouped from, before it
    hour_grain = {"usage_hourly", "usage_classified_hourly", "health_hourly", "errors_hourly"}
    assert hour_grain | {"load_minutely"} == set(described["jobs"]["pollen_hourly"])
    assert "pollen_weekly_report_schedule 30 3 * * 1 pollen_weekly_report" in described["schedules"]


@pytest.mark.parametrize(
    ("now", "first", "last"),
    [
        ((2026, 3, 1, 0, 5), "2026-02-28", "2026-02-28"),  # 22:00 and 23:00 of the 28th
        ((2026, 3, 1, 1, 5), "2026-02-28", "2026-03-01"),  # 23:00 of the 28th, 00:00 of the 1st
        ((2026, 3, 1, 14, 5), "2026-03-01", "2026-03-01"),
    ],
)
def test_hourly_schedule_rebuilds_the_days_of_the_last_two_closed_hours(now, first, last):
    context = build_schedule_context(scheduled_execution_time=dt.datetime(*now, tzinfo=UTC))
    request = hourly_schedule(context)
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == (first, last)


@pytest.mark.parametrize(
    ("now", "first", "last"),
    [
        ((2026, 3, 1, 0, 5), "2026-02-28", "2026-03-01"),  # 23:55 .. 00:04
        ((2026, 3, 1, 0, 10), "2026-03-01", "2026-03-01"),
        ((2026, 3, 1, 0, 0), "2026-02-28", "2026-02-28"),  # 23:50 .. 23:59
    ],
)
def test_five_minute_schedule_rebuilds_the_days_of_the_last_ten_closed_minutes(now, first, last):
    context = build_schedule_context(scheduled_execution_time=dt.datetime(*now, tzinfo=UTC))
    request = five_minute_schedule(context)
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == (first, last)


def test_daily_schedule_rescans_yesterday_and_the_day_before():
    context = build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 3, 1, 0, 15, tzinfo=UTC)
    )
    request = daily_schedule(context)
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == (
        "2026-02-27",
        "2026-02-28",
    )


def test_dg_check_defs_passes():
    dg = Path(sys.executable).parent / "dg"
    result = subprocess.run(
        [str(dg), "check", "defs"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Adding a table is adding a folder ---------------------------------------------------------

NEW_TABLE = "referrer_weekly_test"
LOAD_NEW_TABLE = f"""
import json, warnings
warnings.simplefilter("ignore")
from dagster import AssetKey
from pollen_pipeline.definitions import defs
from pollen_pipeline import catalog
d = defs()
asset = d.resolve_assets_def(AssetKey("{NEW_TABLE}"))
print(json.dumps({{
    "checks": sorted(spec.name for spec in asset.check_specs),
    "deps": sorted(dep.asset_key.to_user_string() for dep in asset.specs_by_key[asset.key].deps),
    "group": asset.group_names_by_key[asset.key],
    "in_init": "{NEW_TABLE}" in catalog.summary_tables(),
}}))
"""


def test_a_new_table_folder_is_a_new_asset_with_its_checks(tmp_path):
    """Copy the package, add one folder (a copy of referrer_daily under a new name), and the
    code location has a new asset with its checks, its DDL in `pollen init`: no other file
    changes."""
    shutil.copytree(ROOT / "pollen_pipeline", tmp_path / "pollen_pipeline")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    source = tmp_path / "pollen_pipeline" / "defs" / "usage" / "referrer_daily"
    folder = source.parent / NEW_TABLE
    shutil.copytree(source, folder)
    ddl = (folder / "table.sql").read_text().replace("referrer_daily", NEW_TABLE)
    (folder / "table.sql").write_text(ddl)
    result = subprocess.run(
        [sys.executable, "-c", LOAD_NEW_TABLE],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "checks": ["no_gaps", "reconciles_with_raw", "schema_valid"],
        "deps": ["event_facts_daily"],
        "group": "usage",
        "in_init": True,
    }


def test_readme_counts_the_summary_tables_there_are():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    claimed = re.search(r"them; (\d+) tables share one component class", readme)
    assert claimed, "README no longer says how many tables share the component class"
    assert int(claimed.group(1)) == len(catalog.summary_tables())


def test_readme_counts_the_tables_reconciled_with_raw_events():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    claimed = re.search(r"every table that adds up to raw events \((\d+)\)", readme)
    assert claimed, "README no longer says how many tables are reconciled with raw events"
    checks = definitions().resolve_asset_graph().asset_check_keys
    reconciled = {key.asset_key for key in checks if key.name == "reconciles_with_raw"}
    assert int(claimed.group(1)) == len(reconciled)


def test_readme_lists_every_summary_table():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    tables = readme.split("## Tables", 1)[1].split("\n## ", 1)[0]
    listed = {
        name
        for row in tables.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`(\w+)`", row.split("|")[1])
    }
    assert set(catalog.summary_tables()) <= listed, set(catalog.summary_tables()) - listed


def test_no_product_module_imports_dagster_internals():
    """Product code uses Dagster's public API only (``dagster``, not ``dagster._core``)."""
    modules = sorted((ROOT / "pollen_pipeline").rglob("*.py"))
    internal = [
        str(path.relative_to(ROOT))
        for path in modules
        if re.search(r"^\s*(from|import) dagster\._", path.read_text(), re.MULTILINE)
    ]
    assert internal == []
