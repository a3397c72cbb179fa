"""app_ranges' own rules: the app's referrer domains per range."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import joined_per_range, per_range


def fragments() -> dict[str, str]:
    """``$referrer_domains_per_range``: distinct referrer domains of the key per range (a key
    without referrer_daily rows has none, as in the ranking's join), and ``$referrer_domains``."""
    return {
        "referrer_domains_per_range": per_range("uniqExactIf(referrer_domain, {window})"),
        "referrer_domains": joined_per_range("referrer_domains"),
    }
