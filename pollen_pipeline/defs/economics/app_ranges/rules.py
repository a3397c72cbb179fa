"""app_ranges' own rules: a named app's ranged sums, latest attributes and referrer domains
(an app: ``contract.app_id``, the select's ``app_id``)."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import (
    distinct_per_range,
    joined_columns,
    ranged,
    ranges_join,
    windows_fragments,
)

APP = ranged(
    "app_id",
    # aliases no app_daily column has, so none shadows one in the aggregates
    latest={
        "key_name": "api_key_name",
        "key_type": "api_key_type",
        "owner_username": "app_developer",
        "last_named_day": "day",
    },
    maxima={"models_max_per_day": "models_used"},  # the most models the app used on one day
)
# Every referrer_daily row of the app's keys counts, as the ranking's join does: an app without
# any has none (0 after the LEFT JOIN).
REFERRERS = distinct_per_range("app_id", "referrer_domains", "referrer_domain", "referrers")


def fragments() -> dict[str, str]:
    """``$ranges`` and ``$referrer_domains`` (with their ``_by_running_sums``), the referrer
    columns they join and ``$ranges_join``."""
    return {
        **windows_fragments(APP, "ranges"),
        **windows_fragments(REFERRERS, "referrer_domains"),
        "referrer_domain_columns": joined_columns("referrer_domains"),
        "ranges_join": ranges_join(APP, "referrer_domains"),
    }
