"""pandera model of errors_daily: errors_hourly's rows of a day, summed."""

from __future__ import annotations

from pollen_pipeline import contract
from pollen_pipeline.defs.ops.errors_hourly.checks import ErrorsHourly


class ErrorsDaily(ErrorsHourly):
    class Config:
        unique = [
            "day",
            "model_provider_used",
            "resolved_model_requested",
            "response_status",
            "error_response_code",
            "error_source",
        ]


ROW_RULES = {
    "in_error_scope": contract.RAW_ERROR_STATUS,
    "first_to_last_within_the_day": "toDate(first_at, 'UTC') = day AND first_at <= last_at "
    "AND toDate(last_at, 'UTC') = day",
}
