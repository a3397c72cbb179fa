"""pandera model of data_quality_daily, and the meter check that catches the next meter bug."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from dagster import MetadataValue
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict
from pollen_pipeline.schemas import NON_NEGATIVE

OTHER_METER_LIMIT = 0.01  # share of a day's billable Pollen on unclassifiable meters


class DataQualityDaily(pa.DataFrameModel):
    raw_events: Series[np.uint64] = pa.Field(gt=0)
    raw_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    production_events: Series[np.uint64] = pa.Field(ge=0)
    passed_events: Series[np.uint64] = pa.Field(ge=0)
    passed_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    economics_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    other_meter_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    excluded_events: Series[np.uint64] = pa.Field(ge=0)
    duplicate_event_ids: Series[np.uint64] = pa.Field(ge=0)

    class Config:
        unique = ["day"]


# each raw event is removed by one filter or passes
ROW_RULES = {
    "filters_add_up_to_raw": "(raw_events - production_events) + non_2xx_events "
    "+ zero_price_events + bug_window_events + excluded_events + passed_events = raw_events"
}


def meters_classified(ctx: CheckContext) -> Verdict:
    """Days whose Pollen on unclassifiable meters exceeds 1%: the signature of a meter bug.

    Bug-window events never reach these sums (the contract removes them first), so any other
    day with such a share is a new problem upstream.
    """
    rows = ctx.store.rows(
        f"SELECT toString(day), other_meter_pollen, economics_pollen FROM {ctx.qualified} "
        f"WHERE {ctx.in_window}",
        ctx.params(),
    )
    offending = {
        day: round(other / total, 6)
        for day, other, total in rows
        if total > 0 and other / total > OTHER_METER_LIMIT
    }
    return Verdict(
        not offending,
        f"{len(offending)} days with more than {OTHER_METER_LIMIT:.0%} of Pollen on meters "
        "that are neither pack nor tier",
        {"other_share_by_day": MetadataValue.json(offending)},
    )


def no_duplicate_events(ctx: CheckContext) -> Verdict:
    """Days where an event id repeats: at-least-once delivery upstream counts those events (and
    their Pollen) twice in every table, since no table collapses them."""
    rows = ctx.store.rows(
        f"SELECT toString(day), duplicate_event_ids FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} AND duplicate_event_ids > 0",
        ctx.params(),
    )
    return Verdict(
        not rows,
        f"{sum(count for _, count in rows)} events repeat an event id of their day "
        f"({len(rows)} days)",
        {"duplicates_by_day": MetadataValue.json(dict(rows))},
    )
