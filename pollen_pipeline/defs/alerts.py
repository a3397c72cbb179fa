"""Alerts: failed asset checks, failed runs and stale assets, posted to a webhook.

Open-source Dagster shows failed checks in its UI but sends nothing, so a sensor does it. It
reads the Dagster instance through its public API only, never the ClickHouse store: it runs in
the daemon, and the embedded store belongs to whichever run is writing.

Each tick reads, after its cursor:
- the runs that ended (``fetch_run_status_changes``), and each one's check evaluations
  (``get_records_for_run``): a run's evaluations are complete once it has ended, so each is
  read exactly once. The pipeline evaluates all of its checks inside runs;
- the freshness state of every asset (``get_freshness_state_records``), as Dagster's freshness
  daemon records it, compared with the state the cursor remembers.

Each failed evaluation (WARN or ERROR) is one alert; the same check (asset, check, partition)
passing later is one "recovered" message; an asset turning stale is one alert, fresh again one
message. The cursor (JSON) keeps the failing checks and the last freshness states.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from dagster import (
    AssetCheckEvaluation,
    AssetKey,
    DagsterEventType,
    DagsterInstance,
    DefaultSensorStatus,
    EventLogRecord,
    RunStatusChangeRecordsFilter,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from pollen_pipeline import webhook
from pollen_pipeline.check_history import partition_text, plain_metadata, severity_name
from pollen_pipeline.grain import RANGE_END_TAG, RANGE_START_TAG

WEBHOOK_URL_ENV = "POLLEN_ALERT_WEBHOOK_URL"
WEBHOOK_FORMAT_ENV = "POLLEN_ALERT_WEBHOOK_FORMAT"
DAGSTER_URL_ENV = "POLLEN_DAGSTER_URL"
DEFAULT_DAGSTER_URL = "http://localhost:3000"
FORMATS = ("json", "slack", "discord")
PARTITION_TAG = "dagster/partition"

BATCH = 100  # events of each kind read per tick; the rest wait for the next tick
# Without a cursor (first tick ever, or a reset) only the last hour is scanned: a new
# deployment must not replay the whole history of the instance into the channel.
FIRST_LOOKBACK = dt.timedelta(hours=1)
ENDED_RUNS = (
    DagsterEventType.RUN_SUCCESS,
    DagsterEventType.RUN_FAILURE,
    DagsterEventType.RUN_CANCELED,
)
FRESHNESS_CHECK = "freshness"  # the check name that stands for an asset's freshness policy
# Freshness states (FreshnessState values) that alert, with the severity they alert at.
STALE = {"WARN": "WARN", "FAIL": "ERROR"}
FRESH = "PASS"
# Metadata shown first in messages: the numbers a person looks at to judge a failure.
KEY_METADATA = (
    "difference",
    "raw_pollen",
    "table_pollen",
    "other_share_by_day",
    "missing_periods",
    "age_minutes",
    "latest_start_time",
)
MAX_METADATA_ITEMS = 8
# Failing checks remembered for a "recovered" message. A range run's partition text rarely
# repeats (hourly runs overlap by one hour), so keys of checks that never pass again for the
# same partition would pile up: the oldest are forgotten beyond this many.
MAX_FAILING = 1000
MAX_VALUE_CHARS = 300
DISCORD_LIMIT = 2000  # characters of `content` Discord accepts


@dataclass(frozen=True)
class Alert:
    """One message: a failed or recovered check, a failed run or a stale asset."""

    kind: str  # check_failed | check_recovered | run_failed | stale | fresh_again
    title: str
    asset: str = ""
    check: str = ""
    partition: str = ""
    severity: str = ""
    description: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    run_id: str = ""
    job: str = ""
    url: str = ""

    def text(self) -> str:
        """The message as a person reads it (Slack, Discord, logs)."""
        lines = [f"[{self.severity or 'OK'}] {self.title}"]
        if self.description:
            lines.append(self.description)
        lines += [f"{key}: {_compact(value)}" for key, value in self.metadata.items()]
        if self.url:
            lines.append(self.url)
        return "\n".join(lines)

    def payload(self, fmt: str) -> dict[str, Any]:
        """The webhook body for ``fmt`` (json, slack or discord)."""
        if fmt == "slack":
            return {"text": self.text()}
        if fmt == "discord":
            return {"content": self.text()[:DISCORD_LIMIT]}
        return {**asdict(self), "metadata": dict(self.metadata), "text": self.text()}


def _compact(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def key_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The few metadata entries worth a message, the telling ones first; long values cut."""
    plain = plain_metadata(metadata)
    ordered = [key for key in KEY_METADATA if key in plain]
    ordered += sorted(key for key in plain if key not in KEY_METADATA)
    shown = {}
    for key in ordered[:MAX_METADATA_ITEMS]:
        value = plain[key]
        small = len(json.dumps(value, default=str)) <= MAX_VALUE_CHARS
        shown[key] = value if small else _compact(value)
    return shown


