"""demand_ranges' own rules: a tier has the distinct ids of its refused users per range."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import (
    LOOKBACK_ROWS,
    RANGE_WINDOWS,
    Windowed,
    ranges_join,
    windows_fragments,
)

TIER_REFUSALS = Windowed(
    key="user_tier",
    measures={},
    id_arrays={"refused_users": "refused_user_ids"},
    windows=RANGE_WINDOWS,
)


def fragments() -> dict[str, str]:
    """``$ranges`` and ``$ranges_by_running_sums`` of ``TIER_REFUSALS``, ``$ranges_join`` and
    ``$lookback_rows`` (the economics windows' 90 days before the run)."""
    return {
        **windows_fragments(TIER_REFUSALS, "ranges"),
        "ranges_join": ranges_join(TIER_REFUSALS),
        "lookback_rows": LOOKBACK_ROWS,
    }
