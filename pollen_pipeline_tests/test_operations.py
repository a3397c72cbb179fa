"""The on-call tables (issue 15) equal an independent computation from hand-made events, each of
their checks passes on them and fails on a corrupted row, the alert rules fire on a burst and on
5xx and only then, and every panel of "Pollen Operations" shows the numbers computed here.

The events of one UTC day: every status code once (plus 200, 600 and a missing 0), refusals for
lack of balance, messages that differ only in ids or amounts, steady text traffic from 10:00 to
11:10 with a burst at 11:05, server errors of three provider x model pairs in the last ten
minutes (83% of 24, 60% of 20, 90% of 10 requests), image requests, an exact duplicate event and
a non-production event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pollen_pipeline import checks
from pollen_pipeline.defs.health import rules as latency
from pollen_pipeline.settings import SettingsError
from pollen_pipeline.store import Store, Window
from pollen_pipeline_tests import oracle
from pollen_pipeline_tests.alert_rules import rule_sql, rules_by_uid, threshold
from pollen_pipeline_tests.checking import evaluate
from pollen_pipeline_tests.databases import fresh_database, materialize
from pollen_pipeline_tests.events import at, event, insert_events
from pollen_pipeline_tests.grafana_panels import (
    as_utc,
    load_dashboard,
    resolve_variables,
    rows_as_dicts,
    run_query,
)
from pollen_pipeline_tests.grafana_sql import TimeRange, expand

UTC = dt.UTC
DAY = dt.date(2026, 3, 10)
WINDOW = Window(at("2026-03-10 00:00:00"), at("2026-03-11 00:00:00"))
OPS_TABLES = ("errors_hourly", "error_messages_daily", "load_minutely", "demand_daily")
TABLES = [
    *OPS_TABLES,
    "errors_daily",
    "platform_minutely",
    "health_hourly",
    "health_daily",
    "data_quality_daily",
]
DASHBOARD = (
    Path(__file__).resolve().parents[1] / "grafana" / "dashboards" / "pollen-operations.json"
)
DAY_RANGE = TimeRange(
    dt.datetime.combine(DAY, dt.time(), UTC),
    dt.datetime.combine(DAY, dt.time(23, 59, 59), UTC),
    interval_seconds=60,
)
WEEK_RANGE = TimeRange(
    dt.datetime.combine(DAY - dt.timedelta(days=6), dt.time(), UTC),
    dt.datetime.combine(DAY, dt.time(23, 59, 59), UTC),
    interval_seconds=600,
)

OPENAI = {"event_type": "generate.text", "model_provider_used": "azure"}
CLAUDE = {"model_provider_used": "aws", "resolved_model_requested": "claude"}
MISTRAL = {"model_provider_used": "scaleway", "resolved_model_requested": "mistral"}
FLUX = {
    "event_type": "generate.image",
    "model_provider_used": "io.net",
    "resolved_model_requested": "flux",
    "request_path": "/api/generate/image",
    "response_time": 5000.0,
}
SPORE = {"user_id": "u5", "user_github_id": "1005", "user_tier": "spore"}
SPORE_2 = {"user_id": "u6", "user_github_id": "1006", "user_tier": "spore"}
FLOWER = {"user_id": "u7", "user_github_id": "1007", "user_tier": "flower"}
# The gateway's error_response_code per status (enter.pollinations.ai error.ts): none for 402.
CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    422: "UNPROCESSABLE_ENTITY",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
}
TOKEN_KINDS = [f"prompt_{k}" for k in oracle.PROMPT_TOKENS] + [
    f"completion_{k}" for k in oracle.COMPLETION_TOKENS
]
_numbers = itertools.count()


def _event(
    time: str,
    profile: dict,
    status: int = 200,
    message: str = "undefined",
    *,
    day: dt.date = DAY,
    **fields,
):
    """One production event at ``day time``: every error and token column set."""
    number = next(_numbers)
    failed = not 200 <= status < 300
    row = {
        **profile,
        "response_status": status,
        "error_response_code": CODES.get(status, "UNKNOWN_ERROR") if failed else "undefined",
        "error_source": ("provider" if status >= 500 else "gateway") if failed else "undefined",
        "error_message": message,
        "total_price": 0.0 if failed else 0.002,
        **{f"token_count_{kind}": (number * 7 + i * 11) % 50 for i, kind in enumerate(TOKEN_KINDS)},
        **fields,
    }
    return event(f"{day} {time}", **row)


# Every status once, at 09:30 .. 09:42 (0: none recorded; 600: outside HTTP's range).
ZOO = [
    _event(f"09:{30 + i}:00", OPENAI, status, message, **SPORE)
    for i, (status, message) in enumerate(
        [
            (400, "Invalid request body"),
            (401, "Invalid API key"),
            (402, "This model requires a paid balance. Tier balance cannot be used."),
            (403, "Forbidden"),
            (404, "Model not found: gpt-9"),
            (422, "Validation failed at messages.0.content"),
            (429, "Rate limit exceeded, retry in 12 s"),
            (500, "Internal error"),
            (502, "Bad gateway"),
            (503, "Unable to verify balance. Please try again shortly."),
            (600, "Unknown status from upstream"),
            (0, "undefined"),
            (200, "undefined"),
        ]
    )
]
# Refused for lack of balance; the first two messages differ only in amounts.
REFUSALS = [
    _event(
        "09:50:00",
        OPENAI,
        402,
        "Insufficient balance. This model costs ~0.0123 pollen per request, but your available "
        "balance is 0.0040.",
        **SPORE,
    ),
    _event(
        "09:51:00",
        OPENAI,
        402,
        "Insufficient balance. This model costs ~1.5 pollen per request, but your available "
        "balance is 0.25.",
        **SPORE_2,
    ),
    _event("09:52:00", OPENAI, 402, "Insufficient pollen balance to use this model", **FLOWER),
    _event(
        "09:53:00",
        {**OPENAI, **CLAUDE},
        402,
        "Insufficient pollen balance to use this model",
        **SPORE,
    ),
    _event("09:54:00", OPENAI, 429, "Rate limit exceeded, retry in 3 s", **FLOWER),
]
LONG_MESSAGE = "a" * 150 + " request 123456789 of " + "b" * 100
LONG = _event("09:56:00", OPENAI, 500, LONG_MESSAGE)
# Delivered twice (same event id): counted twice everywhere, flagged by data_quality_daily.
DUPLICATE = _event("09:58:00", OPENAI, 500, "Internal error", total_price=0.01)
# Steady text traffic, 6 requests a minute from 10:00 to 11:10 (the newest minute).
STEADY = [
    _event(f"{10 + minute // 60:02d}:{minute % 60:02d}:{9 * i:02d}", OPENAI)
    for minute in range(71)
    for i in range(6)
]
# aws / claude, 11:01 .. 11:08: 20 of 24 requests 502 (83%): the critical rule pages.
CLAUDE_ERRORS = [
    _event(
        f"11:{1 + i % 8:02d}:{30 + i:02d}",
        CLAUDE,
        502,
        f"Upstream request {4821 + 37 * i} timed out after {30000 + 7 * i} ms",
    )
    if i < 20
    else _event(f"11:{1 + i % 8:02d}:{30 + i:02d}", CLAUDE)
    for i in range(24)
]
# io.net / flux images, 11:01 .. 11:09: 12 of 20 are 503 (60%): the warning rule only.
FLUX_ERRORS = [
    _event(f"11:{1 + i % 9:02d}:{10 + i:02d}", FLUX, 503 if i < 12 else 200, "No capacity")
    for i in range(20)
]
# scaleway / mistral, 11:02 .. 11:06: 9 of 10 are 500, too few requests for either rule.
MISTRAL_ERRORS = [
    _event(f"11:{2 + i % 5:02d}:{20 + i:02d}", MISTRAL, 500 if i < 9 else 200, "Internal error")
    for i in range(10)
]
BURST = [_event(f"11:05:{second:02d}", OPENAI) for second in range(40)]
ELSEWHERE = _event("11:05:59", OPENAI, 500, "Internal error", environment="development")
CALM = [
    *ZOO,
    *REFUSALS,
    LONG,
    DUPLICATE,
    DUPLICATE,
    *STEADY,
    *CLAUDE_ERRORS,
    *FLUX_ERRORS,
    *MISTRAL_ERRORS,
    ELSEWHERE,
]
EVENTS = [*CALM, *BURST]
PRODUCTION = oracle.production(EVENTS)


# --- Reading the store ----------------------------------------------------------------------


@contextmanager
def in_database(store: Store) -> Iterator[None]:
    """Unqualified table names (as Grafana sends them) name the store's tables meanwhile."""
    store.command(f"USE {store.database}")
    try:
        yield
    finally:
        store.command("USE default")