def run_partition(tags: Mapping[str, str]) -> str:
    """A run's partition text from its tags, as ``check_history.partition_text`` writes it."""
    if PARTITION_TAG in tags:
        return tags[PARTITION_TAG]
    return partition_text(tags.get(RANGE_START_TAG), tags.get(RANGE_END_TAG))


def dagster_url() -> str:
    return os.environ.get(DAGSTER_URL_ENV, DEFAULT_DAGSTER_URL).rstrip("/")


# --- Cursor ------------------------------------------------------------------------------


@dataclass
class Cursor:
    """Where the last tick stopped, and which checks are failing (JSON in the sensor cursor)."""

    runs: dict[str, str] = field(default_factory=dict)  # run-end event type -> log cursor
    freshness: dict[str, str] = field(default_factory=dict)  # asset -> last state seen
    # Failing (asset, check, partition) keys, oldest first (a dict as an ordered set).
    failing: dict[tuple[str, str, str], None] = field(default_factory=dict)

    @classmethod
    def load(cls, raw: str | None) -> Cursor:
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:  # not ours (edited by hand?): start over from the lookback
            data = {}
        return cls(
            runs=dict(data.get("runs", {})),
            freshness=dict(data.get("freshness") or {}),
            failing=dict.fromkeys(tuple(key) for key in data.get("failing", [])),
        )

    def fail(self, key: tuple[str, str, str]) -> None:
        self.failing.pop(key, None)
        self.failing[key] = None  # newest last

    def recover(self, key: tuple[str, str, str]) -> bool:
        """True when ``key`` was failing; it is not any more."""
        return self.failing.pop(key, False) is None

    def dump(self) -> str:
        failing = [list(key) for key in self.failing][-MAX_FAILING:]
        return json.dumps({"runs": self.runs, "freshness": self.freshness, "failing": failing})


# --- Reading the instance ----------------------------------------------------------------


def _since_first_lookback() -> float:
    return (dt.datetime.now(dt.UTC) - FIRST_LOOKBACK).timestamp()


def _run_ends(
    instance: DagsterInstance, event_type: DagsterEventType, previous: str | None
) -> tuple[Sequence[EventLogRecord], str]:
    """Run-end events of one type after ``previous``, oldest first, and the new cursor."""
    if previous:
        result = instance.fetch_run_status_changes(
            event_type, limit=BATCH, cursor=previous, ascending=True
        )
        return result.records, result.cursor
    # First tick: anchor at the newest event before reading the lookback, so that nothing
    # arriving in between is skipped, and nothing older than the lookback is replayed.
    anchor = instance.fetch_run_status_changes(event_type, limit=1, ascending=False).cursor
    recent = instance.fetch_run_status_changes(
        RunStatusChangeRecordsFilter(event_type, after_timestamp=_since_first_lookback()),
        limit=BATCH,
        ascending=True,
    )
    return recent.records, recent.cursor if recent.records else anchor


def _ended_runs(instance: DagsterInstance, cursor: Cursor) -> list[EventLogRecord]:
    """Run-end events after the cursor, oldest first; advances the cursor past them."""
    records: list[EventLogRecord] = []
    for event_type in ENDED_RUNS:
        found, cursor.runs[event_type.value] = _run_ends(
            instance, event_type, cursor.runs.get(event_type.value)
        )
        records += found
    return sorted(records, key=lambda record: record.storage_id)


def _freshness_states(
    instance: DagsterInstance, keys: Sequence[AssetKey], cursor: Cursor
) -> list[tuple[AssetKey, str, str]]:
    """(asset, state, state before) of the assets whose freshness state changed since the
    cursor; on the first tick only changes of the lookback count, so no history is replayed."""
    since = dt.datetime.now(dt.UTC) - FIRST_LOOKBACK
    first_tick = not cursor.freshness
    changed = []
    for key, record in instance.get_freshness_state_records(keys).items():
        asset, state = key.to_user_string(), record.freshness_state.value
        before = cursor.freshness.get(asset, "UNKNOWN")
        cursor.freshness[asset] = state
        if state != before and not (first_tick and record.updated_at < since):
            changed.append((key, state, before))
    return changed


# --- Turning events into alerts ----------------------------------------------------------


