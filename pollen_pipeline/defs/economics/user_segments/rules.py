"""user_segments' own rules: implicit tiers by 30-day Pollen rank."""

from __future__ import annotations

# Users ranked by 30-day total Pollen; a user whose share of users ranked above them is below
# the cut-off falls in that segment.
SEGMENTS = (("top_5", 0.05), ("next_15", 0.20), ("middle_60", 0.80), ("bottom_20", 1.0))
SEGMENT_LABELS = tuple(label for label, _ in SEGMENTS)


def _segment() -> str:
    cases = [f"(pollen_rank - 1) / ranked_users < {cut!r}, '{label}'" for label, cut in SEGMENTS]
    return f"multiIf({', '.join(cases[:-1])}, '{SEGMENTS[-1][0]}')"


def fragments() -> dict[str, str]:
    """``$segment``: a ranked user's segment."""
    return {"segment": _segment()}
