"""user_ranges' own rules: the developer's distinct keys per range."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import joined_per_range, per_range


def fragments() -> dict[str, str]:
    """``$active_apps_per_range``: distinct app_daily keys per range, as the panel joins them
    (a developer without keys of their own, only another's, has none), and ``$active_apps``."""
    return {
        "active_apps_per_range": per_range("uniqExactIf(api_key_id, {window})"),
        "active_apps": joined_per_range("active_apps"),
    }
