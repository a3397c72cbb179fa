"""A writer process for the kill test: reports the day's partition, adds events, rewrites it.

``python -m pollen_pipeline_tests.kill_writer URL DATABASE DAY [--inspect]`` prints JSON lines:
``{"facts": N, "rows": R, "raw": M}`` (what ``event_facts_daily`` counts for DAY, its row
count, and the raw events of DAY), then, unless ``--inspect``, adds raw events, prints
``{"ready": M2}`` and re-materializes the day, printing ``{"done": true}`` when the swap is
over. The test kills it at random moments in between.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from pollen_pipeline import catalog
from pollen_pipeline.components.summary_table import plan_of
from pollen_pipeline.store import Store, Window, connect
from pollen_pipeline.synthetic import generate_events

FACTS = catalog.table("event_facts_daily")

EVENTS_PER_RUN = 40_000
CHUNK = dt.timedelta(hours=1)  # 24 scans and inserts into the staging table per rewrite


def _say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def day_window(day: dt.date) -> Window:
    start = dt.datetime.combine(day, dt.time(), dt.UTC)
    return Window(start, start + dt.timedelta(days=1))


def state(store: Store, window: Window) -> dict[str, int]:
    facts = store.table(FACTS.name)
    events, rows = store.rows(
        f"SELECT toInt64(sum(events)), count() FROM {facts} WHERE {FACTS.in_window}",
        window.params(),
    )[0]
    raw = store.scalar(
        f"SELECT count() FROM {store.table(catalog.RAW_TABLE)} "
        "WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}",
        window.params(),
    )
    return {"facts": events, "rows": rows, "raw": raw}


def rewrite(store: Store, window: Window) -> None:
    rendered = plan_of(FACTS.name).render(store, store, store.table(catalog.RAW_TABLE))
    parts = list(window.chunks(CHUNK))
    store.replace_window(FACTS, window, rendered.sql, parts=parts, params=rendered.params)


def main(url: str, database: str, day: str, *flags: str) -> None:
    store = Store(connect(url, timeout_seconds=600), database)
    catalog.init_store(store)
    window = day_window(dt.date.fromisoformat(day))
    _say(**state(store, window))
    if "--inspect" in flags:
        return
    seed = store.scalar(f"SELECT count() FROM {store.table(catalog.RAW_TABLE)}")
    generate_events(store.client, database, window.start.date(), 1, EVENTS_PER_RUN, seed + 1)
    _say(ready=state(store, window)["raw"])
    rewrite(store, window)
    _say(done=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
