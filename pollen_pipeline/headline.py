"""The headline numbers ``pollen demo`` prints: the report's numbers, as terminal text."""

from __future__ import annotations

import datetime as dt

from pollen_pipeline.defs.economics.rules import MOMENTUM_MIN_PACK_30D
from pollen_pipeline.report import numbers
from pollen_pipeline.store import Store

HEADLINE_MODELS = 5


def headline_numbers(store: Store, first: dt.date, last: dt.date) -> str:
    """A short text report of paid vs free consumption for the UTC days ``first`` .. ``last``."""
    span = numbers.Span(first, last)
    figures = numbers.totals(store, span)
    lines = [
        f"Pollen economics {first} .. {last} "
        "(production, 2xx, billable; ROUTER and the bug window left out)",
        f"  total Pollen      {figures['total_pollen']:14,.2f}   "
        f"requests {figures['requests']:,}   users {figures['active_users']:,}",
        f"  paid (pack)       {figures['pack_pollen']:14,.2f}   "
        f"paid share {percent(figures['paid_share'])}",
        f"  free (tier)       {figures['tier_pollen']:14,.2f}   "
        f"free share {percent(figures['free_share'])}",
        f"  other meters      {figures['other_pollen']:14,.2f}",
        f"  ROUTER share of all consumption: {percent(figures['router_share'])}",
        "  top models by Pollen (paid share):",
        *(
            f"    {model['model']:<18} {model['total_pollen']:12,.2f}  "
            f"{percent(model['paid_share'])}"
            for model in numbers.top_models(store, span)[:HEADLINE_MODELS]
        ),
        _conversion_line(*numbers.conversion_7d(store, span)),
        *_rising_lines(store, span),
    ]
    return "\n".join(lines)


def _conversion_line(converted: int, users: int) -> str:
    return (
        f"  tier-to-pack conversion within 7 days: {percent(numbers.ratio(converted, users))} "
        f"({converted:,} of {users:,} users whose first tier use is 7+ days old)"
    )


def _rising_lines(store: Store, span: numbers.Span) -> list[str]:
    title = (
        f"  top rising developers by momentum on {span.last} "
        f"(pack 7d / pack 30d, pack 30d > {MOMENTUM_MIN_PACK_30D:g} Pollen):"
    )
    rising = numbers.rising_developers(store, span)
    if not rising:
        top = numbers.highest_pack_30d(store, span)
        return [title, f"    none above the threshold (highest pack 30d: {top:,.2f} Pollen)"]
    return [
        title,
        *(
            f"    {d['developer']:<24} {d['momentum']:6.1%}  pack 7d {d['pack_7d']:10,.2f}  "
            f"pack 30d {d['pack_30d']:10,.2f}"
            for d in rising
        ),
    ]


def percent(value: float | None) -> str:
    """A share as a percentage with one decimal, 'n/a' when undefined."""
    return "n/a" if value is None else f"{value:.1%}"
