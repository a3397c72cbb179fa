"""The headline numbers ``pollen demo`` prints, read from the summary tables."""

from __future__ import annotations

import datetime as dt

from pollen_pipeline.store import Store
from pollen_pipeline.windows import MOMENTUM_MIN_PACK_30D


def headline_numbers(store: Store, first: dt.date, last: dt.date) -> str:
    """A short text report of paid vs free consumption for the UTC days ``first`` .. ``last``."""
    window = {"first": first, "last": last}
    pack, tier, other, requests, users = store.rows(
        "SELECT sum(pack_pollen), sum(tier_pollen), sum(other_pollen), sum(requests), "
        f"uniqExact(user_id) FROM {store.table('user_daily')} "
        "WHERE day BETWEEN {first:Date} AND {last:Date}",
        window,
    )[0]
    router = store.scalar(
        f"SELECT sumIf(total_pollen, is_router = 1) / nullIf(sum(total_pollen), 0) "
        f"FROM {store.table('usage_hourly')} "
        "WHERE toDate(hour) BETWEEN {first:Date} AND {last:Date}",
        window,
    )
    top_models = store.rows(
        "SELECT resolved_model_requested, sum(total_pollen) AS pollen, "
        "sum(pack_pollen) / nullIf(sum(pack_pollen + tier_pollen), 0) AS paid_share "
        f"FROM {store.table('model_daily')} WHERE day BETWEEN {{first:Date}} AND {{last:Date}} "
        "GROUP BY resolved_model_requested ORDER BY pollen DESC LIMIT 5",
        window,
    )
    total = pack + tier + other
    lines = [
        f"Pollen economics {first} .. {last} "
        "(production, 2xx, billable; ROUTER and the bug window left out)",
        f"  total Pollen      {total:14,.2f}   requests {requests:,}   users {users:,}",
        f"  paid (pack)       {pack:14,.2f}   paid share {_share(pack, pack + tier)}",
        f"  free (tier)       {tier:14,.2f}   free share {_share(tier, pack + tier)}",
        f"  other meters      {other:14,.2f}",
        f"  ROUTER share of all consumption: {_percent(router)}",
        "  top models by Pollen (paid share):",
        *(
            f"    {name:<18} {pollen:12,.2f}  {_percent(share)}"
            for name, pollen, share in top_models
        ),
        *_conversion_lines(store, last),
        *_rising_lines(store, last),
    ]
    return "\n".join(lines)


def _conversion_lines(store: Store, last: dt.date) -> list[str]:
    """All-time tier-to-pack conversion of the cohorts old enough for the rate to be final."""
    users, converted = store.rows(
        "SELECT sum(users), sum(converted_7d) "
        f"FROM {store.table('cohort_conversion_daily')} "
        "WHERE as_of = {last:Date} AND is_final_7d = 1",
        {"last": last},
    )[0]
    return [
        f"  tier-to-pack conversion within 7 days: {_share(converted, users)} "
        f"({converted:,} of {users:,} users whose first tier use is 7+ days old)"
    ]


def _rising_lines(store: Store, last: dt.date) -> list[str]:
    """Top 5 developers by momentum (pack 7d / pack 30d), above the seed's noise threshold."""
    rising = store.rows(
        "SELECT user_github_username, momentum, pack_7d, pack_30d "
        f"FROM {store.table('user_windows')} WHERE as_of = {{last:Date}} AND qualifies = 1 "
        "ORDER BY momentum DESC, pack_30d DESC, user_id LIMIT 5",
        {"last": last},
    )
    title = (
        f"  top rising developers by momentum on {last} "
        f"(pack 7d / pack 30d, pack 30d > {MOMENTUM_MIN_PACK_30D:g} Pollen):"
    )
    if not rising:
        top = store.scalar(
            f"SELECT max(pack_30d) FROM {store.table('user_windows')} WHERE as_of = {{last:Date}}",
            {"last": last},
        )
        return [title, f"    none above the threshold (highest pack 30d: {top or 0:,.2f} Pollen)"]
    return [
        title,
        *(
            f"    {name:<24} {momentum:6.1%}  pack 7d {pack_7d:10,.2f}  pack 30d {pack_30d:10,.2f}"
            for name, momentum, pack_7d, pack_30d in rising
        ),
    ]


def _share(part: float, whole: float) -> str:
    return _percent(part / whole if whole else None)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"