def query(store: Store, sql: str) -> list[dict[str, Any]]:
    with in_database(store):
        return rows_as_dicts(run_query(store, sql))


def stored(store: Store, table: str, keys: list[str], values: list[str]) -> dict[tuple, tuple]:
    """Key columns -> value columns of every row of ``table``; times as aware UTC datetimes."""
    rows = store.rows(f"SELECT {', '.join(keys + values)} FROM {store.table(table)}")
    plain = [tuple(_plain(value) for value in row) for row in rows]
    return {row[: len(keys)]: row[len(keys) :] for row in plain}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return as_utc(value)
    return list(value) if isinstance(value, list | tuple) else value


def expected(events: list[dict], key: Callable, measures: Callable) -> dict[tuple, tuple]:
    return {k: measures(group) for k, group in oracle.group(events, key).items()}


def assert_same(actual: dict[tuple, tuple], wanted: dict[tuple, tuple]) -> None:
    assert actual.keys() == wanted.keys()
    for key, values in wanted.items():
        for got, want in zip(actual[key], values, strict=True):
            if isinstance(want, float):
                assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), (key, got, want)
            else:
                assert got == want, (key, got, want)


@pytest.fixture(scope="module")
def loaded(store_url: str) -> Iterator[Store]:
    """One materialized database for the module's read-only tests."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        insert_events(store, EVENTS)
        materialize(DAY, DAY, *TABLES)
        yield store


# --- The tables equal the events --------------------------------------------------------------


def _span(group: list[dict]) -> tuple:
    return (
        len(group),
        sum(e["total_price"] for e in group),
        min(e["start_time"] for e in group),
        max(e["start_time"] for e in group),
    )


ERROR_KEYS = [
    "model_provider_used",
    "resolved_model_requested",
    "response_status",
    "error_response_code",
    "error_source",
]


def _errors_match(store: Store, table: str, period: str, of: Callable) -> dict[tuple, tuple]:
    """The error table's rows equal the production errors grouped by ``of`` (their hour or day)
    and :data:`ERROR_KEYS`; returns the rows."""
    errors = [e for e in PRODUCTION if oracle.is_error(e)]
    wanted = expected(errors, lambda e: (of(e), *(e[key] for key in ERROR_KEYS)), measures=_span)
    actual = stored(
        store, table, [period, *ERROR_KEYS], ["events", "total_pollen", "first_at", "last_at"]
    )
    assert_same(actual, wanted)
    return actual


def test_errors_daily_equals_the_events(loaded):
    assert {key[0] for key in _errors_match(loaded, "errors_daily", "day", oracle.day)} == {DAY}


def test_errors_hourly_equals_the_events(loaded):
    actual = _errors_match(loaded, "errors_hourly", "hour", oracle.hour)
    statuses = {key[3] for key in actual}
    assert statuses == {400, 401, 402, 403, 404, 422, 429, 500, 502, 503, 600, 0}
    twice = actual[(oracle.hour(DUPLICATE), "azure", "openai", 500, "INTERNAL_ERROR", "provider")]
    # the duplicate twice, with LONG's and the zoo's 500 of the same hour
    assert twice[:2] == (2 + 2, pytest.approx(0.01 * 2))


def test_error_messages_are_normalised_and_equal_the_events(loaded):
    keys = ["day", "error_response_code", "model_provider_used", "response_status", "message"]
    errors = [e for e in PRODUCTION if oracle.is_error(e)]
    wanted = expected(
        errors,
        lambda e: (
            oracle.day(e),
            e["error_response_code"],
            e["model_provider_used"],
            e["response_status"],
            oracle.normalised_message(e["error_message"]),
        ),
        measures=_span,
    )
    actual = stored(
        loaded, "error_messages_daily", keys, ["events", "total_pollen", "first_at", "last_at"]
    )
    assert_same(actual, wanted)
    messages = {key[4]: values[0] for key, values in actual.items()}
    # Two refusals with other amounts are one message; twenty request ids are one message.
    insufficient = "Insufficient balance. This model costs ~#.# pollen per request, but your "
    assert messages[insufficient + "available balance is #.#."] == 2
    assert messages["Upstream request # timed out after # ms"] == 20
    long = "a" * 150 + " request # of " + "b" * 36
    assert messages[long] == 1 and len(long) == 200
    assert {key[1] for key in actual if key[3] == 402} == {"UNKNOWN_ERROR"}  # no code for 402


def _load(group: list[dict]) -> tuple:
    statuses = [e["response_status"] for e in group]
    return (
        len(group),
        sum(200 <= s < 300 for s in statuses),
        sum(map(oracle.is_error, group)),
        sum(500 <= s < 600 for s in statuses),
        statuses.count(429),
        sum(map(oracle.tokens_in, group)),
        sum(map(oracle.tokens_out, group)),
        sum(e["response_time"] for e in group),
        sum(e["total_price"] for e in group),
    )


LOAD_KEYS = ["minute", "event_type", "model_provider_used", "resolved_model_requested"]
LOAD_VALUES = [
    "requests",
    "status_2xx",
    "errors",
    "status_5xx",
    "status_429",
    "tokens_in",
    "tokens_out",
    "response_time_sum",
    "total_pollen",
]


def test_load_minutely_equals_the_events(loaded):
    wanted = expected(
        PRODUCTION,
        lambda e: (oracle.minute(e), *(e[key] for key in LOAD_KEYS[1:])),
        measures=_load,
    )
    actual = stored(loaded, "load_minutely", LOAD_KEYS, LOAD_VALUES)
    assert_same(actual, wanted)
    burst = at(f"{DAY} 11:05:00")
    assert actual[(burst, "generate.text", "azure", "openai")][0] == 6 + 40


def test_demand_daily_equals_the_events(loaded):
    keys = ["day", "user_tier", "resolved_model_requested"]

    def demand(group: list[dict]) -> tuple:
        refused = [e for e in group if oracle.refused_for_balance(e)]
        return (
            len(group),
            sum(200 <= e["response_status"] < 300 for e in group),
            len(refused),
            sum(map(oracle.says_insufficient_balance, group)),
            sum(e["response_status"] == 429 for e in group),
            sorted({e["user_id"] for e in refused}),
            sum(e["total_price"] for e in group),
        )

    wanted = expected(
        PRODUCTION,
        lambda e: (oracle.day(e), e["user_tier"], e["resolved_model_requested"]),
        demand,
    )
    values = [
        "requests",
        "served",
        "refused_402",
        "insufficient_balance_messages",
        "rate_limited_429",
        "refused_user_ids",
        "total_pollen",
    ]
    actual = stored(loaded, "demand_daily", keys, values)
    assert_same(actual, wanted)
    # spore: the paid-only 402 is refused but says nothing of the balance
    spore = actual[(DAY, "spore", "openai")]
    assert spore[2:4] == (3, 2) and spore[5] == ["u5", "u6"]


def test_health_hourly_splits_event_types(loaded):
    keys = ["hour", "model_provider_used", "resolved_model_requested", "event_type"]
    wanted = expected(
        PRODUCTION, lambda e: (oracle.hour(e), *(e[key] for key in keys[1:])), lambda g: (len(g),)
    )
    assert_same(stored(loaded, "health_hourly", keys, ["requests"]), wanted)


def test_the_duplicate_is_counted_and_flagged(loaded):
    duplicates = loaded.scalar(
        f"SELECT duplicate_event_ids FROM {loaded.table('data_quality_daily')} "
        "WHERE day = {day:Date}",
        {"day": DAY},
    )
    assert duplicates == 1
    result = evaluate(loaded, "data_quality_daily", WINDOW)["no_duplicate_events"]
    assert not result.passed and result.severity.value == "WARN"


# --- Checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("table", OPS_TABLES)
def test_checks_pass_on_the_events(loaded, table):
    results = evaluate(loaded, table, WINDOW)
    assert results
    assert {name for name, result in results.items() if not result.passed} == set()


def test_message_cardinality_warns_above_its_configured_limit(loaded, monkeypatch):
    monkeypatch.setenv("POLLEN_ERROR_MESSAGE_LIMIT", "5")
    result = evaluate(loaded, "error_messages_daily", WINDOW)["message_cardinality_bounded"]
    assert not result.passed and result.severity.value == "WARN"
    messages = len(
        {oracle.normalised_message(e["error_message"]) for e in PRODUCTION if oracle.is_error(e)}
    )
    assert result.metadata["messages_by_day"].value == {str(DAY): messages}
    monkeypatch.setenv("POLLEN_ERROR_MESSAGE_LIMIT", str(messages))
    assert evaluate(loaded, "error_messages_daily", WINDOW)["message_cardinality_bounded"].passed
    monkeypatch.setenv("POLLEN_ERROR_MESSAGE_LIMIT", "many")
    with pytest.raises(SettingsError, match=r"^POLLEN_ERROR_MESSAGE_LIMIT='many' is not"):
        evaluate(loaded, "error_messages_daily", WINDOW)


ALTERED = "SETTINGS mutations_sync = 1"
# (table, a statement corrupting it, the check that must fail); key columns cannot be updated,
# so a corrupted key is an inserted copy of a row with that key changed.
CORRUPTIONS = [
    (
        "errors_hourly",
        f"ALTER TABLE {{table}} UPDATE events = events + 1 WHERE response_status = 502 {ALTERED}",
        checks.RECONCILES_WITH_RAW,
    ),
    (
        "errors_hourly",
        "INSERT INTO {table} SELECT * REPLACE (toUInt32(302) AS response_status) FROM {table} "
        "WHERE error_response_code = 'BAD_GATEWAY'",  # not the replaced column
        checks.SCHEMA_VALID,
    ),
    (
        "error_messages_daily",
        f"ALTER TABLE {{table}} UPDATE events = events + 1 WHERE response_status = 402 {ALTERED}",
        checks.RECONCILES_WITH_RAW,
    ),
    (
        "error_messages_daily",
        "INSERT INTO {table} SELECT * REPLACE ('Request 42 failed' AS message) FROM {table} "
        "WHERE response_status = 401",
        checks.SCHEMA_VALID,
    ),
    (
        "load_minutely",
        f"ALTER TABLE {{table}} UPDATE requests = requests + 1 WHERE status_5xx > 0 {ALTERED}",
        checks.RECONCILES_WITH_RAW,
    ),
    (
        "load_minutely",
        f"ALTER TABLE {{table}} UPDATE tokens_out = tokens_out + 1 "
        f"WHERE event_type = 'generate.image' {ALTERED}",
        "measures_match_raw",
    ),
    (
        "load_minutely",
        f"ALTER TABLE {{table}} UPDATE status_429 = errors + 1 WHERE status_429 > 0 {ALTERED}",
        checks.SCHEMA_VALID,
    ),
    (
        "demand_daily",
        f"ALTER TABLE {{table}} UPDATE refused_402 = refused_402 + 1 "
        f"WHERE user_tier = 'flower' {ALTERED}",
        "outcomes_match_raw",
    ),
    (
        "demand_daily",
        "ALTER TABLE {table} UPDATE refused_user_ids = arrayPushBack(refused_user_ids, 'u99') "
        f"WHERE refused_402 > 0 {ALTERED}",
        checks.SCHEMA_VALID,
    ),
]


@pytest.mark.parametrize(("table", "statement", "check"), CORRUPTIONS)
def test_each_check_fails_on_a_corrupted_row(store, table, statement, check):
    insert_events(store, EVENTS)
    materialize(DAY, DAY, table)
    assert evaluate(store, table, WINDOW)[check].passed
    store.command(statement.format(table=store.table(table)))
    result = evaluate(store, table, WINDOW)[check]
    assert not result.passed, result.description


def test_sums_of_a_day_without_events_match(store):
    insert_events(store, [event("2026-02-01T10:00:00")])  # another day: the window has none
    materialize(DAY, DAY, "load_minutely", "demand_daily")
    assert evaluate(store, "load_minutely", WINDOW)["measures_match_raw"].passed
    assert evaluate(store, "demand_daily", WINDOW)["outcomes_match_raw"].passed


def test_minute_measures_name_the_minute_that_differs_and_tolerate_float_order(store):
    insert_events(store, EVENTS)
    materialize(DAY, DAY, "load_minutely")
    table = store.table("load_minutely")
    minute = store.scalar(f"SELECT min(minute) FROM {table} WHERE tokens_out > 0")
    # a relative drift far below TOLERANCE: what adding the same floats in another order gives
    store.command(
        f"ALTER TABLE {table} UPDATE total_pollen = total_pollen * (1 + 1e-13) "
        f"WHERE total_pollen > 0 {ALTERED}"
    )
    assert evaluate(store, "load_minutely", WINDOW)["measures_match_raw"].passed
    store.command(
        f"ALTER TABLE {table} UPDATE tokens_out = tokens_out + 1 "
        f"WHERE minute = {{minute:DateTime('UTC')}} {ALTERED}",
        {"minute": minute},
    )
    in_minute = {"minute": minute}
    rows_in_minute = store.scalar(
        f"SELECT count() FROM {table} WHERE minute = {{minute:DateTime('UTC')}}", in_minute
    )
    result = evaluate(store, "load_minutely", WINDOW)["measures_match_raw"]
    assert not result.passed
    ((period, values),) = result.metadata["mismatched_periods"].value.items()
    assert period == checks.utc(minute).isoformat()
    assert values["table"]["tokens_out"] - values["raw"]["tokens_out"] == rows_in_minute
    assert result.metadata["largest_difference"].value == rows_in_minute
    assert result.metadata["rows_differing"].value == 1


# --- Alert rules ------------------------------------------------------------------------------

MINUTE = dt.timedelta(minutes=1)


def rule_values(store: Store, uid: str) -> dict[tuple[str, ...], float]:
    """The rule's instances (its string columns, as Grafana makes labels of them) -> value."""
    values = {}
    for row in query(store, rule_sql(rules_by_uid()[uid])):
        (value,) = [v for v in row.values() if not isinstance(v, str)]
        if value is not None:  # reduce's dropNN
            values[tuple(v for v in row.values() if isinstance(v, str))] = value
    return values


