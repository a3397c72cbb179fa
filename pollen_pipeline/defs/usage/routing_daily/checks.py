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

    @pa.dataframe_check
    def rerouted_flag_matches_models(cls, frame):  # noqa: N805 - pandera passes the class
        differs = frame.model_used.astype(str) != frame.resolved_model_requested.astype(str)
        return frame.is_rerouted.astype(bool) == differs.astype(bool)
