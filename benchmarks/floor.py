"""The floor: the least any pipeline can do for one day of raw events.

A bare process: it imports the ClickHouse client and nothing else (no project, no Dagster), so
the floor carries only the client's start-up, not the pipeline's imports. One scan of the day,
grouped at the finest grain any summary needs (hour x user x key x model x tier x key type x
meter) into a table. `pollen materialize` for the same day is measured against this.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os

import clickhouse_connect

FLOOR_SQL = """
INSERT INTO {table}
SELECT
    toStartOfHour(start_time, 'UTC') AS hour, user_id, api_key_id, resolved_model_requested,
    user_tier, api_key_type, selected_meter_slug,
    count() AS events, sum(total_price) AS price, sum(total_cost) AS cost
FROM {raw}
WHERE start_time >= {{start:DateTime('UTC')}} AND start_time < {{end:DateTime('UTC')}}
GROUP BY hour, user_id, api_key_id, resolved_model_requested, user_tier, api_key_type,
    selected_meter_slug
"""

FLOOR_DDL = """
CREATE TABLE IF NOT EXISTS {table} (
    hour DateTime('UTC'), user_id String, api_key_id String,
    resolved_model_requested LowCardinality(String), user_tier LowCardinality(String),
    api_key_type LowCardinality(String), selected_meter_slug LowCardinality(String),
    events UInt64, price Float64, cost Float64
) ENGINE = MergeTree ORDER BY hour
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", type=dt.date.fromisoformat, required=True)
    day = parser.parse_args().day
    # The same variables the pipeline reads (set by benchmarks/run.py for each store).
    client = clickhouse_connect.get_client(dsn=os.environ["POLLEN_CLICKHOUSE_URL"])
    database = os.environ.get("POLLEN_DATABASE", "pollen")
    table = f"{database}.bench_floor"
    client.command(f"DROP TABLE IF EXISTS {table}")
    client.command(FLOOR_DDL.format(table=table))
    start = dt.datetime.combine(day, dt.time(), dt.UTC)
    client.command(
        FLOOR_SQL.format(table=table, raw=f"{database}.generation_event"),
        parameters={"start": start, "end": start + dt.timedelta(days=1)},
    )


if __name__ == "__main__":
    main()