def firing(store: Store, uid: str) -> dict[tuple[str, ...], float]:
    """The instances above the rule's threshold (every rule's evaluator is gt)."""
    limit = threshold(rules_by_uid()[uid])
    return {labels: v for labels, v in rule_values(store, uid).items() if v > limit}


def server_error_shares(events: list[dict]) -> dict[tuple[str, str], float]:
    """5xx / requests per (model, provider) over the ten newest minutes, with >= 20 requests."""
    production = oracle.production(events)
    newest = max(map(oracle.minute, production))
    recent = [e for e in production if oracle.minute(e) > newest - 10 * MINUTE]
    groups = oracle.group(
        recent, lambda e: (e["resolved_model_requested"], e["model_provider_used"])
    )
    return {
        key: sum(500 <= e["response_status"] < 600 for e in group) / len(group)
        for key, group in groups.items()
        if len(group) >= 20
    }


def sudden_load_ratio(events: list[dict]) -> float:
    """The highest, over the ten minutes before the newest, of a minute's requests against the
    average requests per minute of the 60 minutes before it."""
    counts = Counter(oracle.minute(e) for e in oracle.production(events))
    newest = max(counts)
    ratios = [
        counts[minute] * 60 / previous
        for minute in (newest - k * MINUTE for k in range(1, 11))
        if (previous := sum(counts[minute - k * MINUTE] for k in range(1, 61)))
    ]
    return max(ratios)


