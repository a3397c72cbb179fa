"""balance_latest's own rules: the all-time fan-out of the economics as_of tables."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import AS_OF_FANOUT_ALL_TIME, RUN_START_DAY


def fragments() -> dict[str, str]:
    """``$run_start_day`` and ``$as_of_fanout_all_time``, as the cohort uses them."""
    return {"run_start_day": RUN_START_DAY, "as_of_fanout_all_time": AS_OF_FANOUT_ALL_TIME}
