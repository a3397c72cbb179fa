"""The weekly report (issue 16): report.json equals numbers worked out by hand from two weeks of
events; the page renders in headless Chromium with its numbers and charts; an empty range says
so; a range before the first partition is a one-line error; the weekly asset writes the report
and posts it to a webhook, and still materializes when the webhook is dead."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dagster import DagsterInstance, materialize

from pollen_pipeline import cli, report
from pollen_pipeline.report import delivery
from pollen_pipeline.report.numbers import Span, bug_window_days
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.store import Store
from pollen_pipeline_tests.browser import chromium, missing_browser
from pollen_pipeline_tests.databases import definitions, fresh_database
from pollen_pipeline_tests.databases import materialize as materialize_days
from pollen_pipeline_tests.events import event, insert_events

WEEK = Span(dt.date(2026, 3, 2), dt.date(2026, 3, 8))  # Monday .. Sunday
BEFORE = Span(dt.date(2026, 2, 23), dt.date(2026, 3, 1))
TIER, PACK, DEV = "local:tier", "local:pack", "local:dev"
ALICE = {
    "user_id": "alice",
    "user_github_id": "1001",
    "user_github_username": "alice",
    "user_tier": "seed",
    "api_key_id": "k-a",
    "api_key_name": "alice-app",
    "api_key_type": "secret",
}
BOB = {
    "user_id": "bob",
    "user_github_id": "1002",
    "user_github_username": "bob",
    "user_tier": "flower",
    "api_key_id": "k-b",
    "api_key_name": "bob-bot",
    "api_key_type": "publishable",
}
ROUTER = {"user_id": "router", "user_github_id": "241978997", "user_tier": "router"}


def spend(day: str, meter: str, price: float, model: str, who: dict) -> dict[str, Any]:
    # balances as the gateway records them: tier first, other meters only once it is empty
    balances = {"local:tier": 3.0 if meter == TIER else 0.0, "local:pack": 50.0}
    return event(
        f"{day} 12:00:00",
        selected_meter_slug=meter,
        total_price=price,
        resolved_model_requested=model,
        balances=balances,
        **who,
    )


EVENTS = [
    # the week before: alice signs up (tier) on 02-24 and buys a pack 2 days later
    spend("2026-02-24", TIER, 1.0, "openai", ALICE),
    spend("2026-02-26", PACK, 1.0, "openai", ALICE),
    spend("2026-02-25", TIER, 2.0, "veo", BOB),
    # the week
    spend("2026-03-02", TIER, 2.0, "openai", ALICE),
    spend("2026-03-03", PACK, 6.0, "flux", ALICE),
    spend("2026-03-05", TIER, 1.0, "openai", ALICE),
    spend("2026-03-04", TIER, 3.0, "veo", BOB),
    spend("2026-03-06", DEV, 0.5, "openai", BOB),  # another meter: in totals only
    spend("2026-03-04", TIER, 4.0, "openai", ROUTER),  # ROUTER: its share only
    event("2026-03-04 13:00:00", response_status=500, total_price=9.0, **ALICE),  # not counted
]


@pytest.fixture(scope="module")
def loaded(store_url: str) -> Iterator[Store]:
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        insert_events(store, EVENTS)
        # the tables the report reads (and those they roll up from)
        materialize_days(BEFORE.first, WEEK.last, "group:core", "group:economics", "group:tiers")
        yield store


@pytest.fixture(scope="module")
def written(loaded: Store, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("report")
    report.write_report(loaded, WEEK, out)
    return json.loads((out / "report.json").read_text()), out


def close(actual: float | None, expected: float | None) -> bool:
    if expected is None:
        return actual is None
    return actual is not None and abs(actual - expected) <= 1e-9 * max(1.0, abs(expected))


def test_headline_numbers_equal_the_events(written):
    numbers, _ = written
    expected = {
        "total_pollen": 2.0 + 6.0 + 1.0 + 3.0 + 0.5,
        "pack_pollen": 6.0,
        "tier_pollen": 6.0,
        "other_pollen": 0.5,
        "paid_share": 0.5,
        "free_share": 0.5,
        "router_share": 4.0 / (12.5 + 4.0),
        "requests": 5,
        "active_users": 2,
        # as known on 03-08, both cohorts are 7+ days old; alice bought within 2 days, bob never
        "conversion_rate_7d": 0.5,
    }
    assert (numbers["start"], numbers["end"], numbers["empty"]) == (
        "2026-03-02",
        "2026-03-08",
        False,
    )
    for name, value in expected.items():
        assert close(numbers[name], value), (name, numbers[name], value)
    assert [(m["model"], m["total_pollen"], m["paid_share"]) for m in numbers["top_models"]] == [
        ("flux", 6.0, 1.0),
        ("openai", 3.5, 0.0),
        ("veo", 3.0, 0.0),
    ]
    assert [m["model"] for m in numbers["top_models_by_free"]] == ["openai", "veo"]
    assert [(a["app"], a["developer"], a["total_pollen"]) for a in numbers["top_apps"]] == [
        ("alice-app", "alice", 9.0),
        ("bob-bot", "bob", 3.5),
    ]
    assert numbers["rising_developers"] == []  # nobody above 10 Pollen of pack in 30 days


def test_previous_week_and_changes(written):
    numbers, _ = written
    previous = numbers["previous"]
    assert (previous["start"], previous["end"]) == ("2026-02-23", "2026-03-01")
    assert close(previous["total_pollen"], 4.0) and close(previous["paid_share"], 0.25)
    # on 03-01 no cohort is 7 days old yet: no final rate, so no change either
    assert previous["conversion_rate_7d"] is None
    assert numbers["change"]["conversion_rate_7d"] is None
    assert close(numbers["change"]["total_pollen"], 12.5 - 4.0)
    assert close(numbers["change"]["paid_share"], 0.5 - 0.25)
    assert numbers["change"]["active_users"] == 0


def test_data_quality_of_the_range(written):
    quality = written[0]["data_quality"]
    assert close(quality["other_meter_share"], 0.5 / 12.5)
    assert quality["bug_window_days"] == [] and quality["bug_window_events"] == 0
    # bob's 0.5 Pollen on a dev meter is more than 1% of 03-06: the WARN check says so
    assert [(c["asset"], c["check"]) for c in quality["failed_checks"]] == [
        ("data_quality_daily", "meters_classified")
    ]


def test_bug_window_days_of_a_span():
    january = Span(dt.date(2026, 1, 5), dt.date(2026, 1, 11))
    assert bug_window_days(january) == ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"]


def test_sentences_say_what_changed(written):
    page = (written[1] / "report.html").read_text()
    assert "The free share fell from 75.0% to 50.0%." in page
    assert "openai burned 50% of the subsidy (free Pollen)." in page
    assert "flux brought 100% of the paid Pollen." in page
    # offline: nothing to fetch (the only URLs are the SVG namespaces)
    assert "<script" not in page and "<link" not in page
    assert re.search(r"""(src|href)\s*=\s*["']https?:""", page) is None


