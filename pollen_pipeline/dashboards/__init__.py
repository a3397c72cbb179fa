"""The provisioned Grafana dashboards, as code: ``grafana/dashboards/*.json`` is generated here.

Layout:

- ``grafana.py``: the building blocks every dashboard shares: the ClickHouse target, panel
  kinds (timeseries, table, bars, stat, scatter, pie, text), field overrides, variables, the
  grid layout, the dashboard envelope, and the SQL fragments several dashboards read (variable
  filters, the day range, :func:`~.grafana.latest_as_of`, :func:`~.grafana.by_range`). It
  imports no dashboard module.
- one module per dashboard (``economics.py``, ``tiers_pricing.py``, ...). Each holds its SQL
  next to its panels and exposes ``dashboard()``. A new panel goes into its dashboard's module;
  only a block that a second dashboard needs moves to ``grafana.py``.

Pipeline constants (thresholds, check names, the contract's values) are imported from the
pipeline, never copied, so a dashboard follows a change of rule.

Regenerate and check (both the code and the JSON are committed)::

    .venv/bin/python -m pollen_pipeline.dashboards            # rewrite grafana/dashboards/
    .venv/bin/python -m pollen_pipeline.dashboards --check    # exit 1 naming stale files

The health dashboard's SLO defaults come from ``POLLEN_SLO_*`` when it is built.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pollen_pipeline.dashboards import (
    data_quality,
    economics,
    operations,
    platform_health,
    tiers_pricing,
    usage_cost,
    workspace,
)

DASHBOARDS: dict[str, Callable[[], dict[str, Any]]] = {
    "pollen-economics.json": economics.dashboard,
    "pollen-usage-cost.json": usage_cost.dashboard,
    "pollen-platform-health.json": platform_health.dashboard,
    "pollen-data-quality.json": data_quality.dashboard,
    "pollen-operations.json": operations.dashboard,
    "pollen-tiers-pricing.json": tiers_pricing.dashboard,
    "pollen-workspace.json": workspace.dashboard,
}


def render(name: str) -> str:
    """The JSON text of dashboard file ``name``, as written to disk."""
    return json.dumps(DASHBOARDS[name](), indent=2) + "\n"


def render_all() -> dict[str, str]:
    """File name -> JSON text of every dashboard."""
    return {name: render(name) for name in DASHBOARDS}