def _check_alerts(instance: DagsterInstance, run_id: str, cursor: Cursor, base: str) -> list[Alert]:
    """The alerts of one ended run's check evaluations; updates the failing set."""
    run = instance.get_run_by_id(run_id)
    tags = run.tags if run else {}
    records = instance.get_records_for_run(
        run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    alerts = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.asset_check_evaluation_data
        partition = evaluation.partition or run_partition(tags)
        key = (evaluation.asset_key.to_user_string(), evaluation.check_name, partition)
        kind = _transition(cursor, key, evaluation.passed)
        if kind is not None:
            job = run.job_name if run else ""
            alerts.append(_check_alert(kind, evaluation, partition, run_id, job, base))
    return alerts


def _check_alert(
    kind: str, evaluation: AssetCheckEvaluation, partition: str, run_id: str, job: str, base: str
) -> Alert:
    asset, check = evaluation.asset_key.to_user_string(), evaluation.check_name
    failed = kind == "check_failed"
    where = f" (partition {partition})" if partition else ""
    return Alert(
        kind=kind,
        title=f"Check {'failed' if failed else 'recovered'}: {asset} / {check}{where}",
        asset=asset,
        check=check,
        partition=partition,
        severity=severity_name(evaluation.severity) if failed else "",
        description=evaluation.description or "",
        metadata=key_metadata(evaluation.metadata),
        run_id=run_id,
        job=job,
        url=f"{base}/runs/{run_id}",
    )


def _transition(cursor: Cursor, key: tuple[str, str, str], passed: bool) -> str | None:
    """check_failed for every failure, check_recovered for the first pass after one."""
    if not passed:
        cursor.fail(key)
        return "check_failed"
    return "check_recovered" if cursor.recover(key) else None


def _run_failure_alert(instance: DagsterInstance, record: EventLogRecord, base: str) -> Alert:
    run_id = record.event_log_entry.run_id
    run = instance.get_run_by_id(run_id)
    job = run.job_name if run else record.event_log_entry.job_name or ""
    partition = run_partition(run.tags) if run else ""
    event = record.event_log_entry.dagster_event
    return Alert(
        kind="run_failed",
        title=f"Run failed: {job}" + (f" (partition {partition})" if partition else ""),
        partition=partition,
        severity="ERROR",
        description=(event.message if event else None) or record.event_log_entry.message,
        run_id=run_id,
        job=job,
        url=f"{base}/runs/{run_id}",
    )


def _freshness_alert(
    key: AssetKey, state: str, before: str, cursor: Cursor, base: str
) -> Alert | None:
    asset = key.to_user_string()
    check_key, was = (asset, FRESHNESS_CHECK, ""), f"{state} (was {before})"
    url = f"{base}/assets/{'/'.join(key.path)}"
    if state in STALE:
        cursor.fail(check_key)
        return Alert(
            kind="stale",
            title=f"Stale: {asset} is {was} against its freshness policy",
            asset=asset,
            check=FRESHNESS_CHECK,
            severity=STALE[state],
            description="The asset has not been materialized as its schedule requires.",
            url=url,
        )
    if state == FRESH and cursor.recover(check_key):
        return Alert(
            kind="fresh_again",
            title=f"Fresh again: {asset} is {was}",
            asset=asset,
            check=FRESHNESS_CHECK,
            url=url,
        )
    return None


def collect_alerts(
    instance: DagsterInstance, cursor: Cursor, assets: Sequence[AssetKey] = ()
) -> list[Alert]:
    """Every alert since ``cursor`` (runs in the order they ended, then the freshness of
    ``assets``); advances ``cursor``."""
    base = dagster_url()
    alerts: list[Alert] = []
    for record in _ended_runs(instance, cursor):
        run_id = record.event_log_entry.run_id
        alerts += _check_alerts(instance, run_id, cursor, base)
        if record.event_log_entry.dagster_event_type == DagsterEventType.RUN_FAILURE:
            alerts.append(_run_failure_alert(instance, record, base))
    for key, state, before in _freshness_states(instance, assets, cursor):
        alert = _freshness_alert(key, state, before, cursor, base)
        if alert is not None:
            alerts.append(alert)
    return alerts


# --- Delivery ----------------------------------------------------------------------------


def webhook_format() -> str:
    fmt = os.environ.get(WEBHOOK_FORMAT_ENV, "json").strip().lower() or "json"
    return fmt if fmt in FORMATS else "json"


def deliver(alerts: Iterable[Alert], log: Any) -> int:
    """Log every alert and post it when a webhook is configured; return how many were posted.

    After one alert could not be delivered, the rest of the tick are only logged: a dead
    webhook must not hold the sensor for attempts x time-out x alerts.
    """
    url = os.environ.get(WEBHOOK_URL_ENV, "").strip()
    fmt = webhook_format()
    posted, reachable = 0, bool(url)
    for alert in alerts:
        log.warning(f"pollen alert: {alert.text()}")
        if reachable:
            body = json.dumps(alert.payload(fmt), default=str).encode()
            reachable = webhook.post(url, body, "application/json", log, "alert webhook")
            posted += reachable
    return posted


@sensor(
    name="pollen_alerts",
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description=(
        "Posts failed asset checks (WARN and ERROR), their recoveries, failed runs and "
        "freshness-policy failures to POLLEN_ALERT_WEBHOOK_URL (logs only when unset)."
    ),
)
def alert_sensor(context: SensorEvaluationContext) -> SkipReason:
    """Read the instance after the cursor, post the alerts, move the cursor. Never raises."""
    try:
        cursor = Cursor.load(context.cursor)
        assets = context.repository_def.asset_graph.get_all_asset_keys()
        alerts = collect_alerts(context.instance, cursor, sorted(assets))
        posted = deliver(alerts, context.log)
        context.update_cursor(cursor.dump())
    except Exception as error:  # a broken tick must not stop the next ones
        context.log.exception("alert sensor tick failed")
        return SkipReason(f"alert scan failed: {type(error).__name__}: {error}")
    return SkipReason(f"{len(alerts)} alerts, {posted} posted")
