"""An independent, plain-Python statement of the seed's contract, used only to compute the
numbers tests expect from hand-made events. It shares no code with the pipeline on purpose."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

UTC = dt.UTC
BUG_START = dt.datetime(2025, 12, 30, 16, 59, 45, tzinfo=UTC)
BUG_END = dt.datetime(2026, 1, 8, 18, 19, 58, tzinfo=UTC)


# GitHub ids the tests exclude with `pollen exclude` (the team's banned users).
EXCLUDED = frozenset({"9009"})


def filter_status(e: dict[str, Any]) -> str:
    if e["environment"] != "production":
        return "non_production"
    if not 200 <= e["response_status"] < 300:
        return "non_2xx"
    if not e["total_price"] > 0:
        return "zero_price"
    if BUG_START <= e["start_time"] <= BUG_END:
        return "bug_window"
    if e["user_github_id"] in EXCLUDED:
        return "excluded"
    return "ok"


def is_router(e: dict[str, Any]) -> bool:
    return e["user_github_id"] == "241978997"


def meter(e: dict[str, Any]) -> str:
    slug = e["selected_meter_slug"]
    if slug in ("local:pack", "v1:meter:pack"):
        return "pack"
    if slug in ("local:tier", "v1:meter:tier"):
        return "tier"
    return "other"


def byop_pollen(events: list[dict], key_types: tuple[str, ...]) -> float:
    """Pack + tier Pollen of keys of ``key_types``: the team's BYOP split counts no other meter."""
    return sum(
        e["total_price"]
        for e in events
        if e["api_key_type"] in key_types and meter(e) in ("pack", "tier")
    )


ENDUSER_KEYS = ("temporary",)
DEVELOPER_KEYS = ("secret", "publishable")


def usage_events(events: list[dict]) -> list[dict]:
    return [e for e in events if filter_status(e) == "ok"]


def economics_events(events: list[dict]) -> list[dict]:
    return [e for e in usage_events(events) if not is_router(e)]


def day(e: dict[str, Any]) -> dt.date:
    return e["start_time"].astimezone(UTC).date()


def hour(e: dict[str, Any]) -> dt.datetime:
    return e["start_time"].astimezone(UTC).replace(minute=0, second=0)


def money(events: list[dict]) -> dict[str, float]:
    """pack / tier / other / total Pollen and request count of a list of events."""
    sums = defaultdict(float)
    for e in events:
        sums[meter(e)] += e["total_price"]
        sums["total"] += e["total_price"]
        sums["requests"] += 1
    return {key: sums[key] for key in ("pack", "tier", "other", "total", "requests")}


def group(events: list[dict], key) -> dict[Any, list[dict]]:
    groups = defaultdict(list)
    for e in events:
        groups[key(e)].append(e)
    return dict(groups)


# --- On-call rules (issue 15) ------------------------------------------------------------------

ERROR_MESSAGE_CHARS = 200
# The gateway's insufficient-balance messages (enter.pollinations.ai balance.ts).
INSUFFICIENT_BALANCE = re.compile(r"Insufficient (pollen )?balance|Your pollen balance is too low")
PROMPT_TOKENS = ("text", "audio", "cached", "image")
COMPLETION_TOKENS = ("text", "reasoning", "audio", "image")


def production(events: list[dict]) -> list[dict]:
    return [e for e in events if e["environment"] == "production"]


def is_error(e: dict[str, Any]) -> bool:
    """A 4xx or 5xx, or any status outside 100..599 (0: no status recorded)."""
    return e["response_status"] >= 400 or e["response_status"] < 100


def normalised_message(message: str) -> str:
    """Digit runs (ids, amounts) become '#', then the first 200 characters are kept."""
    return re.sub(r"[0-9]+", "#", message)[:ERROR_MESSAGE_CHARS]


def refused_for_balance(e: dict[str, Any]) -> bool:
    return e["response_status"] == 402


def says_insufficient_balance(e: dict[str, Any]) -> bool:
    return INSUFFICIENT_BALANCE.match(e["error_message"]) is not None


def minute(e: dict[str, Any]) -> dt.datetime:
    return e["start_time"].astimezone(UTC).replace(second=0, microsecond=0)


def tokens_in(e: dict[str, Any]) -> int:
    return sum(e.get(f"token_count_prompt_{kind}", 0) for kind in PROMPT_TOKENS)


def tokens_out(e: dict[str, Any]) -> int:
    return sum(e.get(f"token_count_completion_{kind}", 0) for kind in COMPLETION_TOKENS)


# --- Platform health (issue 7) -----------------------------------------------------------------


def nearest_rank(times: list[float], q: float) -> float:
    """The exact nearest-rank ``q`` quantile of ``times``: the first whose rank reaches ``q * n``.
    The store reads its latency quantiles from a log-scale histogram, which puts them within one
    bucket's relative resolution (about 2.2%) of this."""
    ordered = sorted(times)
    return next(t for rank, t in enumerate(ordered, start=1) if rank >= q * len(ordered))
