"""fallbacks_daily's recount from generation_event_v2."""

from __future__ import annotations

from pollen_pipeline.checks import CheckContext, Verdict, recount_sides


def attempts_match_v2(ctx: CheckContext) -> Verdict:
    """Per day, the attempts equal a recount of v2's non-final rows (by its time, whatever the
    group)."""
    actual = f"SELECT day, sum(attempts) FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"

    def expected(v2: str) -> str:
        return (
            f"SELECT toDate(start_time, 'UTC') AS day, countIf(is_final = 0) FROM {v2} "
            "WHERE toDate(start_time, 'UTC') IN {days:Array(Date)} GROUP BY day "
            "HAVING countIf(is_final = 0) > 0"
        )

    return recount_sides(ctx, ["generation_event_v2"], actual, expected)
