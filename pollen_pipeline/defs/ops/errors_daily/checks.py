"""pandera model of errors_daily: errors_hourly's rows of a day, summed."""

from __future__ import annotations

from pollen_pipeline import contract
from pollen_pipeline.defs.ops.errors_hourly.checks import ErrorsHourly
from pollen_pipeline.defs.ops.rules import ERROR_KEYS


class ErrorsDaily(ErrorsHourly):
    class Config:
        unique = ["day", *(name for name, _ in ERROR_KEYS)]


ROW_RULES = {
    "in_error_scope": contract.RAW_ERROR_STATUS,
    "first_to_last_within_the_day": "toDate(first_at, 'UTC') = day AND first_at <= last_at "
    "AND toDate(last_at, 'UTC') = day",
}
