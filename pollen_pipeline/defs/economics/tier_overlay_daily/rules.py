"""tier_overlay_daily's own rules: the paid-share quantiles per tier."""

from __future__ import annotations

QUANTILES = {"p10": 0.10, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p90": 0.90}


def _quantiles() -> str:
    levels = ", ".join(repr(level) for level in QUANTILES.values())
    return f"quantilesExactInclusive({levels})(paid_share_30d)"


def _quantile_columns() -> str:
    # quantiles of no values are NaN; say NULL instead, as every other undefined ratio does
    return ",\n    ".join(
        f"if(users_with_share > 0, shares[{n}], NULL) AS paid_share_{name}"
        for n, name in enumerate(QUANTILES, start=1)
    )


def fragments() -> dict[str, str]:
    """``$paid_share_quantiles`` (one array) and ``$paid_share_quantile_columns`` (its
    elements as columns)."""
    return {
        "paid_share_quantiles": _quantiles(),
        "paid_share_quantile_columns": _quantile_columns(),
    }
