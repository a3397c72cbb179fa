"""coverage/team_panels.yaml, the legacy dashboards (set: legacy): every panel marked exact gives,
from our summaries, the numbers of the team's panel, asked here of the raw rows the legacy
dashboards read: v1 generation_event (their WHERE clauses restated) and d1_user. The store reads
v1 alone (POLLEN_V2_FROM unset), as those dashboards did; the range straddles the end of the
meter:combined bug window, so the window's exclusion is compared too."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from string import Template

import pytest

from pollen_pipeline import contract
from pollen_pipeline.cli import main
from pollen_pipeline.store import Store
from pollen_pipeline_tests.databases import fresh_database, materialize
from pollen_pipeline_tests.team_panels import COVERAGE, coverage, panels_of, rounded

START, DAYS = dt.date(2026, 1, 5), 8
TABLES = ("app_daily", "account_daily")

# api-key-usage.json @ 0cdafb1d: successful billable production calls of named keys, ROUTER
# and the bug window out (strict comparisons at both ends), no ban filter.
NAMED_KEY_ROWS = """(
    SELECT * FROM $v1
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
        AND environment = 'production' AND response_status >= 200 AND response_status < 300
        AND total_price > 0 AND length(api_key_name) > 0 AND api_key_name != 'undefined'
        AND user_github_id != '241978997'
        AND (start_time < toDateTime('2025-12-30 16:59:45', 'UTC')
             OR start_time > toDateTime('2026-01-08 18:19:58', 'UTC'))
)"""
PACK = "selected_meter_slug IN ('v1:meter:pack', 'local:pack')"
TIER = "selected_meter_slug IN ('v1:meter:tier', 'local:tier')"
NAMED_KEY_TOTALS = f"""SELECT sum(total_price), sumIf(total_price, {TIER}),
    sumIf(total_price, {PACK}), countDistinctIf(user_github_id, user_github_id != '')
    FROM $rows"""
# D1 panels: the latest snapshot of d1_user; created_at is unix seconds, in the picker's range.
LATEST = "synced_at = (SELECT max(synced_at) FROM $d1)"
CREATED = "toDateTime(assumeNotNull(created_at), 'UTC')"
IN_RANGE = f"{CREATED} >= {{start:DateTime('UTC')}} AND {CREATED} < {{end:DateTime('UTC')}}"
BY_TIER = f"""SELECT tier, count() AS users FROM $d1 WHERE {LATEST} AND banned = 0
    GROUP BY tier ORDER BY users DESC, tier"""
# (dashboard, panel id) -> the question asked of raw rows
RESTATED = {
    ("api-key-usage", 1): NAMED_KEY_TOTALS,
    ("api-key-usage", 2): NAMED_KEY_TOTALS,
    ("api-key-usage", 3): NAMED_KEY_TOTALS,
    ("api-key-usage", 4): NAMED_KEY_TOTALS,
    # their server's time zone is UTC; this session's may not be
    ("api-key-usage", 20): f"""SELECT toStartOfInterval(start_time, INTERVAL 1 DAY, 'UTC') AS time,
        sumIf(total_price, {PACK}) AS pack, sumIf(total_price, {TIER}) AS tier,
        if(pack + tier > 0, tier / (pack + tier), 0)
        FROM $rows GROUP BY time ORDER BY time""",
    ("tier-economics", 1): f"SELECT count() FROM $d1 WHERE {LATEST} AND banned = 0",
    ("tier-economics", 2): f"""SELECT coalesce(tier, 'unknown') AS shown, count() AS users FROM $d1
        WHERE {LATEST} AND banned = 0 GROUP BY shown
        ORDER BY multiIf(shown = 'nectar', 1, shown = 'flower', 2, shown = 'seed', 3,
            shown = 'spore', 4, shown = 'microbe', 5, 6), shown""",
    ("tier-economics", 3): f"""SELECT coalesce(tier, 'unknown') AS shown, count() AS users FROM $d1
        WHERE {LATEST} AND banned = 0 GROUP BY shown ORDER BY users DESC, shown""",
    ("user-intelligence", 1): f"SELECT count() FROM $d1 WHERE {LATEST} AND banned = 0",
    ("user-intelligence", 2): f"""SELECT count() FROM $d1
        WHERE {LATEST} AND created_at IS NOT NULL AND {IN_RANGE}""",
    ("user-intelligence", 3): BY_TIER,
    ("user-intelligence", 4): f"SELECT count() FROM $d1 WHERE {LATEST} AND banned = 1",
    ("user-intelligence", 5): f"""SELECT toStartOfDay({CREATED}) AS ts, count() FROM $d1
        WHERE {LATEST} AND created_at IS NOT NULL AND {IN_RANGE} GROUP BY ts ORDER BY ts""",
    ("pollen-flow", 6): f"""SELECT round(sum(coalesce(pack_balance, 0)), 2) FROM $d1
        WHERE {LATEST} AND banned = 0""",
    ("pollen-flow", 15): f"""SELECT round(sum(coalesce(tier_balance, 0)), 2) FROM $d1
        WHERE {LATEST} AND banned = 0""",
}


EXACT = [panel for panel in panels_of(legacy=True) if panel["class"] == "exact"]


def params() -> dict:
    start = dt.datetime.combine(START, dt.time(), dt.UTC)
    return {"start": start, "end": start + dt.timedelta(days=DAYS)}


@pytest.fixture(scope="module")
def generated(store_url: str):
    """Eight days of synthetic v1 events across the bug window's end, read from v1 alone, with
    D1 snapshots; app_daily and account_daily built."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        args = ["generate", "--start", str(START), "--days", str(DAYS), "--events-per-day", "2000"]
        assert main([*args, "--seed", "11"]) == 0
        last = START + dt.timedelta(days=DAYS - 1)
        materialize(START, last, "event_facts_daily", *TABLES)
        yield store


