"""balance_daily's own rules: which raw events say a developer's balance."""

from __future__ import annotations

from pollen_pipeline import contract

# The run's production events of developers (ROUTER and excluded users out): read three times
# by the SELECT, each time for other columns.
BALANCE_EVENTS = (
    "start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}\n"
    f"        AND {contract.RAW_PRODUCTION_USER_EVENTS}"
)


def fragments() -> dict[str, str]:
    return {"balance_events": BALANCE_EVENTS}
