"""The report as words: the "what changed" sentences, the markdown summary (Dagster metadata,
chat messages) and the self-contained HTML page (inline CSS and SVG, no external asset)."""

from __future__ import annotations

import html
from typing import Any

from pollen_pipeline.report import charts

# (label, field, kind) of the headline tiles; kind formats the value and its change.
TILES = (
    ("Total Pollen", "total_pollen", "pollen"),
    ("Paid share", "paid_share", "share"),
    ("Free share", "free_share", "share"),
    ("Requests", "requests", "count"),
    ("Active developers", "active_users", "count"),
    ("Conversion within 7 days", "conversion_rate_7d", "share"),
    ("ROUTER share", "router_share", "share"),
)


def fmt(value: float | None, kind: str) -> str:
    """A figure as a person reads it: 1,234.56 Pollen, 12.3%, 4,567."""
    if value is None:
        return "n/a"
    if kind == "share":
        return f"{value:.1%}"
    if kind == "count":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _moved(before: float, after: float) -> str:
    return "rose" if after > before else "fell" if after < before else "held"


def _share_sentence(name: str, before: float | None, after: float | None) -> str:
    if after is None:
        return f"No {name}: no paid or free Pollen in the range."
    if before is None:
        return f"The {name} was {after:.1%} (nothing to compare the week before)."
    verb = _moved(round(before, 3), round(after, 3))
    if verb == "held":
        return f"The {name} held at {after:.1%}."
    return f"The {name} {verb} from {before:.1%} to {after:.1%}."


def _total_sentence(numbers: dict[str, Any]) -> str:
    total, before = numbers["total_pollen"], numbers["previous"]["total_pollen"]
    volume = f"{numbers['requests']:,} requests, {numbers['active_users']:,} active developers"
    if not before:
        return f"Developers used {total:,.2f} Pollen ({volume})."
    return (
        f"Total Pollen {_moved(before, total)} {abs(total / before - 1):.0%} to {total:,.2f} "
        f"({volume})."
    )


def _model_sentences(numbers: dict[str, Any]) -> list[str]:
    sentences = []
    free, paid = numbers["top_models_by_free"], numbers["top_models_by_paid"]
    if free and numbers["tier_pollen"]:
        top = free[0]
        share = top["tier_pollen"] / numbers["tier_pollen"]
        sentences.append(f"{top['model']} burned {share:.0%} of the subsidy (free Pollen).")
    if paid and numbers["pack_pollen"]:
        top = paid[0]
        share = top["pack_pollen"] / numbers["pack_pollen"]
        sentences.append(f"{top['model']} brought {share:.0%} of the paid Pollen.")
    return sentences


def _tier_sentences(numbers: dict[str, Any]) -> list[str]:
    sentences = []
    if numbers["tier_grants"]:
        tier = max(numbers["tier_grants"], key=lambda t: t["grant_used_share"] or 0)
        sentences.append(
            f"{tier['tier']} developers used the most of their free grant: "
            f"{fmt(tier['grant_used_share'], 'share')}, and {fmt(tier['at_grant_share'], 'share')} "
            "of their days used it up."
        )
    for scenario in numbers["simulator"]:
        if scenario["scenario"] != "current" and scenario["saved_share"] is not None:
            sentences.append(
                f"Under the '{scenario['scenario']}' budget, free Pollen would fall "
                f"{scenario['saved_share']:.0%} and {fmt(scenario['capped_share'], 'share')} "
                "of developer-days would be capped."
            )
    return sentences


def _quality_sentences(numbers: dict[str, Any]) -> list[str]:
    quality = numbers["data_quality"]
    failed = quality["failed_checks"]
    sentences = [
        f"{len(failed)} {'check' if len(failed) == 1 else 'checks'} failed on days of the range: "
        + ", ".join(f"{c['asset']}.{c['check']} ({c['partition']})" for c in failed[:5])
        + ("..." if len(failed) > 5 else "")
        if failed
        else "Every check on the range's days passed."
    ]
    if quality["bug_window_days"]:
        sentences.append(
            f"The meter:combined bug window touched {len(quality['bug_window_days'])} days of "
            f"the range: its {quality['bug_window_events']:,} events are left out."
        )
    if quality["other_meter_share"]:
        sentences.append(
            f"Other meters (neither pack nor tier) carried "
            f"{quality['other_meter_share']:.1%} of the Pollen."
        )
    return sentences


def sentences(numbers: dict[str, Any]) -> list[str]:
    """What changed since the range before, and what stands out, in plain sentences."""
    if numbers["empty"]:
        return [empty_message(numbers)]
    previous = numbers["previous"]
    conversion = numbers["conversion_rate_7d"]
    return [
        _total_sentence(numbers),
        _share_sentence("free share", previous["free_share"], numbers["free_share"]),
        *_model_sentences(numbers),
        f"Tier-to-pack conversion within 7 days: {fmt(conversion, 'share')} "
        f"(was {fmt(previous['conversion_rate_7d'], 'share')}).",
        f"ROUTER made {fmt(numbers['router_share'], 'share')} of all consumption.",
        *_tier_sentences(numbers),
        *_quality_sentences(numbers),
    ]