def test_server_error_rules_page_for_83_percent_and_warn_for_60(loaded):
    shares = server_error_shares(EVENTS)
    assert ("mistral", "scaleway") not in shares  # 90%, but 10 requests
    assert rule_values(loaded, "pollen-5xx-critical") == pytest.approx(shares)
    assert firing(loaded, "pollen-5xx-critical") == pytest.approx({("claude", "aws"): 20 / 24})
    assert firing(loaded, "pollen-5xx-warning") == pytest.approx({("flux", "io.net"): 12 / 20})
    assert ("openai", "azure") in rule_values(loaded, "pollen-5xx-warning")  # 0%: no alert


def test_sudden_load_rule_fires_on_the_burst_only(loaded, store):
    assert firing(loaded, "pollen-sudden-load") == pytest.approx({(): sudden_load_ratio(EVENTS)})
    insert_events(store, CALM)
    materialize(DAY, DAY, "load_minutely")
    calm = sudden_load_ratio(CALM)
    assert calm <= threshold(rules_by_uid()["pollen-sudden-load"])
    assert rule_values(store, "pollen-sudden-load") == pytest.approx({(): calm})
    assert not firing(store, "pollen-sudden-load")


def test_rules_link_the_panels_that_show_their_numbers():
    titles = {panel["id"]: panel["title"] for panel in load_dashboard(DASHBOARD)["panels"]}
    linked = {
        uid: titles[rules_by_uid()[uid]["panelId"]]
        for uid in ("pollen-5xx-critical", "pollen-5xx-warning", "pollen-sudden-load")
    }
    assert linked == {
        "pollen-5xx-critical": "5xx share by provider x model (10-minute windows)",
        "pollen-5xx-warning": "5xx share by provider x model (10-minute windows)",
        "pollen-sudden-load": "Sudden load: a minute against the hour before",
    }


