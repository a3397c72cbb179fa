"""pandera model of errors_hourly: every row is an error of its own hour."""

from __future__ import annotations

from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.defs.ops.rules import ERROR_KEYS
from pollen_pipeline.schemas import ErrorColumns


class ErrorsHourly(ErrorColumns):
    resolved_model_requested: Series[str]
    error_source: Series[str]

    class Config:
        unique = ["hour", *(name for name, _ in ERROR_KEYS)]


ROW_RULES = {
    "in_error_scope": contract.RAW_ERROR_STATUS,
    "first_to_last_within_the_hour": "hour <= first_at AND first_at <= last_at "
    "AND last_at < hour + INTERVAL 1 HOUR",
}
