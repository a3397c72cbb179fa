"""pandera model of byop_daily, and its recount from raw events."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.defs.raw.generation_event.columns import key_origin_fragments
from pollen_pipeline.schemas import FLAG, EconomicsColumns


class ByopDaily(EconomicsColumns):
    key_origin: Series[str] = pa.Field(isin=list(contract.BYOP_KEY_ORIGINS))
    app_name: Series[str]
    users: Series[np.uint64] = pa.Field(gt=0)
    keys: Series[np.uint64] = pa.Field(gt=0)
    key_columns: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        unique = ["day", "key_origin", "app_name", "api_key_type"]


def byop_matches_raw(ctx: CheckContext) -> Verdict:
    """Per day and key origin: requests and Pollen equal raw events of BYOP keys in economics,
    classified from the raw columns again (not read back from the facts scan)."""
    origin = key_origin_fragments(ctx.raw, ctx.raw_table)["raw_key_origin"]
    actual = (
        "SELECT day, key_origin, sum(requests), sum(total_pollen) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day, key_origin"
    )
    expected = (
        f"SELECT toDate(start_time, 'UTC') AS day, {origin} AS key_origin, count(), "
        f"sum(total_price) FROM {ctx.raw_table} "
        "WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')} "
        f"AND {contract.RAW_ECONOMICS_EVENTS} AND key_origin IN {{byop_key_origins:Array(String)}} "
        "GROUP BY day, key_origin"
    )
    return compare(
        ctx.store,
        actual,
        expected,
        ctx.params(),
        keys=2,
        what="days x origins",
        expected_on=ctx.raw,
    )
