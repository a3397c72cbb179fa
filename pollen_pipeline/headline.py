"""The headline numbers ``pollen demo`` prints, read from the summary tables."""

from __future__ import annotations

import datetime as dt

from pollen_pipeline.clickhouse import Store


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
    ]
    return "\n".join(lines)


def _share(part: float, whole: float) -> str:
    return _percent(part / whole if whole else None)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"
