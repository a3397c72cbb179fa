"""`make bench` stays runnable: its quick mode runs every scenario end to end on tiny data.

Figures are not asserted (timings belong to the benchmark, not to tests); the report's shape is.
The fixed cost and the one-day run are of the core tables only (`--select`): a run of every table
costs ~15 s here whatever its data, the backfill (for the panels) runs them all, and so do other
tests (test_v2_totals.py, test_grafana.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_quick_mode_reports_every_scenario(tmp_path):
    output = tmp_path / "latest.json"
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"]
    command += ["--workdir", str(tmp_path / "work"), "--output", str(output)]
    command += ["--select", "group:core"]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, timeout=600)
    report = json.loads(output.read_text())
    names = [step["name"] for step in report["steps"]]
    assert names == [
        "fixed cost (empty day)",
        "floor 20,000",
        "materialize 20,000",
        "backfill 3d x 5,000",
    ]
    assert report["selection"] == ["group:core"]
    assert report["one_day"][0]["time_ratio"] > 0
    assert report["panels"]["panels"] and report["panels"]["raw_vs_panel_30d"]
    timed_variables = {row["variable"] for row in report["panels"]["variables"]}
    assert "$holds_user_ranges" in timed_variables  # what decides the developer panels' table