# --- The dashboard ----------------------------------------------------------------------------


def panels(
    store: Store, choose: dict | None = None, time_range: TimeRange = DAY_RANGE
) -> dict[str, list[dict[str, Any]]]:
    """Panel title -> rows, every panel of the dashboard, variables as ``choose``."""
    dashboard = load_dashboard(DASHBOARD)
    with in_database(store):
        variables = resolve_variables(store, dashboard, time_range, choose or {})
        return {
            panel["title"]: rows_as_dicts(
                run_query(store, expand(target["rawSql"], variables, time_range))
            )
            for panel in dashboard["panels"]
            for target in panel["targets"]
        }


def test_every_panel_reads_summary_tables_and_returns_rows(loaded):
    for panel in load_dashboard(DASHBOARD)["panels"]:
        for target in panel["targets"]:
            assert "generation_event" not in target["rawSql"], panel["title"]
    for title, rows in panels(loaded).items():
        assert rows, title


def test_load_panels_show_peak_and_average_rpm_tokens_and_images(loaded):
    results = panels(loaded)
    counts = Counter(map(oracle.minute, PRODUCTION))
    span = (max(counts) - min(counts)) / MINUTE + 1
    (rpm,) = results["Requests per minute: peak and average"]
    assert rpm["peak_rpm_1m"] == max(counts.values()) == counts[at(f"{DAY} 11:05:00")]
    busiest_15 = max(sum(counts[m - k * MINUTE] for k in range(15)) for m in counts)
    assert rpm["peak_rpm_15m"] == pytest.approx(busiest_15 / 15)
    assert rpm["average_rpm"] == pytest.approx(len(PRODUCTION) / span)
    (throughput,) = results["Tokens per second and images per minute"]
    tokens = sum(oracle.tokens_in(e) + oracle.tokens_out(e) for e in PRODUCTION)
    assert throughput["tokens_per_second"] == pytest.approx(tokens / (60 * span))
    images = [e for e in PRODUCTION if e["event_type"] == "generate.image"]
    assert throughput["images_per_minute"] == pytest.approx(len(images) / span)
    assert throughput["peak_images_per_minute"] == max(Counter(map(oracle.minute, images)).values())
    image_series = results["Images per minute by provider"]
    assert {row["provider"] for row in image_series} == {"io.net"}
    assert sum(row["images_per_minute"] for row in image_series) == len(images)  # 1-minute buckets


