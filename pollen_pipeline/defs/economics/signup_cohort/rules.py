"""Rules of signup_cohort only: its within-N-days counts, one per conversion horizon."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import CONVERSION_DAYS

# first use / first pack -> the column prefix counting the accounts that reached it
MILESTONES = {"first_use": "used", "first_pack": "packed"}


def _within(milestone: str, prefix: str, days: int) -> str:
    # a milestone before the sign-up (events under an id D1 created later) is never "within"
    return (
        f"countIf(ifNull({milestone} >= signup AND {milestone} - signup <= {days}, 0)) "
        f"AS {prefix}_{days}d"
    )


def fragments() -> dict[str, str]:
    """``$signup_milestones``: every milestone reached at all and within each horizon."""
    counts = [
        column
        for milestone, prefix in MILESTONES.items()
        for column in (
            f"countIf({milestone} IS NOT NULL) AS {prefix}",
            *(_within(milestone, prefix, days) for days in CONVERSION_DAYS),
        )
    ]
    return {"signup_milestones": ",\n    ".join(counts)}
