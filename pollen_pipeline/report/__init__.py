"""The weekly economics report: ``report.json`` (the numbers) and ``report.html`` (one offline
page of numbers, sentences and charts), from the summary tables only.

- ``numbers``: what the report says, as plain data (the JSON);
- ``charts``: matplotlib figures of those numbers;
- ``page``: sentences, the markdown summary and the HTML page;
- ``delivery``: posting the summary (and the main chart, on Discord) to a chat webhook.

``pollen report`` and the ``weekly_report`` asset both call :func:`write_report`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from pollen_pipeline.report import page
from pollen_pipeline.report.numbers import Span, report_numbers
from pollen_pipeline.store import Store

REPORT_DIR_VARIABLE = "POLLEN_REPORT_DIR"
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)


class ReportError(ValueError):
    """A report that cannot be made; the message is one line for a person."""


def report_dir() -> Path:
    """Where reports go: ``POLLEN_REPORT_DIR``, by default ``.pollen/reports``."""
    return Path(os.environ.get(REPORT_DIR_VARIABLE, "").strip() or Path(".pollen") / "reports")


def default_out(span: Span) -> Path:
    """A range's own folder under :func:`report_dir`."""
    return report_dir() / f"{span.first}_{span.last}"


def last_complete_week(today: dt.date) -> Span:
    """The 7 complete UTC days before ``today``."""
    return Span(today - WEEK, today - DAY)


def checked_span(first: dt.date, last: dt.date, first_partition: dt.date) -> Span:
    """``first`` .. ``last``, refused in one line when it is reversed or wholly before the
    pipeline's first partition (nothing there can ever be materialized)."""
    if last < first:
        raise ReportError(f"the report range ends ({last}) before it starts ({first})")
    if last < first_partition:
        raise ReportError(
            f"the report range {first} .. {last} is before the first partition "
            f"({first_partition}, POLLEN_START_DATE)"
        )
    return Span(first, last)


def write_report(store: Store, span: Span, out: Path) -> dict[str, Any]:
    """Write ``out/report.json`` and ``out/report.html`` for ``span``; return the numbers."""
    numbers = report_numbers(store, span)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(numbers, indent=2) + "\n")
    (out / "report.html").write_text(page.page(numbers))
    return numbers