def test_minute_peaks_of_a_chosen_provider_read_its_minutes(loaded):
    """A provider chosen: the peaks are of its minutes (load_minutely's rows), not the
    platform's (platform_minutely's)."""
    results = panels(loaded, {"provider": ["aws"]})
    aws = [e for e in PRODUCTION if e["model_provider_used"] == "aws"]
    counts = Counter(map(oracle.minute, aws))
    (rpm,) = results["Requests per minute: peak and average"]
    assert rpm["peak_rpm_1m"] == max(counts.values())
    span = (max(counts) - min(counts)) / MINUTE + 1
    assert rpm["average_rpm"] == pytest.approx(len(aws) / span)
    (throughput,) = results["Tokens per second and images per minute"]
    tokens = sum(oracle.tokens_in(e) + oracle.tokens_out(e) for e in aws)
    assert throughput["tokens_per_second"] == pytest.approx(tokens / (60 * span))


def test_errors_daily_check_fails_on_a_changed_day(store):
    insert_events(store, EVENTS)
    materialize(DAY, DAY, "errors_hourly", "errors_daily")
    assert evaluate(store, "errors_daily", WINDOW)["days_sum_hours"].passed
    store.command(
        f"ALTER TABLE {store.table('errors_daily')} UPDATE last_at = last_at + 1 "
        f"WHERE response_status = 502 {ALTERED}"
    )
    result = evaluate(store, "errors_daily", WINDOW)["days_sum_hours"]
    assert not result.passed, result.description


