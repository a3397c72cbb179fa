"""Backfills through the UI, end to end: ``dg dev`` (what ``make ui`` runs) on a free loopback
port, a temporary store and DAGSTER_HOME, three days of synthetic events, a backfill of the
core tables launched with the GraphQL mutation the UI sends, and the tables checked afterwards;
then the asset graph and the backfill page in headless Chromium.

This process has the session's store open, and chdb allows one store path per process, so
everything that touches the temporary store runs in subprocesses.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pollen_pipeline import catalog
from pollen_pipeline_tests.browser import chromium, missing_browser

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DAYS = ("2026-01-10", "2026-01-11", "2026-01-12")
EVENTS_PER_DAY = 3000
HOURS_A_DAY = 24
CORE = sorted(name for name, folder in catalog.table_folders().items() if "core" in folder.parts)
DAILY_CORE = [name for name in CORE if catalog.table(name).grain.is_date]

LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on UnauthorizedError { message }
  }
}"""
STATUS = """
query Status($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status }
    ... on PythonError { message }
  }
}"""
RUNS = """
query Runs($id: String!) {
  runsOrError(filter: {tags: [{key: "dagster/backfill", value: $id}]}) {
    ... on Runs { results { runId status } }
  }
}"""
ASSETS = "{ assetNodes { assetKey { path } } }"
ENDED = {"SUCCESS", "FAILURE", "CANCELED"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class DagsterUI:
    """A running ``dagster dev`` and the environment of its temporary store."""

    url: str
    env: dict[str, str]
    root: Path
    backfills: dict[str, str] = field(default_factory=dict)  # name -> backfill id

    def graphql(self, query: str, **variables: object) -> dict:
        body = json.dumps({"query": query, "variables": variables}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        assert "errors" not in answer, answer["errors"]
        return answer["data"]

    def backfill(self, name: str, assets: list[str], partitions: list[str]) -> str:
        """Launch (once per name) a backfill as the UI's Launch backfill button does; wait."""
        if name not in self.backfills:
            params = {
                "assetSelection": [{"path": [asset]} for asset in assets],
                "partitionNames": partitions,
            }
            launched = self.graphql(LAUNCH, params=params)["launchPartitionBackfill"]
            assert launched["__typename"] == "LaunchBackfillSuccess", launched
            self.backfills[name] = launched["backfillId"]
            self.wait_for(self.backfills[name])
        return self.backfills[name]

    def wait_for(self, backfill_id: str, timeout: float = 420) -> None:
        """Until the backfill's runs have ended, or the backfill itself failed. (Its own status
        turns COMPLETED on the backfill daemon's next 30-second pass, after the runs.)"""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.graphql(STATUS, id=backfill_id)["partitionBackfillOrError"]
            assert state.get("status") not in {"FAILED", "CANCELED"}, state
            runs = self.graphql(RUNS, id=backfill_id)["runsOrError"]["results"]
            if runs and all(run["status"] in ENDED for run in runs):
                return
            time.sleep(1)
        raise AssertionError(f"backfill {backfill_id} still running after {timeout}s")


def _wait_until_serving(ui: DagsterUI, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"dg dev exited: {log.read_text()[-3000:]}")
        try:
            nodes = ui.graphql(ASSETS)["assetNodes"]
            if {"event_facts_daily", "user_daily"} <= {
                node["assetKey"]["path"][-1] for node in nodes
            }:
                return
        except (urllib.error.URLError, ConnectionError, AssertionError):
            pass
        time.sleep(1)
    raise AssertionError(f"dagster dev not serving after 180s: {log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    """Ctrl-C for the whole process group (webserver, daemon, code servers), then SIGKILL: the
    store is the test's own, so a group that has not stopped in 5 s is killed (it stops in ~3 s
    when the host is quiet; a busy host made the teardown wait 20 s)."""
    for sig, grace in ((signal.SIGINT, 5), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            time.sleep(1)  # let the group's other processes go too
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def dagster_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DagsterUI]:
    root = tmp_path_factory.mktemp("ui")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    env = {key: value for key, value in os.environ.items() if not key.startswith("POLLEN_SOURCE")}
    env |= {
        "POLLEN_CLICKHOUSE_URL": f"chdb://{root / 'store'}",
        "POLLEN_DATABASE": "pollen",
        "DAGSTER_HOME": str(home),
    }
    generate = [str(BIN / "pollen"), "generate", "--start", DAYS[0], "--days", str(len(DAYS))]
    generate += ["--events-per-day", str(EVENTS_PER_DAY)]
    subprocess.run(generate, env=env, check=True, timeout=300, capture_output=True)

    port, log = free_port(), root / "dagster_dev.log"
    command = [str(BIN / "dg"), "dev", "-h", "127.0.0.1", "-p", str(port)]
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped whole afterwards
        )
    ui = DagsterUI(f"http://127.0.0.1:{port}", env, root)
    try:
        _wait_until_serving(ui, process, log)
        yield ui
    finally:
        _stop(process)


def core_backfill(ui: DagsterUI) -> str:
    return ui.backfill("core", CORE, list(DAYS))


CHECK_TABLES = """
import json
from pollen_pipeline.resources import ClickHouseResource
store = ClickHouseResource().store()
def rows(sql):
    return store.rows(sql)
out = {
    "raw": rows("SELECT toString(toDate(start_time, 'UTC')), count() FROM pollen.generation_event "
                "GROUP BY 1 ORDER BY 1"),
    "facts": rows("SELECT toString(day), toInt64(sum(events)) "
                  "FROM pollen.event_facts_daily GROUP BY 1 ORDER BY 1"),
    "usage_hours": rows("SELECT uniqExact(hour) FROM pollen.usage_hourly")[0][0],
}
for table in %r:
    out[table] = rows(f"SELECT DISTINCT toString(day) FROM pollen.{table} ORDER BY 1")
print(json.dumps(out))
"""


def table_contents(ui: DagsterUI) -> dict:
    script = CHECK_TABLES % (list(DAILY_CORE),)
    result = subprocess.run(
        [sys.executable, "-c", script], env=ui.env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_backfill_of_three_days_through_the_ui_api_fills_the_tables(dagster_ui):
    started = time.monotonic()
    runs = dagster_ui.graphql(RUNS, id=core_backfill(dagster_ui))["runsOrError"]["results"]
    # one partitions definition and a single-run backfill policy: the whole range is one run
    assert [run["status"] for run in runs] == ["SUCCESS"], runs

    contents = table_contents(dagster_ui)
    expected_days = [[day, EVENTS_PER_DAY] for day in DAYS]
    assert contents["raw"] == expected_days
    assert contents["facts"] == expected_days  # every raw event counted once
    assert contents["usage_hours"] == len(DAYS) * HOURS_A_DAY
    for table in DAILY_CORE:
        assert contents[table] == [[day] for day in DAYS], table
    print(f"UI backfills of {len(DAYS)} days took {time.monotonic() - started:.0f}s")


# --- The same in a browser ---------------------------------------------------------------


def page_showing(browser, url: str, names: list[str], timeout: float = 60) -> str:
    """Open ``url``, dismiss the first-visit dialog, wait until every name is on the page
    (then a little longer for the status cells still "Loading...", for the screenshot)."""
    browser.get(url)
    deadline, text, shown_at = time.monotonic() + timeout, "", None
    while time.monotonic() < deadline:
        for button in browser.find_elements("xpath", "//button[normalize-space()='Skip']"):
            button.click()  # "Join the Dagster community" covers the page on a first visit
        text = browser.find_element("tag name", "body").text
        if all(name in text for name in names):
            shown_at = shown_at or time.monotonic()
            if "Loading..." not in text or time.monotonic() - shown_at > 15:
                return text
        time.sleep(1)
    missing = [name for name in names if name not in text]
    raise AssertionError(f"{url}: {missing} not shown after {timeout}s: {text[:2000]}")


@pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))
def test_asset_graph_and_backfill_page_in_headless_chromium(dagster_ui, tmp_path):
    with chromium() as browser:
        graph = f"{dagster_ui.url}/locations/pollen_pipeline/asset-groups/core"
        page_showing(browser, graph, CORE)
        browser.save_screenshot(str(tmp_path / "asset_graph.png"))

        backfill = f"{dagster_ui.url}/runs/b/{core_backfill(dagster_ui)}"
        text = page_showing(browser, backfill, CORE)
        browser.save_screenshot(str(tmp_path / "backfill.png"))
    assert "Succeeded" in text
    for name in ("asset_graph.png", "backfill.png"):
        assert (tmp_path / name).stat().st_size > 10_000, name
