"""Plain-Python statement of the economics tables (issue 3), used only to compute the numbers
tests expect from hand-made events. Like ``oracle``, it shares no code with the pipeline: the
windows, thresholds and cohort rule are written out again here, from the issue's text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np

from pollen_pipeline_tests import oracle

WINDOWS = {"1d": 1, "7d": 7, "30d": 30, "90d": 90}  # ending on as_of, included
MOMENTUM_MIN_PACK_30D = 10.0
SPIKE_RATIO, SPIKE_MIN_POLLEN = 2.0, 1.0
SEGMENT_CUTS = [("top_5", 0.05), ("next_15", 0.20), ("middle_60", 0.80)]  # else bottom_20
Row = dict[str, Any]


def app(e: dict) -> str:
    """The app an event counts for: its key, or for an end user's (temporary) key the BYOP app
    the key was minted for, known by the key's name."""
    return f"byop:{e['api_key_name']}" if e["api_key_type"] == "temporary" else e["api_key_id"]


ENTITIES: dict[str, Callable[[dict], Any]] = {
    "user": lambda e: e["user_id"],
    "app": app,
    "model": lambda e: e["resolved_model_requested"],
}


def span(events: list[dict], as_of: dt.date, days: int) -> list[dict]:
    """Events of the ``days`` UTC days ending on ``as_of``."""
    first = as_of - dt.timedelta(days=days - 1)
    return [e for e in events if first <= oracle.day(e) <= as_of]


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def latest(events: list[dict], field: str) -> Any:
    return max(events, key=lambda e: e["start_time"])[field]


def implied_free(e: dict) -> float:
    balances = e["balances"]
    tier = balances.get("local:tier", 0.0) + balances.get("v1:meter:tier", 0.0)
    return min(max(tier, 0.0), e["total_price"])


def windowed(events: list[dict], as_of: dt.date) -> Row:
    """pack/tier/total Pollen and requests per window, and active days."""
    row: Row = {}
    for name, days in WINDOWS.items():
        events_in = span(events, as_of, days)
        money = oracle.money(events_in)
        for prefix in ("pack", "tier", "total", "requests"):
            row[f"{prefix}_{name}"] = money[prefix]
        if name != "1d":
            row[f"active_days_{name}"] = len({oracle.day(e) for e in events_in})
    row["paid_share_30d"] = ratio(row["pack_30d"], row["pack_30d"] + row["tier_30d"])
    row["momentum"] = ratio(row["pack_7d"], row["pack_30d"])
    return row


def portfolio(events: list[dict], as_of: dt.date) -> Row:
    """Per window: distinct named apps, secret / publishable / temporary keys, and models."""
    row: Row = {}
    for name, days in WINDOWS.items():
        events_in = span(events, as_of, days)
        keys = {
            kind: {e["api_key_id"] for e in events_in if e["api_key_type"] == kind}
            for kind in ("secret", "publishable", "temporary")
        }
        named = {e["api_key_id"] for e in events_in if e["api_key_name"] not in ("undefined", "")}
        row[f"apps_{name}"] = len(named)
        row |= {f"{kind}_keys_{name}": len(ids) for kind, ids in keys.items()}
        row[f"models_{name}"] = len({e["resolved_model_requested"] for e in events_in})
    return row


def per_entity(events: list[dict], as_of: dt.date, key: Callable[[dict], Any]) -> dict:
    """Entities active in the 90 days up to ``as_of`` and their windowed numbers."""
    return {
        entity: (windowed(group, as_of), group)
        for entity, group in oracle.group(span(events, as_of, 90), key).items()
    }


def user_windows(events: list[dict], as_of: dt.date) -> dict[str, Row]:
    rows = {}
    for user, (row, group) in per_entity(events, as_of, lambda e: e["user_id"]).items():
        last30 = span(group, as_of, 30)
        enduser = oracle.byop_pollen(last30, oracle.ENDUSER_KEYS)
        developer = oracle.byop_pollen(last30, oracle.DEVELOPER_KEYS)
        row |= {
            "user_github_username": latest(group, "user_github_username"),
            "user_tier": latest(group, "user_tier"),
            "enduser_pollen_30d": enduser,
            "developer_pollen_30d": developer,
            "enduser_share_30d": ratio(enduser, developer + enduser),
            "qualifies": int(row["pack_30d"] > MOMENTUM_MIN_PACK_30D),
            "implied_free_1d": sum(implied_free(e) for e in span(group, as_of, 1)),
            "implied_free_30d": sum(implied_free(e) for e in last30),
        }
        rows[user] = row | portfolio(group, as_of)
    return rows


def app_windows(events: list[dict], as_of: dt.date) -> dict[str, Row]:
    rows = {}
    for key, (row, group) in per_entity(events, as_of, app).items():
        name = latest(group, "api_key_name")
        byop = key.startswith("byop:")
        row |= {
            "api_key_name": name,
            "api_key_type": latest(group, "api_key_type"),
            "is_named_app": int(name not in ("undefined", "")),
            "user_id": "" if byop else latest(group, "user_id"),
        }
        rows[key] = row
    return rows


