"""pandera models of the usage tables (pollen_pipeline/assets/usage.py), one per table.

Like the core models they see one materialized partition of summary rows, never raw events.
"""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks.schemas import EconomicsColumns

FLAG = {"isin": [0, 1]}


class ReferrerDaily(EconomicsColumns):
    referrer_domain: Series[str]
    api_key_id: Series[str]
    is_named_app: Series[np.uint8] = pa.Field(**FLAG)
    models_used: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["day", "referrer_domain", "api_key_id"]


class RequestPathDaily(EconomicsColumns):
    request_path: Series[str]
    user_tier: Series[str]
    api_key_type: Series[str]
    billed_requests: Series[np.uint64] = pa.Field(ge=0)
    unbilled_requests: Series[np.uint64] = pa.Field(ge=0)
    cache_hit_requests: Series[np.uint64] = pa.Field(ge=0)
    models_used: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["day", "request_path", "user_tier", "api_key_type"]

    @pa.dataframe_check
    def billed_split_adds_up(cls, frame):  # noqa: N805 - pandera passes the class
        return frame.billed_requests + frame.unbilled_requests == frame.requests


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


class AppModelDaily(EconomicsColumns):
    api_key_id: Series[str]
    resolved_model_requested: Series[str]
    is_named_app: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        unique = ["day", "api_key_id", "resolved_model_requested"]
