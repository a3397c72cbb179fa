"""Each check passes on correct tables and fails when the tables or raw events disagree."""

from __future__ import annotations

import datetime as dt

from dagster import AssetCheckSeverity

from pollen_pipeline import checks
from pollen_pipeline.store import Window
from pollen_pipeline_tests.checking import evaluate
from pollen_pipeline_tests.databases import materialize
from pollen_pipeline_tests.events import at, event, insert_events

DAY = dt.date(2026, 2, 3)
WINDOW = Window(at("2026-02-03 00:00:00"), at("2026-02-04 00:00:00"))
METERS = "meters_classified"
USER_DAILY = ("event_facts_daily", "user_daily")  # the table under test and its upstream


def reconcile_user_daily(store):
    return evaluate(store, "user_daily", WINDOW)


def test_reconciliation_fails_when_raw_events_change_after_materializing(store):
    insert_events(store, [event("2026-02-03 08:00:00"), event("2026-02-03 09:00:00")])
    materialize(DAY, DAY, *USER_DAILY)
    assert reconcile_user_daily(store)[checks.RECONCILES_WITH_RAW].passed

    insert_events(store, [event("2026-02-03 10:00:00", total_price=0.5)])  # late, unprocessed
    result = reconcile_user_daily(store)[checks.RECONCILES_WITH_RAW]
    assert not result.passed
    assert result.metadata["difference"].value == -0.5


def test_gaps_fail_for_periods_with_raw_events_but_no_rows(store):
    insert_events(store, [event("2026-02-03 08:00:00")])
    materialize(DAY, DAY, "usage_hourly")
    assert evaluate(store, "usage_hourly", WINDOW)[checks.NO_GAPS].passed

    insert_events(store, [event("2026-02-03 15:00:00")])
    gaps = evaluate(store, "usage_hourly", WINDOW)[checks.NO_GAPS]
    assert not gaps.passed
    assert gaps.metadata["missing_periods"].value == ["2026-02-03T15:00:00+00:00"]


def test_reconciliation_fails_when_meters_do_not_add_up(store):
    insert_events(store, [event("2026-02-03 08:00:00")])
    materialize(DAY, DAY, *USER_DAILY)
    store.command(
        f"ALTER TABLE {store.table('user_daily')} UPDATE tier_pollen = tier_pollen + 1 "
        "WHERE 1 SETTINGS mutations_sync = 1"
    )
    result = reconcile_user_daily(store)[checks.RECONCILES_WITH_RAW]
    assert not result.passed
    assert len(result.metadata["unbalanced_rows"].value) == 1


def test_schema_check_fails_on_negative_money_and_duplicate_keys(store):
    insert_events(store, [event("2026-02-03 08:00:00")])
    materialize(DAY, DAY, *USER_DAILY)
    assert evaluate(store, "user_daily", WINDOW)[checks.SCHEMA_VALID].passed

    user_daily = store.table("user_daily")
    store.command(
        f"INSERT INTO {user_daily} SELECT * REPLACE (-1.0 AS pack_pollen) FROM {user_daily}"
    )
    result = evaluate(store, "user_daily", WINDOW)[checks.SCHEMA_VALID]
    assert not result.passed
    failing = result.metadata["failing_rows_by_rule"].value
    # one row with a negative amount; two rows of one (day, user_id)
    assert failing == {"pack_pollen greater_than_or_equal_to": 1, "unique day, user_id": 1}
    sample = result.metadata["sample_rows"].value["pack_pollen greater_than_or_equal_to"]
    assert sample == [["2026-02-03", "u1"]]


def test_schema_check_fails_on_a_changed_column_type(store):
    insert_events(store, [event("2026-02-03 08:00:00")])
    materialize(DAY, DAY, *USER_DAILY)
    user_daily = store.table("user_daily")
    store.command(f"ALTER TABLE {user_daily} MODIFY COLUMN models_used UInt32")
    result = evaluate(store, "user_daily", WINDOW)[checks.SCHEMA_VALID]
    assert not result.passed
    assert result.metadata["wrong_types"].value == {"models_used": "UInt32, expected UInt64"}


def test_meter_classification_warns_when_other_meters_exceed_one_percent(store):
    normal = [event(f"2026-02-03 {h:02d}:00:00", total_price=0.1) for h in range(9)]
    insert_events(store, [*normal, event("2026-02-03 12:00:00", selected_meter_slug="local:dev")])
    materialize(DAY, DAY, "data_quality_daily")
    assert evaluate(store, "data_quality_daily", WINDOW)[METERS].passed  # 0.001 of 0.901

    insert_events(
        store, [event("2026-02-03 13:00:00", selected_meter_slug="mystery", total_price=0.1)]
    )
    materialize(DAY, DAY, "data_quality_daily")
    result = evaluate(store, "data_quality_daily", WINDOW)[METERS]
    assert not result.passed
    assert result.severity == AssetCheckSeverity.WARN
    assert result.metadata["other_share_by_day"].value == {"2026-02-03": round(0.101 / 1.001, 6)}
