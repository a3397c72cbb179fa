"""Checks of the raw events themselves: they keep arriving.

Raw events have no materializations to judge, so a check reads the newest production event. It
runs as a job every 30 minutes (``defs.yaml``): inside a run process, which may open the
embedded store, rather than in the daemon, which must not.
"""

from __future__ import annotations

import datetime as dt

from dagster import MetadataValue

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict


def judge(latest: dt.datetime | None, now: dt.datetime, stale_after: dt.timedelta) -> Verdict:
    """Pass when the newest production event is at most ``stale_after`` old."""
    age = None if latest is None else now - latest
    limit = f"{stale_after.total_seconds() / 3600:g} h"
    described = "none in the window read" if age is None else f"{age.total_seconds() / 60:.0f} min"
    return Verdict(
        age is not None and age <= stale_after,
        f"Newest production event: {described} ago (limit {limit})",
        {
            "latest_start_time": MetadataValue.text(latest.isoformat() if latest else ""),
            "age_minutes": round(age.total_seconds() / 60, 1) if age is not None else -1.0,
        },
    )


def new_production_events(ctx: CheckContext, stale_after_minutes: int) -> Verdict:
    """A production event arrived within ``stale_after_minutes`` of the window's end (now).

    Only the window is scanned (the last two days): the answer is about the last hours, and a
    full scan of the raw table every 30 minutes would be the most expensive query there is."""
    epoch, count = ctx.raw.rows(
        f"SELECT toUnixTimestamp(max(start_time)), count() FROM {ctx.raw_table} "
        f"WHERE {contract.RAW_PRODUCTION_EVENTS} "
        "AND start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}",
        ctx.params(),
    )[0]
    latest = dt.datetime.fromtimestamp(epoch, dt.UTC) if count else None
    return judge(latest, ctx.window.end, dt.timedelta(minutes=stale_after_minutes))