def test_an_empty_range_says_so(loaded, tmp_path):
    numbers = report.write_report(loaded, Span(dt.date(2026, 4, 6), dt.date(2026, 4, 12)), tmp_path)
    assert numbers["empty"] and numbers["total_pollen"] == 0 and numbers["top_models"] == []
    assert "No data between 2026-04-06 and 2026-04-12" in (tmp_path / "report.html").read_text()


def test_a_range_before_the_first_partition_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("POLLEN_START_DATE", "2026-01-01")
    assert cli.main(["report", "--start", "2025-06-01", "--end", "2025-06-07"]) == 1
    error = capsys.readouterr().err
    assert error == (
        "pollen: error: the report range 2025-06-01 .. 2025-06-07 is before the first "
        "partition (2026-01-01, POLLEN_START_DATE)\n"
    )


@pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))
def test_the_page_renders_with_its_numbers_and_charts(written):
    out = written[1]
    with chromium() as browser:
        browser.get((out / "report.html").resolve().as_uri())
        text = browser.find_element("tag name", "body").text
        for shown in (
            "Pollen weekly report, 2026-03-02 .. 2026-03-08",
            "12.50",
            "50.0%",
            "+25.0 pts",
        ):
            assert shown in text, shown
        figures = browser.find_elements("css selector", "figure")
        ids = {figure.get_attribute("id") for figure in figures}
        assert ids == {
            "chart-paid_vs_free",
            "chart-top_paid_models",
            "chart-top_free_models",
            "chart-cohorts",
            "chart-tier_grants",
            "chart-simulator",
        }
        for figure in figures:
            chart = figure.find_element("css selector", "svg")
            assert chart.size["height"] > 100 and chart.size["width"] > 200, figure.get_attribute(
                "id"
            )
        severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert severe == []


# --- the weekly asset and its webhook ---------------------------------------------------------


class Receiver(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Receiver.received.append((self.headers["Content-Type"], self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:  # quiet
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Receiver.received = []
    try:
        yield f"http://127.0.0.1:{server.server_port}/webhook"
    finally:
        server.shutdown()


def materialize_week(monkeypatch: pytest.MonkeyPatch, reports: Path) -> dict[str, Any]:
    monkeypatch.setenv(report.REPORT_DIR_VARIABLE, str(reports))
    result = materialize(
        [definitions().get_assets_def("weekly_report")],
        partition_key=WEEK.first.isoformat(),
        resources={"clickhouse": ClickHouseResource()},
        instance=DagsterInstance.ephemeral(),
    )
    assert result.success
    [materialization] = result.asset_materializations_for_node("weekly_report")
    return {name: value.value for name, value in materialization.metadata.items()}


def test_weekly_asset_writes_the_report_and_posts_it_to_discord(
    loaded, receiver, monkeypatch, tmp_path
):
    monkeypatch.setenv(delivery.URL_VARIABLE, receiver)
    monkeypatch.setenv(delivery.FORMAT_VARIABLE, "discord")
    metadata = materialize_week(monkeypatch, tmp_path)
    html_file = tmp_path / "2026-03-02_2026-03-08" / "report.html"
    assert metadata["report"] == str(html_file.resolve()) and html_file.exists()
    assert "**Pollen weekly report, 2026-03-02 .. 2026-03-08**" in metadata["summary"]
    assert metadata["webhook"] == "delivered"
    [(content_type, body)] = Receiver.received
    assert content_type.startswith("multipart/form-data; boundary=")
    assert b'name="payload_json"' in body and b"Pollen weekly report" in body
    assert b'filename="report.png"' in body and b"\x89PNG" in body


def test_a_dead_webhook_is_logged_and_the_week_still_materializes(loaded, monkeypatch, tmp_path):
    monkeypatch.setenv(delivery.URL_VARIABLE, "http://127.0.0.1:9/closed")  # nothing listens
    monkeypatch.setenv(delivery.FORMAT_VARIABLE, "slack")
    metadata = materialize_week(monkeypatch, tmp_path)
    assert metadata["webhook"] == "failed (logged)"
    assert (tmp_path / "2026-03-02_2026-03-08" / "report.json").exists()
