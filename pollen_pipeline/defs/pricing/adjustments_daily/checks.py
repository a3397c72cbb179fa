"""adjustments_daily's recount from raw events."""

from __future__ import annotations

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days


def costs_match_raw(ctx: CheckContext) -> Verdict:
    """Per day, the adjustments' USD equal the sum of every request's adjustment costs (unrounded:
    ``compare`` allows for the order sums are added in, where rounding both could split a tie)."""
    actual = f"SELECT day, sum(cost_usd) FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"
    present = {row[0] for row in ctx.raw.rows(f"DESCRIBE (SELECT * FROM {ctx.raw_table})")}
    if "adjustment_costs" not in present:  # no v2 columns: there can be no adjustments
        rows = ctx.store.scalar(
            f"SELECT count() FROM {ctx.qualified} WHERE {ctx.in_window}", ctx.params()
        )
        return Verdict(rows == 0, f"no v2 columns in the raw events, {rows} rows", {})
    expected = (
        "SELECT toDate(start_time, 'UTC') AS day, sum(arraySum(mapValues(adjustment_costs))) "
        f"FROM {ctx.raw_table} WHERE toDate(start_time, 'UTC') IN {{days:Array(Date)}} "
        "AND length(adjustment_costs) > 0 GROUP BY day"
    )
    return compare(ctx.store, actual, expected, window_days(ctx), what="days", expected_on=ctx.raw)
