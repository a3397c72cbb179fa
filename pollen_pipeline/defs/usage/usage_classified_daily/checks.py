"""The pandera model of usage_classified_daily (its sums are checked against the hours by
``pollen_pipeline.checks.days_sum_hours``, declared in defs.yaml)."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.defs.usage.rules import CLASSIFIED_KEYS
from pollen_pipeline.schemas import NON_NEGATIVE


class UsageClassifiedDaily(pa.DataFrameModel):
    traffic_group: Series[str]
    funding_source: Series[str]
    business_stream: Series[str]
    all_calls: Series[np.uint64] = pa.Field(ge=0)
    successful_calls: Series[np.uint64] = pa.Field(ge=0)
    billed_calls: Series[np.uint64] = pa.Field(ge=0)
    gross_consumption: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = ["day", *(name for name, _ in CLASSIFIED_KEYS)]


ROW_RULES = {"calls_nested": "billed_calls <= successful_calls AND successful_calls <= all_calls"}
