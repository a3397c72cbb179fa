"""referrer_ranges' own rules: each app of a referrer domain (``contract.app_id``, the select's
``app_id``) has its ranged sums and name."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import per_window, ranged, ranges_join, windows_fragments

# an alias no referrer_daily column has, so it shadows none in the aggregates
APP_OF_DOMAIN = ranged("referrer_domain, app_id", latest={"app_name": "api_key_name"})


def fragments() -> dict[str, str]:
    """``$ranges`` and ``$ranges_by_running_sums`` of ``APP_OF_DOMAIN``, ``$ranges_join`` and
    ``$app_pollen`` (the app's Pollen per range, under a name the domain's sum does not take)."""
    return {
        **windows_fragments(APP_OF_DOMAIN, "ranges"),
        "ranges_join": ranges_join(APP_OF_DOMAIN),
        "app_pollen": per_window("total_pollen"),
    }
