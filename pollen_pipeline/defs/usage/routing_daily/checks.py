"""pandera model of routing_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.schemas import FLAG, EconomicsColumns


class RoutingDaily(EconomicsColumns):
    resolved_model_requested: Series[str]
    model_used: Series[str]
    model_provider_used: Series[str]
    is_rerouted: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        unique = ["day", "resolved_model_requested", "model_used", "model_provider_used"]


ROW_RULES = {
    "rerouted_flag_matches_models": "is_rerouted = "
    "toUInt8(toString(model_used) != toString(resolved_model_requested))"
}
