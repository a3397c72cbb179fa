"""The "Pollen Data Quality" dashboard and the provisioned Grafana alert rules: the JSON is what
the builder writes, and every query runs on a materialized store with its check history (macros
and variables expanded as Grafana and the ClickHouse plugin do), with the expected numbers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from dagster import DagsterInstance

from pollen_pipeline.store import Store
from pollen_pipeline_tests.alert_rules import ALERTING, rule_sql, rules_by_uid, threshold
from pollen_pipeline_tests.databases import definitions, fresh_database, materialize
from pollen_pipeline_tests.events import event, insert_events
from pollen_pipeline_tests.grafana_sql import ALL, Selection, TimeRange, expand

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "grafana" / "dashboards" / "pollen-data-quality.json"
DATASOURCES = ROOT / "grafana" / "provisioning" / "datasources" / "clickhouse.yaml"
UTC = dt.UTC
BUG_DAY = dt.date(2026, 2, 3)  # 10% of its Pollen on an unknown meter
FIRST = BUG_DAY - dt.timedelta(days=2)
ROUTER = {"user_id": "router", "user_github_id": "241978997", "user_tier": "router"}
TABLES = [
    "event_facts_daily",
    "usage_hourly",
    "user_daily",
    "app_daily",
    "model_daily",
    "data_quality_daily",
    "user_windows",
    "app_windows",
    "model_windows",
    "spikes_daily",
]


def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def events() -> list[dict[str, Any]]:
    """Two quiet days (all free), then the bug day: pack spending, a spike, ROUTER, 'mystery'."""
    quiet = [
        event(f"{FIRST + dt.timedelta(days=n)} {hour:02d}:00:00", total_price=0.1)
        for n in range(2)
        for hour in range(4)
    ]
    busy = [event(f"{BUG_DAY} {hour:02d}:00:00", total_price=0.1) for hour in range(4)]
    busy += [
        event(f"{BUG_DAY} 05:00:00", selected_meter_slug="local:pack", total_price=0.5),
        event(f"{BUG_DAY} 06:00:00", selected_meter_slug="mystery", total_price=0.1),
        event(f"{BUG_DAY} 07:00:00", total_price=0.6, **ROUTER),
    ]
    return [*quiet, *busy]


@pytest.fixture(scope="module")
def loaded(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The events materialized once for the module's tests, which only read."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        env.setenv("DAGSTER_HOME", str(tmp_path_factory.mktemp("dagster_home")))
        insert_events(store, [*events(), event(recent_minutes(5))])
        materialize(FIRST, BUG_DAY, *TABLES, instance=DagsterInstance.get())
        freshness = definitions().resolve_job_def("generation_event_freshness")
        freshness.execute_in_process(instance=DagsterInstance.get())
        store.command(f"USE {store.database}")  # dashboards name tables unqualified, as Grafana
        yield store
        store.command("USE default")


def recent_minutes(minutes: int) -> str:
    return (dt.datetime.now(UTC) - dt.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S")


def time_range() -> TimeRange:
    """From before the data's days to now: the check history is written at wall-clock time."""
    start = dt.datetime.combine(FIRST - dt.timedelta(days=1), dt.time(), UTC)
    return TimeRange(start, dt.datetime.now(UTC) + dt.timedelta(minutes=5), interval_seconds=86400)


def run(store: Store, sql: str) -> list[dict[str, Any]]:
    result = store.client.query(sql)
    return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]


def run_panels(store: Store, assets: list[str] | None = None) -> dict[str, list[dict]]:
    board = dashboard()
    window = time_range()
    (asset_variable,) = [v for v in board["templating"]["list"] if v["name"] == "asset"]
    options = [row["asset"] for row in run(store, asset_variable["query"])]
    variables = {"asset": Selection(selected=assets or [ALL], options=options)}
    return {
        panel["title"]: run(store, expand(target["rawSql"], variables, window))
        for panel in board["panels"]
        for target in panel.get("targets", [])
    }


# --- The dashboard ----------------------------------------------------------------------------


