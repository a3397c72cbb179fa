"""pandera model of tier_simulation_daily, and its checks against user_daily and tier_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from dagster import MetadataValue
from pandera.typing import Series

from pollen_pipeline.checks import SAMPLE, CheckContext, Verdict, close, compare, raw_totals
from pollen_pipeline.schemas import NON_NEGATIVE, at_most

CURRENT_SCENARIO = "current"  # the scenario that replays today's grants


class TierSimulationDaily(pa.DataFrameModel):
    scenario: Series[str]
    user_tier: Series[str]
    users: Series[np.uint64] = pa.Field(gt=0)
    users_capped: Series[np.uint64]
    pollen: Series[np.float64] = pa.Field(
        alias=r"^(actual_tier|simulated_tier|budget|r7_pack)_pollen$", regex=True, **NON_NEGATIVE
    )
    grant_per_user: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "scenario", "user_tier"]


ROW_RULES = {
    "simulated_within_actual": at_most("simulated_tier_pollen", "actual_tier_pollen"),
    "simulated_within_budget": at_most("simulated_tier_pollen", "budget_pollen"),
    "capped_within_users": "users_capped <= users",
}


def actual_matches_user_daily(ctx: CheckContext) -> Verdict:
    """Per day and scenario: developers and actual free Pollen equal user_daily's per day."""
    actual = (
        "SELECT day, scenario, sum(users), sum(actual_tier_pollen) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day, scenario"
    )
    expected = (
        "SELECT day, scenario, count(), sum(tier_pollen) "
        f"FROM {ctx.store.table('user_daily')} "
        "ARRAY JOIN {scenario_names:Array(String)} AS scenario "
        f"WHERE {ctx.in_window} GROUP BY day, scenario"
    )
    return compare(ctx.store, actual, expected, ctx.params(), keys=2, what="days x scenarios")


def current_budget_matches_tier_daily(ctx: CheckContext) -> Verdict:
    """The 'current' scenario's budget per day and tier equals tier_daily.grant_pollen."""
    if CURRENT_SCENARIO not in ctx.params()["scenario_names"]:
        return Verdict(False, f"no {CURRENT_SCENARIO!r} scenario to compare with tier_daily")
    actual = (
        "SELECT day, user_tier, budget_pollen "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} AND scenario = {{current:String}}"
    )
    expected = (
        "SELECT day, user_tier, grant_pollen "
        f"FROM {ctx.store.table('tier_daily')} WHERE {ctx.in_window}"
    )
    params = {**ctx.params(), "current": CURRENT_SCENARIO}
    return compare(ctx.store, actual, expected, params, keys=2, what="days x tiers")


def actual_matches_raw(ctx: CheckContext) -> Verdict:
    """Per day and scenario: actual free Pollen equals raw free-meter Pollen under the contract."""
    raw = raw_totals(ctx, "free")
    rows = ctx.store.rows(
        "SELECT toString(day), scenario, sum(actual_tier_pollen) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day, scenario",
        ctx.params(),
    )
    differing = {
        f"{day} {scenario}": {"table": pollen, "raw": raw.get(day, (0, 0.0))[1]}
        for day, scenario, pollen in rows
        if not close(pollen, raw.get(day, (0, 0.0))[1])
    }
    return Verdict(
        not differing,
        f"{len(differing)} of {len(rows)} days x scenarios differ from raw free-meter Pollen",
        {"differing": MetadataValue.json(dict(list(differing.items())[:SAMPLE]))},
    )