def test_platform_minutely_sums_the_minutes_and_its_check_fails_on_a_changed_one(store):
    insert_events(store, EVENTS)
    materialize(DAY, DAY, "load_minutely", "platform_minutely")
    rows = store.rows(
        "SELECT minute, requests, tokens, image_requests "
        f"FROM {store.table('platform_minutely')} ORDER BY minute"
    )
    wanted = expected(
        PRODUCTION,
        lambda e: (oracle.minute(e),),
        lambda group: (
            len(group),
            sum(oracle.tokens_in(e) + oracle.tokens_out(e) for e in group),
            sum(e["event_type"] == "generate.image" for e in group),
        ),
    )
    assert_same({(as_utc(minute),): tuple(values) for minute, *values in rows}, wanted)
    assert evaluate(store, "platform_minutely", WINDOW)["load_minutely_summed"].passed
    store.command(
        f"ALTER TABLE {store.table('platform_minutely')} UPDATE image_requests = 0 "
        f"WHERE image_requests > 0 {ALTERED}"
    )
    result = evaluate(store, "platform_minutely", WINDOW)["load_minutely_summed"]
    images = {oracle.minute(e) for e in PRODUCTION if e["event_type"] == "generate.image"}
    assert not result.passed
    assert result.description.startswith(f"{len(images)} minutes differ")
    # minutes missing from the table (here all but the image minutes) differ too
    store.command(
        f"ALTER TABLE {store.table('platform_minutely')} DELETE WHERE image_requests = 0 "
        f"AND requests > 0 {ALTERED}"
    )
    result = evaluate(store, "platform_minutely", WINDOW)["load_minutely_summed"]
    assert not result.passed
    assert result.metadata["differing"].value


def test_error_panels_show_statuses_rates_and_top_messages(loaded):
    results = panels(loaded)
    errors = [e for e in PRODUCTION if oracle.is_error(e)]
    by_status = Counter()
    for row in results["Errors by status code"]:
        by_status[row["status"]] += row["errors"]
    assert by_status == Counter(str(e["response_status"]) for e in errors)
    rates = {(r["provider"], r["model"]): r for r in results["Error rates by provider x model"]}
    assert rates[("aws", "claude")]["error_share"] == pytest.approx(21 / 25)  # with the 402
    assert rates[("aws", "claude")]["server_error_share"] == pytest.approx(20 / 25)
    shares = {
        (row["time"], row["provider_model"]): row["server_error_share"]
        for row in results["5xx share by provider x model (10-minute windows)"]
    }
    assert shares[(at(f"{DAY} 11:00:00"), "aws - claude")] == pytest.approx(20 / 24)
    messages = Counter(
        (
            oracle.normalised_message(e["error_message"]),
            e["response_status"],
            e["error_response_code"],
            e["model_provider_used"],
        )
        for e in errors
        if e["error_message"] not in ("undefined", "")
    )
    top = results["Top error messages"]
    assert {
        (r["message"], r["status"], r["code"], r["provider"]): r["error_count"] for r in top
    } == messages
    assert (top[0]["message"], top[0]["error_count"]) == (
        "Upstream request # timed out after # ms",
        20,
    )


def test_refused_demand_and_rate_limiting_by_tier(loaded):
    rows = {
        row["tier"]: row
        for row in panels(loaded)["Refused demand (402) and rate limiting (429) by tier"]
    }
    for tier, group in oracle.group(PRODUCTION, lambda e: e["user_tier"]).items():
        refused = [e for e in group if oracle.refused_for_balance(e)]
        assert rows[tier]["request_count"] == len(group)
        assert rows[tier]["refused_count"] == len(refused)
        assert rows[tier]["refused_user_count"] == len({e["user_id"] for e in refused})
        assert rows[tier]["insufficient_balance_count"] == sum(
            map(oracle.says_insufficient_balance, group)
        )
        assert rows[tier]["rate_limited_count"] == sum(e["response_status"] == 429 for e in group)
    # u5 was refused on two models: one user, although two of the table's rows hold it
    assert (rows["spore"]["refused_count"], rows["spore"]["refused_user_count"]) == (4, 2)