def test_dashboard_settings():
    board = dashboard()
    assert board["uid"] == "pollen-data-quality" and board["title"] == "Pollen Data Quality"
    assert board["timezone"] == "utc" and board["time"] == {"from": "now-30d", "to": "now"}
    for panel in board["panels"]:
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}"
            assert "generation_event" not in target["rawSql"]  # raw events: never scanned
        if panel["type"] == "timeseries":
            assert target["format"] == 0


def test_every_panel_runs_and_shows_the_failing_meter_check_and_filters_by_asset(loaded):
    results = run_panels(loaded)
    for title, rows in results.items():
        assert rows, f"panel {title!r} returned no rows"
    for panel in dashboard()["panels"]:
        if panel["type"] == "timeseries":
            assert next(iter(results[panel["title"]][0])) == "time", panel["title"]

    # Other assets' checks may fail on these events too; the meter check must be among them.
    failing = {
        (r["asset"], r["check_name"], r["partition"]) for r in results["Checks still failing"]
    }
    assert ("data_quality_daily", "meters_classified", f"{FIRST}..{BUG_DAY}") in failing
    quality = [r for r in results["Latest failures"] if r["asset"] == "data_quality_daily"]
    (latest,) = quality
    assert json.loads(latest["metadata"])["other_share_by_day"] == {str(BUG_DAY): 0.1}
    (now,) = results["Checks failing now"]
    assert now["failing_checks"] == len(failing) and now["evaluated_checks"] > 10

    shares = {row["time"].date(): row for row in results["Other-meter share of billable Pollen"]}
    assert shares[BUG_DAY]["other_meter_share"] == pytest.approx(0.1 / 1.0)
    assert shares[FIRST]["other_meter_share"] == 0
    router = {
        row["time"].date(): row["router_share"] for row in results["ROUTER share of consumption"]
    }
    assert router[BUG_DAY] == pytest.approx(0.6 / 1.6)

    fresh = {row["table_name"]: row for row in results["Freshness of every table"]}
    assert len(fresh) == 6
    assert fresh["raw events (newest production event)"]["minutes_behind"] <= 10
    assert fresh["user_daily"]["covered_until"].date() == BUG_DAY + dt.timedelta(days=1)
    assets = {row["asset"] for row in results["Last check evaluation per asset"]}
    assert {"event_facts_daily", "data_quality_daily", "generation_event"} <= assets

    # The asset variable filters the check panels.
    results = run_panels(loaded, assets=["user_daily"])
    assert not results["Checks still failing"] and not results["Latest failures"]
    assert results["Checks failing now"][0]["failing_checks"] == 0


# --- Alert rules ------------------------------------------------------------------------------


def test_alert_rules_use_the_provisioned_data_source_and_an_env_contact_point():
    config = yaml.safe_load(ALERTING.read_text())
    (source,) = yaml.safe_load(DATASOURCES.read_text())["datasources"]
    for rule in rules_by_uid().values():
        uids = {item["datasourceUid"] for item in rule["data"]}
        assert uids == {source["uid"], "__expr__"}
    (contact,) = config["contactPoints"]
    (receiver,) = contact["receivers"]
    assert receiver["settings"]["url"] == "${GRAFANA_ALERT_WEBHOOK_URL}"
    assert config["policies"][0]["receiver"] == contact["name"]


def test_alert_rules_compute_spike_free_share_jump_and_router_share(loaded):
    by_uid = rules_by_uid()
    (spike,) = run(loaded, rule_sql(by_uid["pollen-system-spike"]))
    (jump,) = run(loaded, rule_sql(by_uid["pollen-free-share-jump"]))
    (router,) = run(loaded, rule_sql(by_uid["pollen-router-share"]))
    # The bug day: 1.0 Pollen in economics against a 30-day daily average of 1.8 / 30.
    assert spike["ratio_30d"] == pytest.approx(1.0 / (1.8 / 30))
    assert spike["ratio_30d"] > threshold(by_uid["pollen-system-spike"])
    # Free share: 100% on the quiet day, 0.4 / (0.4 + 0.5) on the bug day.
    assert jump["free_share_jump_points"] == pytest.approx(100 * (1 - 0.4 / 0.9))
    assert jump["free_share_jump_points"] > threshold(by_uid["pollen-free-share-jump"])
    assert router["router_share"] == pytest.approx(0.6 / 1.6)
    assert router["router_share"] > threshold(by_uid["pollen-router-share"])