def empty_message(numbers: dict[str, Any]) -> str:
    return (
        f"No data between {numbers['start']} and {numbers['end']}: no day of the range has "
        "been materialized (pollen materialize --start ... --end ...)."
    )


def title(numbers: dict[str, Any]) -> str:
    return f"Pollen weekly report, {numbers['start']} .. {numbers['end']}"


def markdown(numbers: dict[str, Any]) -> str:
    """The summary as markdown: tiles as a list, then the sentences."""
    lines = [f"**{title(numbers)}**", ""]
    if not numbers["empty"]:
        lines += [f"- {label}: **{fmt(numbers[field], kind)}**" for label, field, kind in TILES]
        lines.append("")
    lines += [f"- {sentence}" for sentence in sentences(numbers)]
    return "\n".join(lines)


# --- the page -------------------------------------------------------------------------------

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #222;
       max-width: 1000px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.muted { color: #666; }
.tiles { display: flex; flex-wrap: wrap; gap: 0.6em; margin: 1em 0; }
.tile { border: 1px solid #ddd; border-radius: 6px; padding: 0.5em 0.8em; min-width: 120px; }
.tile .value { font-size: 1.35em; font-weight: 600; } .tile .label { font-size: 0.8em; }
.up, .down { color: #555; font-size: 0.85em; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; } figcaption { font-size: 0.8em; color: #666; max-width: 640px; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.9em; }
td, th { padding: 0.2em 0.7em; border-bottom: 1px solid #eee; text-align: right; }
td:first-child, th:first-child { text-align: left; }
"""


def _change(numbers: dict[str, Any], field: str, kind: str) -> str:
    change = numbers["change"].get(field)
    if not change:
        return ""
    shown = {"share": f"{change * 100:+.1f} pts", "count": f"{change:+,.0f}"}
    # one colour for both directions: up is not always good news (a rising free share)
    css, arrow = ("up", "\u25b2") if change > 0 else ("down", "\u25bc")
    text = shown.get(kind, f"{change:+,.2f}")
    return f'<div class="{css}">{arrow} {html.escape(text)} vs the week before</div>'


def _tiles(numbers: dict[str, Any]) -> str:
    return "".join(
        f'<div class="tile" data-field="{field}"><div class="value">'
        f"{html.escape(fmt(numbers[field], kind))}</div>"
        f'<div class="label">{html.escape(label)}</div>{_change(numbers, field, kind)}</div>'
        for label, field, kind in TILES
    )


def _table(rows: list[dict[str, Any]], columns: tuple[tuple[str, str, str], ...]) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for label, _, _ in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(fmt(row[field], kind) if kind else str(row[field]))}</td>"
            for _, field, kind in columns
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>" if rows else '<p class="muted">None.</p>'


def _figures(numbers: dict[str, Any]) -> str:
    return "".join(
        f'<figure id="chart-{chart.key}">{charts.svg(chart, numbers)}'
        f"<figcaption>{html.escape(chart.caption)}</figcaption></figure>"
        for chart in charts.CHARTS
        if charts.drawable(chart, numbers)
    )


def _rankings(numbers: dict[str, Any]) -> str:
    models = (
        ("Model", "model", ""),
        ("Pollen", "total_pollen", "pollen"),
        ("Paid share", "paid_share", "share"),
    )
    apps = (
        ("App", "app", ""),
        ("Developer", "developer", ""),
        ("Pollen", "total_pollen", "pollen"),
        ("Paid share", "paid_share", "share"),
    )
    rising = (
        ("Developer", "developer", ""),
        ("Momentum", "momentum", "share"),
        ("Pack 7d", "pack_7d", "pollen"),
        ("Pack 30d", "pack_30d", "pollen"),
    )
    return (
        f"<h2>Top models</h2>{_table(numbers['top_models'], models)}"
        f"<h2>Top apps</h2>{_table(numbers['top_apps'], apps)}"
        f"<h2>Rising developers (pack 7d / pack 30d)</h2>"
        f"{_table(numbers['rising_developers'], rising)}"
    )


def page(numbers: dict[str, Any]) -> str:
    """The whole report as one HTML document."""
    heading = html.escape(title(numbers))
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences(numbers))
    body = f"<ul id='changes'>{items}</ul>"
    if not numbers["empty"]:
        body = (
            f"<div class='tiles'>{_tiles(numbers)}</div><h2>What changed</h2>{body}"
            f"<h2>Charts</h2><div class='charts'>{_figures(numbers)}</div>{_rankings(numbers)}"
        )
    note = (
        "Production, 2xx, billable requests; ROUTER, excluded users and the meter:combined bug "
        f"window left out. Compared with {numbers['previous']['start']} .. "
        f"{numbers['previous']['end']}. Paid = pack meters, free = tier meters."
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{heading}</title><style>{STYLE}</style></head>"
        f"<body><h1>{heading}</h1><p class='muted'>{html.escape(note)}</p>{body}</body></html>"
    )
