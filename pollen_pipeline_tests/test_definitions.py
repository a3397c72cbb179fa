"""The code location loads, and its schedules ask for the right partitions."""

from __future__ import annotations

import datetime as dt

from dagster import (
    DagsterInstance,
    build_run_status_sensor_context,
    build_schedule_context,
)

from pollen_pipeline.checks import names
from pollen_pipeline.definitions import defs
from pollen_pipeline.jobs import RANGE_END_TAG, RANGE_START_TAG
from pollen_pipeline.schedules import (
    DAILY_REFRESH_TAG,
    daily_refresh_sensor,
    daily_schedule,
    hourly_schedule,
)

UTC = dt.UTC
CORE = ["event_facts_hourly", "usage_hourly", "user_daily", "app_daily", "model_daily"]


def test_definitions_load_with_assets_checks_jobs_and_schedules():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"generation_event", *CORE, "data_quality_daily"} <= keys
    assert defs.resolve_job_def("core_hourly") and defs.resolve_job_def("core_daily")
    assert {s.name for s in defs.schedules} == {
        "hourly_schedule",
        "daily_schedule",
        "raw_freshness_schedule",
    }


def test_checks_are_blocking_on_purpose():
    specs = {
        (spec.asset_key.to_user_string(), spec.name): spec
        for asset in defs.assets
        if hasattr(asset, "check_specs")
        for spec in asset.check_specs
    }
    for table in CORE:
        assert specs[(table, names.RECONCILES_WITH_RAW)].blocking
        assert not specs[(table, names.NO_GAPS)].blocking
    assert not specs[("data_quality_daily", names.METER_CLASSIFICATION)].blocking


def test_hourly_schedule_requests_the_closed_hour_and_the_one_before():
    context = build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 3, 1, 0, 5, tzinfo=UTC)
    )
    request = hourly_schedule(context)
    assert request.tags[RANGE_START_TAG] == "2026-02-28-22:00"
    assert request.tags[RANGE_END_TAG] == "2026-02-28-23:00"


def test_daily_refresh_rescans_two_days_then_rolls_them_up():
    context = build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 3, 1, 0, 15, tzinfo=UTC)
    )
    request = daily_schedule(context)
    assert request.tags[RANGE_START_TAG] == "2026-02-27-00:00"
    assert request.tags[RANGE_END_TAG] == "2026-02-28-23:00"
    assert request.tags[DAILY_REFRESH_TAG] == "2026-02-27..2026-02-28"


def test_sensor_rolls_up_only_after_a_daily_refresh():
    from dagster import DagsterEvent, DagsterEventType, DagsterRunStatus
    from dagster._core.test_utils import create_run_for_test

    instance = DagsterInstance.ephemeral()
    refresh = create_run_for_test(
        instance,
        job_name="core_hourly",
        status=DagsterRunStatus.SUCCESS,
        tags={DAILY_REFRESH_TAG: "2026-02-27..2026-02-28"},
    )
    hourly = create_run_for_test(instance, job_name="core_hourly", status=DagsterRunStatus.SUCCESS)
    results = []
    for run in (refresh, hourly):
        context = build_run_status_sensor_context(
            sensor_name="daily_refresh_sensor",
            dagster_instance=instance,
            dagster_run=run,
            dagster_event=DagsterEvent(DagsterEventType.RUN_SUCCESS.value, "core_hourly"),
        )
        results.append(daily_refresh_sensor(context))
    rollup, skipped = results
    assert rollup.tags[RANGE_START_TAG] == "2026-02-27"
    assert rollup.tags[RANGE_END_TAG] == "2026-02-28"
    assert "not a daily refresh" in skipped.skip_message
