"""Synthetic generation_event_v2 (``pollen generate``): v1's authenticated, non-cached requests
from v2's first day on, as the team's populate pipe copied them, with what only v2 records
(fallback attempts, agent runs, adjustments, BYOP markups, community rewards), and read together
with v1 every request counts once."""

from __future__ import annotations

import datetime as dt

import pytest

from pollen_pipeline.cli import main
from pollen_pipeline.defs.usage.usage_classified_hourly.rules import traffic_groups
from pollen_pipeline.store import Store
from pollen_pipeline_tests.databases import materialize

START = dt.date(2026, 1, 20)
DAYS = 6
V2_FROM = dt.date(2026, 1, 23)  # the range's middle day, generate's default
LAST = START + dt.timedelta(days=DAYS - 1)
EVENTS_PER_DAY = 3000


@pytest.fixture
def generated(store: Store) -> Store:
    args = ["generate", "--start", START.isoformat(), "--days", str(DAYS), "--seed", "3"]
    assert main([*args, "--events-per-day", str(EVENTS_PER_DAY)]) == 0
    return store


def rows(store: Store, sql: str) -> list[tuple]:
    since = dt.datetime.combine(V2_FROM, dt.time(), tzinfo=dt.UTC)
    return store.rows(sql.replace("{db}", store.database), {"v2_from": since})


def test_v2_holds_v1s_authenticated_uncached_requests_from_its_first_day(generated):
    # a request v2 holds once as its final row, with v1's price and cost; nothing before v2_from
    compared = rows(
        generated,
        "SELECT count(), countIf(v1.request_id = ''), countIf(v2.request_id = ''), "
        "countIf(v1.total_price != v2.total_price OR v1.total_cost != v2.total_cost) "
        "FROM (SELECT * FROM {db}.generation_event WHERE start_time >= {v2_from:DateTime('UTC')} "
        "      AND user_id NOT IN ('', 'undefined') AND NOT cache_hit) AS v1 "
        "FULL JOIN (SELECT * FROM {db}.generation_event_v2 "
        "           WHERE is_final AND parent_request_id = '' "
        "           AND request_id NOT IN (SELECT parent_request_id FROM {db}.generation_event_v2)"
        "          ) AS v2 USING (request_id) SETTINGS join_use_nulls = 0",
    )
    [(requests, only_v2, only_v1, priced_otherwise)] = compared
    assert requests > 0.9 * EVENTS_PER_DAY * (DAYS - 3)
    assert (only_v2, only_v1, priced_otherwise) == (0, 0, 0)
    [(before, cache_hits, anonymous)] = rows(
        generated,
        "SELECT countIf(start_time < {v2_from:DateTime('UTC')}), countIf(cache_hit), "
        "countIf(user_id IN ('', 'undefined')) FROM {db}.generation_event_v2",
    )
    assert (before, cache_hits, anonymous) == (0, 0, 0)


def test_v2_records_fallbacks_agent_runs_adjustments_markups_and_rewards(generated):
    [(attempts, priced_attempts, fell_back, unmarked)] = rows(
        generated,
        "SELECT countIf(NOT is_final), countIf(NOT is_final AND total_price != 0), "
        "uniqExactIf(request_id, NOT is_final), "
        "countIf(is_final AND fallback_used != (request_id IN "
        "        (SELECT request_id FROM {db}.generation_event_v2 WHERE NOT is_final))) "
        "FROM {db}.generation_event_v2",
    )
    assert attempts > fell_back > 0 and (priced_attempts, unmarked) == (0, 0)
    [(runs, priced_parents, steps, unpriced_steps)] = rows(
        generated,
        "SELECT countIf(request_id IN (SELECT parent_request_id FROM {db}.generation_event_v2)), "
        "countIf(request_id IN (SELECT parent_request_id FROM {db}.generation_event_v2) "
        "        AND total_price != 0), "
        "countIf(parent_request_id != ''), countIf(parent_request_id != '' AND total_price <= 0) "
        "FROM {db}.generation_event_v2",
    )
    assert steps >= 2 * runs > 0 and (priced_parents, unpriced_steps) == (0, 0)
    [(rules, outside_cost)] = rows(
        generated,
        "SELECT uniqExactArray(mapKeys(adjustment_costs)), "
        "countIf(arraySum(mapValues(adjustment_costs)) > total_cost + 1e-12) "
        "FROM {db}.generation_event_v2",
    )
    assert (rules, outside_cost) == (4, 0)  # search, cache storage, container runtime: in cost
    [(byop, unmarked_up, rewarded, misrewarded)] = rows(
        generated,
        "SELECT countIf(api_key_client_id != 'undefined'), "
        "countIf(api_key_client_id != 'undefined' AND total_price > 0 "
        "        AND abs(dev_price * (1 + markup_rate) - total_price) > 1e-9), "
        "countIf(community_model_reward_amount > 0), "
        "countIf(model_provider_used = 'community' AND is_billed_usage AND abs(total_price "
        "        * community_model_reward_rate - community_model_reward_amount) > 1e-9) "
        "FROM {db}.generation_event_v2",
    )
    assert byop > 0 and rewarded > 0 and (unmarked_up, misrewarded) == (0, 0)


def test_legacy_and_internal_keys_are_the_teams_listed_keys_with_their_owners(generated):
    groups = traffic_groups()
    called = generated.rows(
        f"SELECT DISTINCT e.api_key_id FROM {generated.table('generation_event')} AS e "
        f"JOIN {generated.table('d1_apikey')} AS k ON k.id = e.api_key_id "
        "AND k.user_id = e.user_id WHERE e.api_key_id IN {listed:Array(String)}",
        {"listed": groups["legacy"] + groups["internal"]},
    )
    found = {key for (key,) in called}
    assert found & set(groups["legacy"]) and found & set(groups["internal"])


def facts(store: Store) -> tuple:
    [row] = store.rows(
        f"SELECT sum(events), round(sum(price_sum), 6) FROM {store.table('event_facts_daily')} "
        "WHERE day >= {day:Date}",
        {"day": V2_FROM},
    )
    return row


def test_read_together_each_request_counts_once(generated, monkeypatch: pytest.MonkeyPatch):
    materialize(V2_FROM, LAST, "event_facts_daily")
    v1_alone = facts(generated)
    monkeypatch.setenv("POLLEN_V2_FROM", V2_FROM.isoformat())
    materialize(V2_FROM, LAST, "event_facts_daily")
    [(run_rows, run_pollen)] = rows(
        generated,
        "SELECT count(), round(sum(total_price), 6) FROM {db}.generation_event_v2 "
        "WHERE parent_request_id != '' "
        "OR request_id IN (SELECT parent_request_id FROM {db}.generation_event_v2)",
    )
    # v1's requests once (not again as v2's copies, nor their fallback attempts), and the agent
    # runs only v2 records
    assert facts(generated) == (v1_alone[0] + run_rows, round(v1_alone[1] + run_pollen, 6))
