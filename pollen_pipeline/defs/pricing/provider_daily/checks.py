"""pandera model of provider_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import NON_NEGATIVE, at_most


class ProviderDaily(pa.DataFrameModel):
    model_provider_used: Series[str]
    model_used: Series[str]
    requests: Series[np.uint64] = pa.Field(gt=0)
    failed_requests: Series[np.uint64]
    money: Series[np.float64] = pa.Field(
        alias=r"^(provider_cost|pollen_charged|router_cost|pack_pollen|tier_pollen)$",
        regex=True,
        **NON_NEGATIVE,
    )
    margin_pollen: Series[np.float64]  # negative when a model is sold below its cost

    class Config:
        coerce = False
        strict = False
        unique = ["day", "model_provider_used", "model_used"]


ROW_RULES = {
    "failed_within_requests": "failed_requests <= requests",
    "router_within_cost": at_most("router_cost", "provider_cost"),
    "metered_within_charged": at_most("pack_pollen + tier_pollen", "pollen_charged"),
}
