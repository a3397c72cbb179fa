"""The report's charts, drawn by matplotlib from ``report_numbers``: SVG text for the page (it
stays one offline file) and PNG bytes for chat attachments.

matplotlib is imported when a chart is drawn, not at import (it takes a second), and with the
non-interactive Agg backend: the report runs on servers without a display.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PAID_COLOR, FREE_COLOR, OTHER_COLOR, LINE_COLOR = "#2b7bb9", "#f2a93b", "#b0b0b0", "#c0392b"
WIDE, NARROW = (9.0, 3.6), (4.4, 3.4)


@dataclass(frozen=True)
class Chart:
    """One chart of the page: its title, a caption and the function drawing it on an Axes."""

    key: str
    title: str
    caption: str
    draw: Callable[[Any, dict[str, Any]], None]
    data: str  # the list of the report's numbers it draws: no chart when it is empty
    size: tuple[float, float] = NARROW


def _paid_vs_free(axes: Any, numbers: dict[str, Any]) -> None:
    days = [row["day"][5:] for row in numbers["daily"]]
    paid = [row["pack_pollen"] for row in numbers["daily"]]
    free = [row["tier_pollen"] for row in numbers["daily"]]
    axes.bar(days, paid, color=PAID_COLOR, label="paid (pack)")
    axes.bar(days, free, bottom=paid, color=FREE_COLOR, label="free (tier)")
    axes.set_ylabel("Pollen")
    share = axes.twinx()
    shares = [row["free_share"] for row in numbers["daily"]]
    share.plot(
        days,
        [s if s is not None else float("nan") for s in shares],
        color=LINE_COLOR,
        marker="o",
        label="free share",
    )
    share.set_ylim(0, 1)
    share.yaxis.set_major_formatter(_percent_formatter())
    handles = axes.get_legend_handles_labels()[0] + share.get_legend_handles_labels()[0]
    axes.legend(handles=handles, loc="upper left", fontsize=8, frameon=False)


def _top_models(meter: str, color: str) -> Callable[[Any, dict[str, Any]], None]:
    def draw(axes: Any, numbers: dict[str, Any]) -> None:
        models = numbers[f"top_models_by_{meter}"][::-1]  # largest on top
        column = "pack_pollen" if meter == "paid" else "tier_pollen"
        axes.barh([m["model"] for m in models], [m[column] for m in models], color=color)
        axes.set_xlabel("Pollen")

    return draw


def _cohorts(axes: Any, numbers: dict[str, Any]) -> None:
    cohorts = numbers["cohorts"]
    days = [c["cohort_day"][5:] for c in cohorts]
    rates = [c["converted_7d"] / c["users"] if c["users"] else 0.0 for c in cohorts]
    colors = [PAID_COLOR if c["final_7d"] else OTHER_COLOR for c in cohorts]
    axes.bar(days, rates, color=colors)
    axes.yaxis.set_major_formatter(_percent_formatter())
    axes.set_ylabel("converted within 7 days")


def _tier_grants(axes: Any, numbers: dict[str, Any]) -> None:
    tiers = numbers["tier_grants"]
    axes.bar(
        [t["tier"] for t in tiers],
        [t["grant_used_share"] or 0 for t in tiers],
        color=FREE_COLOR,
        label="grant used",
    )
    axes.plot(
        [t["tier"] for t in tiers],
        [t["at_grant_share"] or 0 for t in tiers],
        "o",
        color=LINE_COLOR,
        label="developer-days at the grant",
    )
    axes.yaxis.set_major_formatter(_percent_formatter())
    axes.legend(fontsize=8, frameon=False)


def _simulator(axes: Any, numbers: dict[str, Any]) -> None:
    scenarios = numbers["simulator"]
    names = [s["scenario"] for s in scenarios]
    axes.bar(
        names,
        [s["actual_tier_pollen"] for s in scenarios],
        color=OTHER_COLOR,
        label="actual free Pollen",
    )
    axes.bar(
        names,
        [s["simulated_tier_pollen"] for s in scenarios],
        width=0.5,
        color=FREE_COLOR,
        label="under the scenario",
    )
    axes.set_ylabel("Pollen")
    axes.legend(fontsize=8, frameon=False)


def _percent_formatter() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


MAIN = Chart(
    "paid_vs_free",
    "Paid vs free Pollen per day",
    "Stacked paid (pack) and free (tier) Pollen; the line is the free share of paid + free.",
    _paid_vs_free,
    "daily",
    WIDE,
)
CHARTS = (
    MAIN,
    Chart(
        "top_paid_models",
        "Top models by paid Pollen",
        "Pack-funded Pollen per model.",
        _top_models("paid", PAID_COLOR),
        "top_models_by_paid",
    ),
    Chart(
        "top_free_models",
        "Top models by free Pollen",
        "The models the subsidy goes to.",
        _top_models("free", FREE_COLOR),
        "top_models_by_free",
    ),
    Chart(
        "cohorts",
        "Tier-to-pack conversion by cohort",
        "Share of each day's new free users who bought a pack within 7 days (grey: fewer "
        "than 7 days old, still open).",
        _cohorts,
        "cohorts",
        WIDE,
    ),
    Chart(
        "tier_grants",
        "Free grant use by tier",
        "Free Pollen used / granted, and the share of developer-days that used the grant up.",
        _tier_grants,
        "tier_grants",
    ),
    Chart(
        "simulator",
        "Tier budget scenarios",
        "Free Pollen actually used, and what each scenario would have served.",
        _simulator,
        "simulator",
    ),
)


def drawable(chart: Chart, numbers: dict[str, Any]) -> bool:
    """Whether the report holds the data ``chart`` needs (the tier tables may be empty)."""
    return bool(numbers[chart.data])


def _figure(chart: Chart, numbers: dict[str, Any]) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=chart.size, layout="constrained")
    axes = figure.add_subplot()
    chart.draw(axes, numbers)
    axes.set_title(chart.title, fontsize=10, loc="left")
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def svg(chart: Chart, numbers: dict[str, Any]) -> str:
    """The chart as an inline ``<svg>`` element (no XML prolog)."""
    buffer = io.StringIO()
    _figure(chart, numbers).savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def png(chart: Chart, numbers: dict[str, Any]) -> bytes:
    """The chart as a PNG image."""
    buffer = io.BytesIO()
    _figure(chart, numbers).savefig(buffer, format="png", dpi=120)
    return buffer.getvalue()
