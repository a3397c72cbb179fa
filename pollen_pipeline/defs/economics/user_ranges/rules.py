"""user_ranges' own rules: a developer's ranged sums per tier, and their apps per range."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import (
    distinct_per_range,
    joined_columns,
    ranged,
    ranges_join,
    windows_fragments,
)

# Per tier of the day, so the tier variable filters the days as it does on user_daily.
DEVELOPER = ranged(
    "user_id, user_tier",
    # aliases no user_daily column has, so none shadows one in the aggregates
    latest={"username": "user_github_username", "last_tier_day": "day"},
    maxima={"models_max_per_day": "models_used"},  # the most models used on one day
)
# Per developer (every tier's days): the distinct keys the developer owned in app_daily, as the
# panel joins them (a developer without keys of their own, only another's, has none).
ACTIVE_APPS = distinct_per_range("user_id", "active_apps", "api_key_id", "keys")


def fragments() -> dict[str, str]:
    """``$ranges`` and ``$active_apps`` (with their ``_by_running_sums``), the columns they
    join and ``$ranges_join``."""
    return {
        **windows_fragments(DEVELOPER, "ranges"),
        **windows_fragments(ACTIVE_APPS, "active_apps"),
        "active_apps_columns": joined_columns("active_apps"),
        "ranges_join": ranges_join(DEVELOPER, "active_apps"),
    }