def test_every_exact_legacy_panel_is_restated_here():
    assert {(panel["dashboard"], panel["id"]) for panel in EXACT} == set(RESTATED)


@pytest.mark.parametrize("panel", EXACT, ids=lambda p: f"{p['dashboard']}-{p['id']}")
def test_an_exact_legacy_panel_equals_the_question_asked_of_raw_rows(generated: Store, panel):
    store = generated
    tables = {name: store.table(name) for name in TABLES}
    ours = Template(panel["query"]).substitute(contract.fragments(), **tables)
    v1 = store.table("generation_event")
    theirs = Template(RESTATED[(panel["dashboard"], panel["id"])]).substitute(
        rows=Template(NAMED_KEY_ROWS).substitute(v1=v1), d1=store.table("d1_user")
    )
    expected = rounded(store.rows(theirs, params()))
    numbers = [v for row in expected for v in row if isinstance(v, int | float)]
    assert any(numbers), "the synthetic data must give the panel something to show"
    assert rounded(store.rows(ours, params())) == expected


def test_the_range_has_what_the_named_key_panels_filter_out(generated: Store):
    """ROUTER, unnamed keys and bug-window events on named keys exist, so each filter matters."""
    v1 = generated.table("generation_event")
    [(router, unnamed, in_window)] = generated.rows(
        f"""SELECT countIf(user_github_id = '241978997' AND api_key_name NOT IN ('', 'undefined')),
            countIf(api_key_name IN ('', 'undefined')),
            countIf(start_time <= toDateTime('2026-01-08 18:19:58', 'UTC')
                AND api_key_name NOT IN ('', 'undefined'))
        FROM {v1} WHERE start_time >= {{start:DateTime('UTC')}}
            AND start_time < {{end:DateTime('UTC')}} AND environment = 'production'
            AND response_status >= 200 AND response_status < 300 AND total_price > 0""",
        params(),
    )
    assert router > 0 and unnamed > 0 and in_window > 0


def test_readme_counts_the_legacy_panels_the_file_lists():
    """The sentence's totals and the table's row per dashboard: panels and each class."""
    readme = (COVERAGE.parents[1] / "README.md").read_text()
    panels = panels_of(legacy=True)
    listed = re.search(r"lists the (\d+) panels of the 18 legacy dashboards, (\d+) of them", readme)
    assert listed, "README no longer says how many legacy panels the coverage file lists"
    assert (int(listed.group(1)), int(listed.group(2))) == (len(panels), len(EXACT))
    dashboards = coverage()["dashboards"]
    for name in {panel["dashboard"] for panel in panels}:
        classes = Counter(panel["class"] for panel in panels if panel["dashboard"] == name)
        counts = [classes[c] for c in ("exact", "partial", "needs_source", "not_yet")]
        row = re.search(
            rf"^\| `{name}` \| {dashboards[name]['version']}[^|]*\|([^\n]*)$", readme, re.M
        )
        assert row, f"README's legacy table has no row for {name}"
        assert [int(n) for n in row.group(1).strip(" |").split(" | ")] == [classes.total(), *counts]
