"""The synthetic event generator: shape and realism of the rows it writes.

One client and one embedded store for the whole module (chdb opens one store path per
process at a time); every data set lives in its own ``synth_*`` database, dropped at the end.
The main data set spans the calendar facts the generator reproduces: the v1 -> local meter
rename on 2025-12-01, the undefined key names until 2025-12-15, the local:combined bug
window from 2025-12-30 16:59:45 UTC and temporary keys from 2026-01-01.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from string import Template
from typing import Any

import clickhouse_connect
import pytest

from pollen_pipeline import catalog, synthetic
from pollen_pipeline.synthetic import generate_events, render_sql

START = dt.date(2025, 11, 24)
DAYS = 40  # through 2026-01-02
EVENTS_PER_DAY = 3000
SEED = 20251124
DB = "synth_main"
TABLE = f"{DB}.generation_event"
ROUTER_GITHUB_ID = "241978997"
TIERS = {"microbe", "spore", "seed", "flower", "nectar", "router", "anonymous"}
PACK_SLUGS = "('local:pack', 'v1:meter:pack')"
TIER_SLUGS = "('local:tier', 'v1:meter:tier')"
# start_time is a plain DateTime and the session time zone is not UTC: compare in UTC.
LOCAL_METERS_FROM = "toDateTime('2025-12-01 00:00:00', 'UTC')"
BUG_FROM = "toDateTime('2025-12-30 16:59:45', 'UTC')"


def create_raw_table(client: Any, database: str) -> None:
    client.command(f"CREATE DATABASE IF NOT EXISTS {database}")
    client.command(Template(catalog.ddl_template(catalog.RAW_TABLE)).substitute(database=database))


@pytest.fixture(scope="module")
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """One client for the module, on the session's store when the suite has one.

    chdb opens one store path per process at a time, so inside the full suite (whose
    conftest keeps the session store open) a second path would be refused.
    """
    try:
        url = request.getfixturevalue("store_url")
    except pytest.FixtureLookupError:
        url = f"chdb://{tmp_path_factory.mktemp('synthetic') / 'store'}"
    client = clickhouse_connect.get_client(dsn=url)
    yield client
    for database in column(client, "SELECT name FROM system.databases WHERE name LIKE 'synth\\_%'"):
        client.command(f"DROP DATABASE IF EXISTS {database}")
    client.close()


@pytest.fixture(scope="module")
def generated(client: Any) -> dict[str, Any]:
    create_raw_table(client, DB)
    calls: list[tuple[int, int]] = []
    inserted = generate_events(
        client, DB, START, DAYS, EVENTS_PER_DAY, SEED, progress=lambda d, n: calls.append((d, n))
    )
    return {"inserted": inserted, "progress": calls}


def scalar(client: Any, sql: str) -> Any:
    return client.query(sql).result_rows[0][0]


def column(client: Any, sql: str) -> list[Any]:
    return [row[0] for row in client.query(sql).result_rows]


def test_exact_event_count(client: Any, generated: dict[str, Any]) -> None:
    assert generated["inserted"] == DAYS * EVENTS_PER_DAY
    assert scalar(client, f"SELECT count() FROM {TABLE}") == DAYS * EVENTS_PER_DAY
    per_day = column(client, f"SELECT count() FROM {TABLE} GROUP BY toDate(start_time, 'UTC')")
    assert per_day == [EVENTS_PER_DAY] * DAYS
    days_done = [done for done, _ in generated["progress"]]
    assert days_done == sorted(days_done) and days_done[-1] == DAYS
    assert {total for _, total in generated["progress"]} == {DAYS}


def test_ids_unique_and_times_inside_their_utc_day(client: Any, generated: dict[str, Any]) -> None:
    assert scalar(client, f"SELECT uniqExact(request_id) FROM {TABLE}") == DAYS * EVENTS_PER_DAY
    assert scalar(client, f"SELECT uniqExact(event_id) FROM {TABLE}") == DAYS * EVENTS_PER_DAY
    first, last = client.query(
        f"SELECT min(toUnixTimestamp(start_time)), max(toUnixTimestamp(start_time)) FROM {TABLE}"
    ).result_rows[0]
    start_epoch = int(dt.datetime.combine(START, dt.time(), tzinfo=dt.UTC).timestamp())
    assert start_epoch <= first < start_epoch + 3600
    assert start_epoch + (DAYS - 1) * 86400 <= last < start_epoch + DAYS * 86400
    assert scalar(client, f"SELECT countIf(end_time < start_time) FROM {TABLE}") == 0


def test_same_seed_same_data_other_seed_other_data(client: Any, monkeypatch) -> None:
    fingerprint = (
        # Exact over the rows: a float sum's last digits depend on the order threads add in.
        "SELECT groupBitXor(cityHash64(total_price)), groupBitXor(cityHash64(request_id, "
        "user_id, selected_meter_slug, resolved_model_requested, start_time)) "
        "FROM {}.generation_event"
    )
    results = []
    for database, seed in [("synth_det_a", 7), ("synth_det_b", 7), ("synth_det_c", 8)]:
        create_raw_table(client, database)
        generate_events(client, database, dt.date(2025, 12, 20), 3, 2000, seed)
        results.append(client.query(fingerprint.format(database)).result_rows[0])
    assert results[0] == results[1]
    assert results[0] != results[2]
    # one day a statement gives the same rows as all three in one statement
    monkeypatch.setattr(synthetic, "ROWS_PER_STATEMENT", 1)
    create_raw_table(client, "synth_det_d")
    generate_events(client, "synth_det_d", dt.date(2025, 12, 20), 3, 2000, 7)
    assert client.query(fingerprint.format("synth_det_d")).result_rows[0] == results[0]


def test_times_do_not_depend_on_the_session_time_zone(client: Any) -> None:
    class FarEastClient:
        """Runs every statement under a non-UTC session time zone."""

        def command(self, sql: str, parameters: dict[str, Any]) -> Any:
            return client.command(
                sql, parameters=parameters, settings={"session_timezone": "Asia/Kolkata"}
            )

    totals = []
    for database, target in [("synth_tz_utc", client), ("synth_tz_ist", FarEastClient())]:
        create_raw_table(client, database)
        generate_events(target, database, dt.date(2025, 12, 1), 2, 1000, 3)
        totals.append(
            client.query(
                "SELECT sum(toUnixTimestamp(start_time)), "
                "min(toUnixTimestamp(start_time)), max(toUnixTimestamp(start_time)) "
                f"FROM {database}.generation_event"
            ).result_rows[0]
        )
    assert totals[0] == totals[1]
    day_start = int(dt.datetime(2025, 12, 1, tzinfo=dt.UTC).timestamp())
    assert day_start <= totals[0][1] and totals[0][2] < day_start + 2 * 86400


def test_both_meter_slug_generations_on_their_dates(client: Any, generated: dict[str, Any]) -> None:
    slugs = set(column(client, f"SELECT DISTINCT selected_meter_slug FROM {TABLE}"))
    assert {"v1:meter:tier", "v1:meter:pack", "local:tier", "local:pack"} <= slugs
    assert {"local:combined", "local:dev", "undefined"} <= slugs
    misplaced = scalar(
        client,
        f"""
        SELECT countIf(selected_meter_slug LIKE 'v1:%' AND start_time >= {LOCAL_METERS_FROM})
             + countIf(selected_meter_slug LIKE 'local:%' AND start_time < {LOCAL_METERS_FROM})
             + countIf(selected_meter_slug = 'local:combined' AND start_time < {BUG_FROM})
             + countIf(selected_meter_slug IN ('local:tier', 'local:pack')
                       AND start_time >= {BUG_FROM})
        FROM {TABLE}
        """,
    )
    assert misplaced == 0
    dev_share = scalar(client, f"SELECT avg(selected_meter_slug = 'local:dev') FROM {TABLE}")
    assert 0.0005 < dev_share < 0.01  # rare: a normal day stays under the 1% other-meter alarm


def test_balances_follow_the_meters(client: Any, generated: dict[str, Any]) -> None:
    rows = client.query(
        f"""
        SELECT
            countIf(selected_meter_slug = 'local:tier'
                    AND mapKeys(balances) != ['local:tier', 'local:pack']),
            countIf(selected_meter_slug = 'v1:meter:tier'
                    AND mapKeys(balances) != ['v1:meter:tier', 'v1:meter:pack']),
            countIf(selected_meter_slug = 'undefined' AND length(balances) != 0),
            countIf(selected_meter_slug = 'local:pack' AND balances['local:pack'] <= 0),
            countIf(selected_meter_slug = 'local:pack' AND balances['local:tier'] < 0),
            maxIf(balances['local:tier'],
                  user_tier = 'spore' AND selected_meter_slug = 'local:tier')
        FROM {TABLE}
        """
    ).result_rows[0]
    assert rows[:4] == (0, 0, 0, 0)
    assert rows[4] > 0  # overspent tier grant shows slightly negative
    assert 0.5 < rows[5] <= 1.0


def test_router_share_of_production_paid_pollen(client: Any, generated: dict[str, Any]) -> None:
    share = scalar(
        client,
        f"""
        SELECT sumIf(total_price, user_github_id = '{ROUTER_GITHUB_ID}') / sum(total_price)
        FROM {TABLE}
        WHERE environment = 'production' AND response_status BETWEEN 200 AND 299
          AND total_price > 0
        """,
    )
    assert 0.05 < share < 0.30
    router = client.query(
        f"SELECT DISTINCT user_tier, user_github_username, user_id FROM {TABLE} "
        f"WHERE user_github_id = '{ROUTER_GITHUB_ID}'"
    ).result_rows
    assert len(router) == 1 and router[0][:2] == ("router", "pollen-router")


def test_every_tier_present_and_stable_per_user(client: Any, generated: dict[str, Any]) -> None:
    assert set(column(client, f"SELECT DISTINCT user_tier FROM {TABLE}")) == TIERS
    unstable = scalar(
        client,
        f"""
        SELECT count() FROM (
            SELECT user_id FROM {TABLE} GROUP BY user_id
            HAVING uniqExact(user_tier) > 1 OR uniqExact(user_github_id) > 1
                OR uniqExact(user_github_username) > 1
        )
        """,
    )
    assert unstable == 0


def test_api_key_types(client: Any, generated: dict[str, Any]) -> None:
    types = set(column(client, f"SELECT DISTINCT api_key_type FROM {TABLE}"))
    assert {"temporary", "secret", "publishable"} <= types
    assert types <= {"temporary", "secret", "publishable", "undefined"}
    early = scalar(
        client,
        f"SELECT countIf(api_key_type = 'temporary' "
        f"AND start_time < toDateTime('2026-01-01 00:00:00', 'UTC')) FROM {TABLE}",
    )
    assert early == 0
    names = client.query(
        f"""
        SELECT countIf(api_key_name = 'undefined'),
               countIf(api_key_name = 'undefined'
                       AND start_time >= toDateTime('2025-12-15 00:00:00', 'UTC')),
               countIf(api_key_name = '')
        FROM {TABLE}
        WHERE api_key_id != 'undefined'  -- anonymous calls have no key at all
        """
    ).result_rows[0]
    assert names[0] > 0 and names[1] == 0 and names[2] > 0


def test_non_production_and_failed_requests(client: Any, generated: dict[str, Any]) -> None:
    envs = set(column(client, f"SELECT DISTINCT environment FROM {TABLE}"))
    assert envs == {"production", "development", "test"}
    share = scalar(client, f"SELECT avg(environment = 'production') FROM {TABLE}")
    assert 0.85 < share < 0.97
    statuses = set(column(client, f"SELECT DISTINCT response_status FROM {TABLE}"))
    assert {200, 201, 400, 401, 402, 429, 500, 502} <= statuses
    failed = client.query(
        f"""
        SELECT count(), countIf(total_price != 0 OR total_cost != 0 OR is_billed_usage),
               countIf(error_response_code = 'undefined' OR error_message = 'undefined')
        FROM {TABLE} WHERE response_status NOT BETWEEN 200 AND 299
        """
    ).result_rows[0]
    assert failed[0] > 0.03 * DAYS * EVENTS_PER_DAY
    assert failed[1:] == (0, 0)


def test_prices_cache_hits_and_billing(client: Any, generated: dict[str, Any]) -> None:
    row = client.query(
        f"""
        SELECT
            avg(cache_hit),
            countIf(cache_hit AND (total_price != 0 OR is_billed_usage)),
            countIf(is_billed_usage != (NOT cache_hit AND response_status BETWEEN 200 AND 299
                                        AND total_price > 0)),
            countIf(total_price != total_cost),
            medianIf(total_price, resolved_model_requested = 'openai' AND is_billed_usage),
            medianIf(total_price, resolved_model_requested = 'flux' AND is_billed_usage),
            medianIf(total_price, resolved_model_requested = 'kontext' AND is_billed_usage),
            medianIf(total_price, resolved_model_requested = 'veo' AND is_billed_usage),
            avg(event_type = 'generate.text')
        FROM {TABLE}
        """
    ).result_rows[0]
    assert 0.03 < row[0] < 0.08
    assert row[1:4] == (0, 0, 0)
    assert 1e-4 < row[4] < 1e-3
    assert row[5] == pytest.approx(0.0002)
    assert row[6] == pytest.approx(0.04)
    assert 0.5 < row[7] < 1.5
    assert row[8] > 0.75


def test_some_users_convert_days_after_their_first_tier_event(
    client: Any, generated: dict[str, Any]
) -> None:
    converted_later = scalar(
        client,
        f"""
        SELECT count() FROM (
            SELECT user_id,
                   minIf(start_time, selected_meter_slug IN {TIER_SLUGS}) AS first_tier,
                   minIf(start_time, selected_meter_slug IN {PACK_SLUGS}) AS first_pack
            FROM {TABLE}
            WHERE user_id != 'undefined'
            GROUP BY user_id
            HAVING countIf(selected_meter_slug IN {PACK_SLUGS}) > 0
               AND countIf(selected_meter_slug IN {TIER_SLUGS}) > 0
               AND dateDiff('day', first_tier, first_pack) >= 2
        )
        """,
    )
    assert converted_later >= 3


def test_rejects_unsafe_database_names() -> None:
    for bad in ["", "1db", "db; DROP TABLE x", "db.name", "db-name"]:
        with pytest.raises(ValueError):
            render_sql(bad)
    assert "INSERT INTO ok_db.generation_event" in render_sql("ok_db")
