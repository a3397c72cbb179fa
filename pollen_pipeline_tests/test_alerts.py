"""Alerts, check history, freshness and retries, with a real Dagster instance in a temporary
directory, real materializations into the session store, and a webhook receiver on loopback."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from clickhouse_connect.driver.exceptions import DatabaseError, OperationalError
from dagster import (
    AssetKey,
    DagsterEventType,
    DagsterInstance,
    Failure,
    RetryPolicy,
    RetryRequested,
    build_sensor_context,
)
from dagster._core.definitions.freshness import FreshnessState, FreshnessStateChange

from pollen_pipeline import checks, retries
from pollen_pipeline import webhook as delivery
from pollen_pipeline.defs import alerts
from pollen_pipeline.defs.raw.generation_event import checks as raw_checks
from pollen_pipeline.grain import DAILY_FRESHNESS, FRESHNESS, HOURLY_FRESHNESS, range_tags
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.settings import SettingsError
from pollen_pipeline.store import Store, StoreError, StoreInUseError
from pollen_pipeline_tests.databases import definitions
from pollen_pipeline_tests.events import event, insert_events

UTC = dt.UTC
DAY = dt.date(2026, 2, 3)
DAGSTER_URL = "http://dagster.example:3000"
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
METERS = "meters_classified"


# --- Fixtures: a webhook receiver, a Dagster instance, the alert environment ------------------


@dataclass
class Receiver:
    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    delay: float = 0.0  # seconds before answering, to play a slow webhook


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            time.sleep(state.delay)
            state.posts.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def instance(tmp_path) -> Iterator[DagsterInstance]:
    instance = DagsterInstance.local_temp(str(tmp_path))
    yield instance
    instance.dispose()


@pytest.fixture
def webhook(receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> Receiver:
    monkeypatch.setenv(alerts.WEBHOOK_URL_ENV, receiver.url)
    monkeypatch.setenv(alerts.DAGSTER_URL_ENV, DAGSTER_URL)
    monkeypatch.delenv(alerts.WEBHOOK_FORMAT_ENV, raising=False)
    monkeypatch.setattr(delivery, "BACKOFF_SECONDS", 0.01)
    return receiver


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"  # nothing listens there any more


# --- Helpers: materialize through the real jobs, tick the sensor ---------------------------


def materialize_day(instance: DagsterInstance, day: dt.date = DAY) -> str:
    """The facts scan and data_quality_daily for ``day``, in one run of the daily job as the
    daily schedule runs it; the run id."""
    job = definitions().resolve_job_def("pollen_daily")
    result = job.execute_in_process(
        run_config=QUIET,
        instance=instance,
        tags=range_tags(day, day),
        asset_selection=[AssetKey("event_facts_daily"), AssetKey("data_quality_daily")],
        raise_on_error=False,
    )
    return result.run_id


def tick(instance: DagsterInstance, cursor: str | None) -> tuple[str, str | None]:
    context = build_sensor_context(
        instance=instance, cursor=cursor, repository_def=definitions().get_repository_def()
    )
    result = alerts.alert_sensor(context)
    return result.skip_message, context.cursor


def meter_bug_events() -> list[dict[str, Any]]:
    """A day with 10% of its Pollen on a meter slug nobody knows, outside the bug window."""
    normal = [event(f"2026-02-03 {hour:02d}:00:00", total_price=0.1) for hour in range(9)]
    return [*normal, event("2026-02-03 12:00:00", selected_meter_slug="mystery", total_price=0.1)]


# --- The alert path end to end ------------------------------------------------------------


def test_failing_check_alerts_once_then_recovers(store: Store, instance, webhook):
    insert_events(store, meter_bug_events())
    run_id = materialize_day(instance)

    message, cursor = tick(instance, None)
    assert len(webhook.posts) == 1, webhook.posts
    post = webhook.posts[0]
    assert post["kind"] == "check_failed"
    assert (post["asset"], post["check"]) == ("data_quality_daily", METERS)
    assert (post["partition"], post["severity"]) == ("2026-02-03", "WARN")
    assert "more than 1%" in post["description"]
    assert post["metadata"]["other_share_by_day"] == {"2026-02-03": round(0.1 / 1.0, 6)}
    assert post["url"] == f"{DAGSTER_URL}/runs/{run_id}"
    assert post["run_id"] == run_id and post["job"] == "pollen_daily"
    assert "data_quality_daily / meters_classified" in post["text"]
    assert message == "1 alerts, 1 posted"

    message, cursor = tick(instance, cursor)
    assert len(webhook.posts) == 1 and message == "0 alerts, 0 posted"

    store.command(
        f"ALTER TABLE {store.table('generation_event')} DELETE "
        "WHERE selected_meter_slug = 'mystery' SETTINGS mutations_sync = 1"
    )
    fixed_run = materialize_day(instance)
    _, cursor = tick(instance, cursor)
    assert len(webhook.posts) == 2
    recovered = webhook.posts[1]
    assert recovered["kind"] == "check_recovered"
    assert (recovered["asset"], recovered["check"], recovered["partition"]) == (
        "data_quality_daily",
        METERS,
        "2026-02-03",
    )
    assert recovered["url"] == f"{DAGSTER_URL}/runs/{fixed_run}"
    tick(instance, cursor)
    assert len(webhook.posts) == 2


def test_check_results_are_written_from_the_run(store: Store, instance):
    insert_events(store, meter_bug_events())
    run_id = materialize_day(instance)
    rows = store.rows(
        "SELECT check_name, partition, passed, severity, metadata, run_id, evaluated_at "
        f"FROM {store.table('pipeline_check_results')} WHERE asset = 'data_quality_daily' "
        "ORDER BY check_name"
    )
    by_check = {row[0]: row for row in rows}
    assert set(by_check) == {
        METERS,
        "no_duplicate_events",
        checks.NO_GAPS,
        checks.RECONCILES_WITH_RAW,
        checks.SCHEMA_VALID,
    }
    meter = by_check[METERS]
    assert meter[1:4] == ("2026-02-03", 0, "WARN")
    assert json.loads(meter[4]) == {"other_share_by_day": {"2026-02-03": 0.1}}
    assert meter[5] == run_id
    assert by_check[checks.RECONCILES_WITH_RAW][2:4] == (1, "ERROR")
    assert abs(json.loads(by_check[checks.RECONCILES_WITH_RAW][4])["difference"]) < 1e-9
    facts = store.rows(
        f"SELECT DISTINCT partition FROM {store.table('pipeline_check_results')} "
        "WHERE asset = 'event_facts_daily'"
    )
    assert facts == [("2026-02-03",)]  # the day's partition, whatever the table's grain
    evaluated_at = meter[6] if meter[6].tzinfo else meter[6].replace(tzinfo=UTC)
    assert abs((dt.datetime.now(UTC) - evaluated_at).total_seconds()) < 600


def test_failed_run_alerts_and_fails_fast(store: Store, instance, webhook, monkeypatch):
    insert_events(store, meter_bug_events())
    monkeypatch.setenv("POLLEN_DATABASE", "no_such_database")  # not transient: no retries
    run_id = materialize_day(instance)
    tick(instance, None)
    (failed,) = [post for post in webhook.posts if post["kind"] == "run_failed"]
    assert (failed["job"], failed["run_id"]) == ("pollen_daily", run_id)
    assert failed["severity"] == "ERROR" and failed["partition"] == "2026-02-03"
    assert "event_facts_daily" in failed["description"]
    assert failed["url"] == f"{DAGSTER_URL}/runs/{run_id}"
    retried = instance.get_records_for_run(run_id, of_type=DagsterEventType.STEP_UP_FOR_RETRY)
    assert not retried.records
    failure = instance.get_records_for_run(run_id, of_type=DagsterEventType.STEP_FAILURE)
    error = failure.records[0].event_log_entry.dagster_event.step_failure_data.error
    assert "UNKNOWN_DATABASE" in error.message and "\n" not in error.message.strip()


def report_failed_run(instance: DagsterInstance) -> str:
    from dagster._core.test_utils import create_run_for_test

    run = create_run_for_test(instance, job_name="pollen_hourly", tags=range_tags(DAY, DAY))
    instance.report_run_failed(run, "the store went away")
    return run.run_id


@pytest.mark.parametrize(("fmt", "key"), [("slack", "text"), ("discord", "content")])
def test_slack_and_discord_formats(instance, webhook, monkeypatch, fmt, key):
    monkeypatch.setenv(alerts.WEBHOOK_FORMAT_ENV, fmt)
    run_id = report_failed_run(instance)
    tick(instance, None)
    (post,) = webhook.posts
    assert list(post) == [key]
    assert post[key].startswith("[ERROR] Run failed: pollen_hourly (partition 2026-02-03)")
    assert post[key].endswith(f"{DAGSTER_URL}/runs/{run_id}")


def test_discord_messages_fit_its_limit():
    alert = alerts.Alert(kind="run_failed", title="x", description="y" * 5000)
    assert len(alert.payload("discord")["content"]) == alerts.DISCORD_LIMIT


def test_dead_or_slow_webhook_is_logged_and_never_raises(instance, webhook, monkeypatch):
    report_failed_run(instance)
    report_failed_run(instance)
    monkeypatch.setenv(alerts.WEBHOOK_URL_ENV, closed_port_url())
    started = time.monotonic()
    message, cursor = tick(instance, None)
    assert message == "2 alerts, 0 posted"  # the second is not even tried: logged only
    assert time.monotonic() - started < 5  # connection refused: no time-out to wait for

    monkeypatch.setenv(alerts.WEBHOOK_URL_ENV, webhook.url)
    monkeypatch.setattr(delivery, "TIMEOUT_SECONDS", 0.2)
    webhook.delay = 1.0
    report_failed_run(instance)
    started = time.monotonic()
    message, _ = tick(instance, cursor)
    assert message == "1 alerts, 0 posted"
    assert time.monotonic() - started < delivery.ATTEMPTS * 0.2 + 3


def test_without_webhook_alerts_are_only_logged(instance, monkeypatch):
    monkeypatch.delenv(alerts.WEBHOOK_URL_ENV, raising=False)
    report_failed_run(instance)
    message, _ = tick(instance, None)
    assert message == "1 alerts, 0 posted"


def test_a_broken_tick_does_not_raise(instance, webhook, monkeypatch):
    def broken(*args: Any) -> None:
        raise RuntimeError("event log unavailable")

    monkeypatch.setattr(alerts, "collect_alerts", broken)
    previous = alerts.Cursor(failing={("a", "c", ""): None}).dump()
    message, cursor = tick(instance, previous)
    assert "event log unavailable" in message and cursor == previous


def test_an_unreadable_cursor_starts_over():
    assert alerts.Cursor.load("not json") == alerts.Cursor()


def test_the_cursor_forgets_the_oldest_failing_checks(monkeypatch):
    monkeypatch.setattr(alerts, "MAX_FAILING", 2)
    cursor = alerts.Cursor()
    for name in ("a", "b", "c", "a"):
        cursor.fail((name, "check", ""))
    restored = alerts.Cursor.load(cursor.dump())
    assert list(restored.failing) == [("c", "check", ""), ("a", "check", "")]
    assert restored.recover(("a", "check", "")) and not restored.recover(("a", "check", ""))


def test_first_tick_ignores_history_older_than_the_lookback(instance, webhook, monkeypatch):
    report_failed_run(instance)
    monkeypatch.setattr(alerts, "FIRST_LOOKBACK", dt.timedelta(seconds=0))
    message, cursor = tick(instance, None)
    assert message == "0 alerts, 0 posted"
    new_run = report_failed_run(instance)
    tick(instance, cursor)
    assert [post["run_id"] for post in webhook.posts] == [new_run]


# --- Freshness ----------------------------------------------------------------------------


def test_summary_assets_carry_their_grains_freshness_and_the_retry_policy():
    defs = definitions()
    graph = defs.resolve_asset_graph()
    summary = [asset for asset in defs.assets if getattr(asset, "is_executable", False)]
    assert {"event_facts_daily", "usage_hourly", "user_daily", "data_quality_daily"} <= {
        asset.key.to_user_string() for asset in summary
    }
    for asset in summary:
        policy = graph.get(asset.key).freshness_policy
        assert policy == FRESHNESS[asset.tags_by_key[asset.key]["pollen/cadence"]]
        assert asset.op.retry_policy == retries.RETRY_POLICY
    assert DAILY_FRESHNESS.deadline_cron == "0 3 * * *"
    assert HOURLY_FRESHNESS.fail_window.to_timedelta() == dt.timedelta(hours=3)
    assert FRESHNESS["5min"].fail_window.to_timedelta() == dt.timedelta(minutes=20)


def report_freshness(instance: DagsterInstance, asset: str, new: str, previous: str) -> None:
    instance.report_runless_asset_event(
        FreshnessStateChange(
            key=AssetKey(asset),
            new_state=FreshnessState(new),
            previous_state=FreshnessState(previous),
            state_change_timestamp=time.time(),
        )
    )


def test_freshness_policy_failures_alert_and_recover(instance, webhook):
    report_freshness(instance, "usage_hourly", "FAIL", "PASS")
    report_freshness(instance, "user_daily", "UNKNOWN", "NOT_APPLICABLE")  # not an alert
    _, cursor = tick(instance, None)
    (stale,) = webhook.posts
    assert (stale["kind"], stale["asset"], stale["severity"]) == ("stale", "usage_hourly", "ERROR")
    assert stale["url"] == f"{DAGSTER_URL}/assets/usage_hourly"
    _, cursor = tick(instance, cursor)
    assert len(webhook.posts) == 1
    report_freshness(instance, "usage_hourly", "PASS", "FAIL")
    tick(instance, cursor)
    assert [post["kind"] for post in webhook.posts] == ["stale", "fresh_again"]


def run_raw_freshness(instance: DagsterInstance) -> str:
    result = (
        definitions()
        .resolve_job_def("generation_event_freshness")
        .execute_in_process(run_config=QUIET, instance=instance, raise_on_error=False)
    )
    return result.run_id


def recent(minutes: int) -> str:
    moment = dt.datetime.now(UTC) - dt.timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def test_raw_events_that_stop_arriving_alert(store: Store, instance, webhook):
    insert_events(
        store,
        [event(recent(180)), event(recent(5), environment="development")],  # not production
    )
    run_id = run_raw_freshness(instance)
    _, cursor = tick(instance, None)
    (post,) = webhook.posts
    assert (post["asset"], post["check"]) == ("generation_event", "new_production_events")
    assert post["severity"] == "ERROR" and post["url"].endswith(run_id)
    assert 175 <= post["metadata"]["age_minutes"] <= 185

    insert_events(store, [event(recent(10))])
    run_raw_freshness(instance)
    tick(instance, cursor)
    assert [p["kind"] for p in webhook.posts] == ["check_failed", "check_recovered"]
    passed = store.scalar(
        f"SELECT groupArray(passed) FROM (SELECT passed FROM "
        f"{store.table('pipeline_check_results')} WHERE asset = 'generation_event' "
        "ORDER BY evaluated_at)"
    )
    assert passed == [0, 1]


def test_raw_freshness_without_any_event_fails():
    verdict = raw_checks.judge(None, dt.datetime.now(UTC), dt.timedelta(hours=2))
    assert not verdict.passed and "none" in verdict.description


# --- Retries and query time-outs ----------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        DatabaseError("Code: 252. DB::Exception: Too many parts (300). (TOO_MANY_PARTS)"),
        DatabaseError("Code: 159. DB::Exception: Timeout exceeded: ... (TIMEOUT_EXCEEDED)"),
        OperationalError("Error HTTPConnectionPool: Max retries exceeded"),
        TimeoutError("timed out"),
        ConnectionResetError("reset by peer"),
        StoreInUseError("store /x is in use by PID 1"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_transient_errors_are_retried_with_the_policy_backoff(error):
    assert retries.is_transient(error)
    request = retries.retry_or_fail(error, retry_number=1)
    assert isinstance(request, RetryRequested)
    assert request.max_retries == 3
    expected = retries.RETRY_POLICY.delay * 3  # exponential: (2**2 - 1) x delay for attempt 2
    assert abs(request.seconds_to_wait - expected) <= retries.RETRY_POLICY.delay


def test_transient_causes_are_found_under_wrapping_errors():
    try:
        try:
            raise OperationalError("connection refused")
        except OperationalError as cause:
            raise StoreError("cannot reach ClickHouse at http://u:***@h:8123: refused") from cause
    except StoreError as error:
        assert retries.is_transient(error)


@pytest.mark.parametrize(
    "error",
    [
        DatabaseError("Code: 81. DB::Exception: Database x does not exist. (UNKNOWN_DATABASE)"),
        DatabaseError("Code: 62. DB::Exception: Syntax error (SYNTAX_ERROR)"),
        ValueError("bad value"),
        StoreError("embedded store URL must hold an absolute path: chdb://rel"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_other_errors_fail_fast_in_one_line(error):
    assert not retries.is_transient(error)
    failure = retries.retry_or_fail(error, retry_number=0)
    assert isinstance(failure, Failure) and not failure.allow_retries
    assert "\n" not in failure.description


def test_a_transient_error_is_retried_inside_the_run(store: Store, instance, monkeypatch):
    insert_events(store, [event("2026-02-03 08:00:00")])
    monkeypatch.setattr(retries, "RETRY_POLICY", RetryPolicy(max_retries=3, delay=0.01))
    original = Store.replace_window
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseError("Code: 252. DB::Exception: Too many parts. (TOO_MANY_PARTS)")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Store, "replace_window", flaky)
    run_id = materialize_day(instance)  # the first write, the facts', fails
    retried = instance.get_records_for_run(run_id, of_type=DagsterEventType.STEP_UP_FOR_RETRY)
    assert len(retried.records) == 1
    assert instance.get_run_by_id(run_id).is_success


def test_every_query_has_the_configured_time_limit_on_chdb(store, monkeypatch):
    monkeypatch.setenv("POLLEN_QUERY_TIMEOUT_SECONDS", "1")
    client = ClickHouseResource().store().client
    assert client.get_client_setting("max_execution_time") == "1"
    started = time.monotonic()
    with pytest.raises(DatabaseError, match="TIMEOUT_EXCEEDED") as raised:
        client.command("SELECT sum(sleepEachRow(0.5)) FROM numbers(10) SETTINGS max_block_size=1")
    assert time.monotonic() - started < 3
    assert retries.is_transient(raised.value)
    monkeypatch.setenv("POLLEN_QUERY_TIMEOUT_SECONDS", "600")
    assert ClickHouseResource().store().client.get_client_setting("max_execution_time") == "600"
    monkeypatch.setenv("POLLEN_QUERY_TIMEOUT_SECONDS", "soon")
    with pytest.raises(SettingsError, match="POLLEN_QUERY_TIMEOUT_SECONDS"):
        ClickHouseResource().store()
    monkeypatch.delenv("POLLEN_QUERY_TIMEOUT_SECONDS")
    assert ClickHouseResource().store().client.get_client_setting("max_execution_time") == "600"