# Refusals over three weeks: u5 (spore) 20 and 3 days before DAY and on DAY, u6 (spore) 20 days
# before only, u7 (flower) on DAY, and a served request of a seed user 3 days before.
REFUSED_OVER_WEEKS = [
    (20, OPENAI, 402, SPORE),
    (20, OPENAI, 402, SPORE_2),
    (3, {**OPENAI, **CLAUDE}, 402, SPORE),
    (3, OPENAI, 200, {"user_id": "u8", "user_github_id": "1008", "user_tier": "seed"}),
    (0, OPENAI, 402, SPORE),
    (0, OPENAI, 402, FLOWER),
]


def _days_before(days: int, start: dt.time = dt.time()) -> TimeRange:
    """The ``days`` UTC days up to DAY, from ``start`` on the first (a standard range from
    midnight: one as_of of the *_ranges tables; a second later: the daily tables)."""
    first = dt.datetime.combine(DAY - dt.timedelta(days=days - 1), start, UTC)
    return TimeRange(first, dt.datetime.combine(DAY, dt.time(23, 59, 59), UTC), 86400)


def test_refused_users_per_range_are_counted_once_over_the_days(store):
    """demand_ranges counts each refused user once per tier and range, whatever the days and
    models it was refused on; the panel reads it for a standard range and gives the daily
    tables' numbers; its check fails on a changed count."""
    insert_events(
        store,
        [
            _event("10:00:00", profile, status, day=DAY - dt.timedelta(days=days), **user)
            for days, profile, status, user in REFUSED_OVER_WEEKS
        ],
    )
    materialize(DAY - dt.timedelta(days=20), DAY, "demand_daily", "demand_ranges")
    rows = store.rows(
        f"SELECT window_days, user_tier, refused_users FROM {store.table('demand_ranges')} "
        "WHERE as_of = {day:Date}",
        {"day": DAY},
    )
    counts = {(window, tier): users for window, tier, users in rows}
    # 7 days: u5 (3 and 0 days before), u7; 30 days: u6 too; seed: requests, nobody refused
    assert counts == {
        (7, "spore"): 1,
        (7, "flower"): 1,
        (7, "seed"): 0,
        (30, "spore"): 2,
        (30, "flower"): 1,
        (30, "seed"): 0,
        (90, "spore"): 2,
        (90, "flower"): 1,
        (90, "seed"): 0,
    }
    title = "Refused demand (402) and rate limiting (429) by tier"
    for days, spore_users in ((7, 1), (30, 2)):
        ranged = panels(store, time_range=_days_before(days))[title]
        daily = panels(store, time_range=_days_before(days, dt.time(0, 0, 1)))[title]
        assert ranged == daily
        assert {row["tier"]: row["refused_user_count"] for row in ranged}["spore"] == spore_users
    window = Window(at(f"{DAY} 00:00:00"), at(f"{DAY + dt.timedelta(days=1)} 00:00:00"))
    assert evaluate(store, "demand_ranges", window)["refused_users_match_daily"].passed
    store.command(
        f"ALTER TABLE {store.table('demand_ranges')} UPDATE refused_users = refused_users + 1 "
        f"WHERE window_days = 30 AND user_tier = 'spore' {ALTERED}"
    )
    assert not evaluate(store, "demand_ranges", window)["refused_users_match_daily"].passed


def test_latency_by_event_type_and_the_event_type_variable(loaded):
    rows = panels(loaded)["Latency by event type and provider"]
    for row in rows:
        want = 5000.0 if row["event_type"] == "generate.image" else 800.0
        assert row["p95_ms"] == pytest.approx(want, rel=latency.RELATIVE_RESOLUTION)
    images_only = panels(loaded, {"eventType": ["generate.image"]})
    assert {row["event_type"] for row in images_only["Requests per minute by event type"]} == {
        "generate.image"
    }


def test_ranges_longer_than_a_day_read_the_same_counts_per_hour(loaded):
    day, week = panels(loaded), panels(loaded, time_range=WEEK_RANGE)
    for title in ("Error rates by provider x model", "Requests per minute: peak and average"):
        assert week[title] == day[title], title
    hourly = week["Requests per minute by provider"]
    assert {as_utc(row["time"]).minute for row in hourly} == {0}  # health_hourly's hours
    assert sum(row["requests_per_minute"] * 60 for row in hourly) == pytest.approx(len(PRODUCTION))
    # daily buckets: DAY, whole in the range, is health_daily's row at its midnight
    by_day = panels(loaded, time_range=dataclasses.replace(WEEK_RANGE, interval_seconds=86400))
    daily = by_day["Requests per minute by provider"]
    assert {as_utc(row["time"]) for row in daily} == {at(f"{DAY} 00:00:00")}
    assert sum(row["requests_per_minute"] * 1440 for row in daily) == pytest.approx(len(PRODUCTION))
    assert by_day["Error rates by provider x model"] == day["Error rates by provider x model"]
