"""fallbacks_daily's recount from generation_event_v2."""

from __future__ import annotations

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days


def attempts_match_v2(ctx: CheckContext) -> Verdict:
    """Per day, the attempts equal a recount of v2's non-final rows (by its time, whatever the
    group)."""
    v2 = ctx.side("generation_event_v2")
    if not ctx.raw.has_table(v2):  # absent: the run left the window empty, with a note
        return Verdict(True, f"{v2} absent: no attempts to recount", {})
    actual = f"SELECT day, sum(attempts) FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"
    expected = (
        f"SELECT toDate(start_time, 'UTC') AS day, countIf(is_final = 0) FROM {v2} "
        "WHERE toDate(start_time, 'UTC') IN {days:Array(Date)} GROUP BY day "
        "HAVING countIf(is_final = 0) > 0"
    )
    return compare(ctx.store, actual, expected, window_days(ctx), what="days", expected_on=ctx.raw)
