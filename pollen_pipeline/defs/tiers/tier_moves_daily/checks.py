"""pandera model of tier_moves_daily, and its recount from tier_event and scoring_snapshot."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, recount_sides
from pollen_pipeline.schemas import NON_NEGATIVE


class TierMovesDaily(pa.DataFrameModel):
    tier: Series[str]
    registrations: Series[np.uint64] = pa.Field(ge=0)
    tier_changes: Series[np.uint64] = pa.Field(ge=0)
    refills: Series[np.uint64] = pa.Field(ge=0)
    refilled_accounts: Series[np.uint64] = pa.Field(ge=0)
    refill_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    scored: Series[np.uint64] = pa.Field(ge=0)
    score_moves_out: Series[np.uint64] = pa.Field(ge=0)
    score_moves_in: Series[np.uint64] = pa.Field(ge=0)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "tier"]


ROW_RULES = {"moved_out_were_scored": "score_moves_out <= scored"}


def moves_match_sources(ctx: CheckContext) -> Verdict:
    """Per day: registrations, tier changes, accounts refilled (tier_event, production) and
    distinct users scored (scoring_snapshot), counted without the table's per-tier rows."""
    actual = (
        "SELECT day, sum(registrations), sum(tier_changes), sum(refilled_accounts), sum(scored) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"
    )

    def expected(events: str, scores: str) -> str:
        return (
            "SELECT d, sum(r), sum(c), sum(a), sum(s) FROM ("
            "SELECT toDate(timestamp, 'UTC') AS d, countIf(event_type = 'user_registration') AS r, "
            "countIf(event_type = 'tier_change') AS c, "
            "sumIf(greatest(ifNull(user_count, 0), 0), event_type = 'tier_refill') AS a, 0 AS s "
            f"FROM {events} WHERE environment = {{production_environment:String}} "
            "AND toDate(timestamp, 'UTC') IN {days:Array(Date)} GROUP BY d "
            "UNION ALL SELECT toDate(timestamp, 'UTC'), 0, 0, 0, uniqExact(user_id) "
            f"FROM {scores} WHERE toDate(timestamp, 'UTC') IN {{days:Array(Date)}} "
            "GROUP BY toDate(timestamp, 'UTC')) GROUP BY d"
        )

    return recount_sides(ctx, ["tier_event", "scoring_snapshot"], actual, expected)
