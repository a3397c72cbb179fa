"""Checks of platform_minutely: its pandera model, and its minutes against load_minutely's."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from dagster import MetadataValue
from pandera.typing import Series

from pollen_pipeline.checks import SAMPLE, CheckContext, Verdict


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
    """Per minute of the window: requests, tokens and image requests equal load_minutely's rows
    of the minute (images counted per event type there, then added: another route than the
    table's sumIf). Compared inside ClickHouse, every count exactly: the 5-minute job checks a
    month of minutes (43,200) each run, too many to bring into Python every five minutes."""
    recount = (
        "SELECT minute, sum(requests) AS minute_requests, "
        "sum(tokens_in) + sum(tokens_out) AS minute_tokens, "
        "sum(if(event_type = {image_event_type:String}, requests, 0)) AS minute_images "
        f"FROM {ctx.store.table('load_minutely')} "
        "WHERE minute >= {start:DateTime('UTC')} AND minute < {end:DateTime('UTC')} "
        "GROUP BY minute"
    )
    differing = ctx.store.rows(
        "SELECT toString(minute), count() OVER (), requests, minute_requests, tokens, "
        "minute_tokens, image_requests, minute_images "
        f"FROM (SELECT * FROM {ctx.qualified} WHERE {ctx.in_window}) AS stored "
        f"FULL OUTER JOIN ({recount}) AS recounted USING (minute) "
        "WHERE (requests, tokens, image_requests) "
        "!= (minute_requests, minute_tokens, minute_images) "
        f"ORDER BY minute LIMIT {SAMPLE}",
        ctx.params(),
    )
    shown = {
        minute: {"table": [table_r, table_t, table_i], "load_minutely": [load_r, load_t, load_i]}
        for minute, _, table_r, load_r, table_t, load_t, table_i, load_i in differing
    }
    count = differing[0][1] if differing else 0
    return Verdict(
        not differing,
        f"{count} minutes differ from load_minutely's (requests, tokens, image requests)",
        {"differing": MetadataValue.json(shown)},
    )