def model_windows(events: list[dict], as_of: dt.date) -> dict[str, Row]:
    key = lambda e: e["resolved_model_requested"]  # noqa: E731
    rows = {model: row for model, (row, _) in per_entity(events, as_of, key).items()}
    day_total = sum(row["total_1d"] for row in rows.values())
    month_total = sum(row["total_30d"] for row in rows.values())
    for row in rows.values():
        row["requests"] = row["requests_30d"]
        row["paid_share"] = row.pop("paid_share_30d")
        row["avg_pollen_per_request"] = ratio(row["total_30d"], row["requests_30d"])
        row["cost_share_1d"] = ratio(row["total_1d"], day_total)
        row["cost_share_30d"] = ratio(row["total_30d"], month_total)
        if row["cost_share_1d"] is not None:
            row["cost_share_change"] = row["cost_share_1d"] - row["cost_share_30d"]
    return rows


def cohort(events: list[dict], as_of: dt.date) -> dict[str, Row]:
    """Users with a tier event on or before ``as_of``; converted when the first pack is not
    earlier than the first tier and at most N UTC calendar days later."""
    rows = {}
    known = [e for e in events if oracle.day(e) <= as_of]
    for user, group in oracle.group(known, lambda e: e["user_id"]).items():
        tiers = [e["start_time"] for e in group if oracle.meter(e) == "tier"]
        packs = [e["start_time"] for e in group if oracle.meter(e) == "pack"]
        if not tiers:
            continue
        first_tier, first_pack = min(tiers), min(packs, default=None)
        days = None if first_pack is None else (first_pack.date() - first_tier.date()).days
        in_order = first_pack is not None and first_pack >= first_tier
        rows[user] = {
            "cohort_day": first_tier.date(),
            "first_tier_at": first_tier,
            "first_pack_at": first_pack,
            "days_to_first_pack": days,
            "pack_before_tier": int(first_pack is not None and first_pack < first_tier),
            "converted_7d": int(in_order and days <= 7),
            "converted_30d": int(in_order and days <= 30),
        }
    return rows


def conversion(cohort_rows: dict[str, Row], as_of: dt.date) -> dict[dt.date, Row]:
    rows = {}
    for day, group in oracle.group(list(cohort_rows.values()), lambda r: r["cohort_day"]).items():
        users = len(group)
        c7 = sum(r["converted_7d"] for r in group)
        c30 = sum(r["converted_30d"] for r in group)
        rows[day] = {
            "users": users,
            "converted_7d": c7,
            "converted_30d": c30,
            "conversion_rate_7d": c7 / users,
            "conversion_rate_30d": c30 / users,
            "is_final_7d": int((as_of - day).days >= 7),
            "is_final_30d": int((as_of - day).days >= 30),
        }
    return rows


def _spike(events: list[dict], as_of: dt.date) -> Row | None:
    day, week, month = (oracle.money(span(events, as_of, n)) for n in (1, 7, 30))
    if not month["total"]:
        return None
    avg7, avg30 = week["total"] / 7, month["total"] / 30
    ratio30 = ratio(day["total"], avg30)
    return {
        "pollen_1d": day["total"],
        "avg_daily_7d": avg7,
        "avg_daily_30d": avg30,
        "ratio_7d": ratio(day["total"], avg7),
        "ratio_30d": ratio30,
        "paid_1d": day["pack"],
        "free_1d": day["tier"],
        "is_spike": int(ratio30 >= SPIKE_RATIO and day["total"] >= SPIKE_MIN_POLLEN),
    }


def spikes(events: list[dict], as_of: dt.date) -> dict[tuple[str, str], Row]:
    entities = {("system", "system"): events}
    for kind, entity_of in ENTITIES.items():
        for entity, group in oracle.group(events, entity_of).items():
            entities[(kind, entity)] = group
    rows = {key: _spike(group, as_of) for key, group in entities.items()}
    return {key: row for key, row in rows.items() if row is not None}


def segments(windows: dict[str, Row]) -> dict[str, Row]:
    active = sorted(
        ((row["total_30d"], user) for user, row in windows.items() if row["total_30d"] > 0),
        key=lambda item: (-item[0], item[1]),
    )
    rows = {}
    for rank, (_, user) in enumerate(active, start=1):
        above = (rank - 1) / len(active)
        label = next((name for name, cut in SEGMENT_CUTS if above < cut), "bottom_20")
        rows[user] = {"pollen_rank": rank, "ranked_users": len(active), "segment": label}
    return rows


def tier_overlay(windows: dict[str, Row]) -> dict[str, Row]:
    active = [row for row in windows.values() if row["total_30d"] > 0]
    rows = {}
    for tier, group in oracle.group(active, lambda r: r["user_tier"]).items():
        shares = [r["paid_share_30d"] for r in group if r["paid_share_30d"] is not None]
        pollen = sum(r["total_30d"] for r in group)
        row = {"users": len(group), "pollen_30d": pollen, "pollen_per_user": pollen / len(group)}
        row["users_with_share"] = len(shares)
        for name, level in (("p10", 0.1), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p90", 0.9)):
            row[f"paid_share_{name}"] = float(np.quantile(shares, level)) if shares else None
        rows[tier] = row
    return rows
