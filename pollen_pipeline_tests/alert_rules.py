"""The provisioned Grafana alert rules (``grafana/provisioning/alerting/pollen-alerts.yaml``):
each rule's query and threshold, so tests run the query on a materialized store and compare
its values with the threshold as Grafana would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
ALERTING = ROOT / "grafana" / "provisioning" / "alerting" / "pollen-alerts.yaml"


def rules_by_uid() -> dict[str, dict[str, Any]]:
    """Every rule of every group, by its uid."""
    config = yaml.safe_load(ALERTING.read_text())
    return {rule["uid"]: rule for group in config["groups"] for rule in group["rules"]}


def rule_sql(rule: dict[str, Any]) -> str:
    (query,) = [item for item in rule["data"] if item["refId"] == "A"]
    return query["model"]["rawSql"]


def threshold(rule: dict[str, Any]) -> float:
    (condition,) = [item for item in rule["data"] if item["refId"] == rule["condition"]]
    return condition["model"]["conditions"][0]["evaluator"]["params"][0]
