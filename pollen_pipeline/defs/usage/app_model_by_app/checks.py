"""pandera model of app_model_by_app."""

from __future__ import annotations

from pandera.typing import Series

from pollen_pipeline.schemas import EconomicsColumns


class AppModelByApp(EconomicsColumns):
    api_key_id: Series[str]
    resolved_model_requested: Series[str]

    class Config:
        unique = ["day", "api_key_id", "resolved_model_requested"]
