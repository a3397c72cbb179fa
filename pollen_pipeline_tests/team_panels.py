"""coverage/team_panels.yaml as the coverage tests read it, and how they compare result rows."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import yaml

COVERAGE = Path(__file__).resolve().parents[1] / "coverage" / "team_panels.yaml"


def coverage() -> dict:
    return yaml.safe_load(COVERAGE.read_text())


def panels_of(legacy: bool) -> list[dict]:
    """The panels of the current dashboards, or of the legacy ones (``set: legacy``)."""
    document = coverage()
    dashboards = document["dashboards"]
    return [
        panel
        for panel in document["panels"]
        if (dashboards[panel["dashboard"]].get("set") == "legacy") == legacy
    ]


def comparable(value: object) -> object:
    """Floats to 6 decimals; moments as naive UTC (the driver returns a DateTime('UTC') column
    naive and an expression's in the session's time zone, the same instant)."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dt.datetime) and value.tzinfo:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def rounded(rows: list[tuple]) -> list[tuple]:
    return [tuple(comparable(v) for v in row) for row in rows]


def _same(a: object, b: object) -> bool:
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return comparable(a) == comparable(b)


def same_rows(ours: list[tuple], theirs: list[tuple]) -> bool:
    """Equal rows, numbers up to Float64 sums added in another order (a summary sums partial
    sums: 0.0024965 on either side of a rounding to 6 decimals)."""
    return len(ours) == len(theirs) and all(
        len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
        for a, b in zip(ours, theirs, strict=True)
    )
