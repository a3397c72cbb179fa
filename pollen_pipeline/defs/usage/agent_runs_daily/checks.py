"""agent_runs_daily's recount from raw events."""

from __future__ import annotations

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days


def steps_match_raw(ctx: CheckContext) -> Verdict:
    """Per day, steps and their Pollen equal a recount of the events naming a parent request
    (unrounded: ``compare`` allows for the order sums are added in, where rounding both to a
    few decimals put 0.3402185 on either side)."""
    actual = (
        f"SELECT day, sum(steps), sum(run_pollen) FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY day"
    )
    present = {row[0] for row in ctx.raw.rows(f"DESCRIBE (SELECT * FROM {ctx.raw_table})")}
    if "parent_request_id" not in present:  # no v2 columns: there can be no runs
        rows = ctx.store.scalar(
            f"SELECT count() FROM {ctx.qualified} WHERE {ctx.in_window}", ctx.params()
        )
        return Verdict(rows == 0, f"no v2 columns in the raw events, {rows} rows", {})
    expected = (
        "SELECT toDate(start_time, 'UTC') AS day, count(), sum(total_price) "
        f"FROM {ctx.raw_table} WHERE parent_request_id != '' "
        "AND toDate(start_time, 'UTC') IN {days:Array(Date)} GROUP BY day"
    )
    return compare(ctx.store, actual, expected, window_days(ctx), what="days", expected_on=ctx.raw)
