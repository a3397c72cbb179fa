"""Checks of platform_minutely: its pandera model, and its minutes against load_minutely's."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare


class PlatformMinutely(pa.DataFrameModel):
    requests: Series[np.uint64] = pa.Field(gt=0)
    tokens: Series[np.uint64] = pa.Field(ge=0)
    image_requests: Series[np.uint64] = pa.Field(ge=0)

    class Config:
        coerce = False
        strict = False
        unique = ["minute"]


ROW_RULES = {"images_within_requests": "image_requests <= requests"}


def load_minutely_summed(ctx: CheckContext) -> Verdict:
    """Per minute of the window: requests, tokens and image requests equal load_minutely's
    rows of the minute (images counted per event type there, then added: another route than
    the table's sumIf)."""
    load = ctx.store.table("load_minutely")
    return compare(
        ctx.store,
        "SELECT toString(minute), requests, tokens, image_requests "
        f"FROM {ctx.qualified} WHERE {ctx.in_window}",
        "SELECT toString(minute), sum(requests), sum(tokens_in) + sum(tokens_out), "
        "sum(if(event_type = {image_event_type:String}, requests, 0)) "
        f"FROM {load} WHERE minute >= {{start:DateTime('UTC')}} "
        "AND minute < {end:DateTime('UTC')} GROUP BY minute",
        ctx.params(),
        what="minutes",
    )
