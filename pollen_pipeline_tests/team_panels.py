"""coverage/team_panels.yaml as the coverage tests read it, and how they compare result rows."""

from __future__ import annotations

import datetime as dt
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
