"""The tiers domain's rules: tier grants and the budget scenarios the tier tables compare them
with.

- ``POLLEN_TIER_GRANTS``: free Pollen a user of each tier is granted per day, as
  ``tier=amount,...`` (default: the January 2026 grants). Tiers not listed get 0.
- ``POLLEN_TIER_SCENARIOS``: a YAML file of scenarios (default: ``tier_scenarios.yaml`` beside
  this module; its comments say what each field means).

Both are read when a run starts (``sql_parameters``), never at import, and reach the SQL as
bound parameters. A bad value is one line naming the variable (and the file and key).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from pollen_pipeline.settings import SettingsError
from pollen_pipeline.table_sql import provides

GRANTS_VARIABLE = "POLLEN_TIER_GRANTS"
SCENARIOS_VARIABLE = "POLLEN_TIER_SCENARIOS"
DEFAULT_GRANTS = "microbe=0.1,spore=1,seed=3,flower=10,nectar=20"
DEFAULT_SCENARIOS = Path(__file__).parent / "tier_scenarios.yaml"
KINDS = ("fixed", "dynamic")
# The "What-if: today's grants x scale" choices: tier_grant_scale_daily computes each, the
# dashboard offers each (and no other: the panel reads the precomputed rows).
GRANT_SCALES = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


@dataclass(frozen=True)
class Scenario:
    """One way of granting free Pollen (see ``config/tier_scenarios.yaml``)."""

    name: str
    kind: Literal["fixed", "dynamic"]
    scale: float = 1.0  # fixed: x the configured grants
    base_budget: float = 0.0  # dynamic: the day's budget is clamp(base x ln(1 + R7), ...)
    floor: float = 0.0
    ceiling: float = 0.0
    shares: dict[str, float] | None = None  # dynamic: the budget's share per tier


def tier_grants() -> dict[str, float]:
    """Tier -> daily grant, from ``POLLEN_TIER_GRANTS``."""
    text = os.environ.get(GRANTS_VARIABLE, "").strip() or DEFAULT_GRANTS
    grants = {}
    for item in text.split(","):
        tier, separator, amount = (part.strip() for part in item.partition("="))
        if not separator or not tier:
            raise SettingsError(f"{GRANTS_VARIABLE}: {item.strip()!r} is not tier=amount")
        grants[tier] = _non_negative(amount, f"{GRANTS_VARIABLE}: {tier}")
    return grants


def _non_negative(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{where} must be a number, not {value!r}") from None
    if number < 0:
        raise SettingsError(f"{where} must not be negative, not {value!r}")
    return number


def scenarios() -> list[Scenario]:
    """The scenarios of the ``POLLEN_TIER_SCENARIOS`` file, in file order."""
    path = Path(os.environ.get(SCENARIOS_VARIABLE, "").strip() or DEFAULT_SCENARIOS)
    where = f"{SCENARIOS_VARIABLE} file {path}"
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(f"{where}: {type(error).__name__}: {error}") from None
    listed = document.get("scenarios") if isinstance(document, dict) else None
    if not isinstance(listed, dict) or not listed:
        raise SettingsError(f"{where}: expected a 'scenarios' mapping of name -> scenario")
    return [_scenario(name, fields, where) for name, fields in listed.items()]


def _scenario(name: str, fields: Any, where: str) -> Scenario:
    key = f"{where}: scenarios.{name}"
    if not isinstance(fields, dict) or fields.get("kind") not in KINDS:
        raise SettingsError(f"{key}.kind must be one of {', '.join(KINDS)}")
    if fields["kind"] == "fixed":
        return Scenario(name, "fixed", scale=_non_negative(fields.get("scale", 1), f"{key}.scale"))
    numbers = {
        field: _non_negative(fields.get(field), f"{key}.{field}")
        for field in ("base_budget", "floor", "ceiling")
    }
    if numbers["floor"] > numbers["ceiling"]:
        raise SettingsError(f"{key}.floor must not be above {key}.ceiling")
    shares = fields.get("shares")
    if not isinstance(shares, dict) or not shares:
        raise SettingsError(f"{key}.shares must map tiers to their share of the budget")
    checked = {tier: _non_negative(share, f"{key}.shares.{tier}") for tier, share in shares.items()}
    if abs(sum(checked.values()) - 1) > 1e-9:
        raise SettingsError(f"{key}.shares must add up to 1, not {sum(checked.values())}")
    return Scenario(name, "dynamic", shares=checked, **numbers)


@provides(
    "tier_names",
    "tier_grants",
    "scenario_names",
    "scenario_dynamic",
    "scenario_scales",
    "scenario_base_budgets",
    "scenario_floors",
    "scenario_ceilings",
    "scenario_shares",
    "grant_scales",
)
def sql_parameters() -> dict[str, Any]:
    """The grants and scenarios as bound parameters of the tier tables' SQL: parallel arrays
    (tier names and grants; per scenario its name, kind, scale, dynamic bounds, and the
    dynamic shares of every tier in ``tier_names`` order), and the what-if grant scales."""
    grants = tier_grants()
    listed = scenarios()
    tiers = sorted({*grants, *(tier for s in listed for tier in (s.shares or {}))})
    return {
        "tier_names": tiers,
        "tier_grants": [grants.get(tier, 0.0) for tier in tiers],
        "scenario_names": [s.name for s in listed],
        "scenario_dynamic": [int(s.kind == "dynamic") for s in listed],
        "scenario_scales": [s.scale for s in listed],
        "scenario_base_budgets": [s.base_budget for s in listed],
        "scenario_floors": [s.floor for s in listed],
        "scenario_ceilings": [s.ceiling for s in listed],
        "scenario_shares": [[(s.shares or {}).get(tier, 0.0) for tier in tiers] for s in listed],
        "grant_scales": list(GRANT_SCALES),
    }


# A user's daily grant under the configured grants, from the bound tier arrays.
GRANT = (
    "transform(toString(user_tier), {tier_names:Array(String)}, {tier_grants:Array(Float64)}, 0.)"
)


def fragments() -> dict[str, str]:
    """``$tier_grant`` for the tier tables' SQL."""
    return {"tier_grant": GRANT}
