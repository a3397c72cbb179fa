"""``python -m pollen_pipeline.dashboards [--out DIR] [--check]``: write or check the JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pollen_pipeline.dashboards import render_all

# The repository's provisioned dashboards: pollen_pipeline/dashboards/ -> <repo>/grafana/.
DASHBOARD_DIR = Path(__file__).resolve().parents[2] / "grafana" / "dashboards"


def stale(out: Path, rendered: dict[str, str]) -> list[str]:
    """Files in ``out`` that are missing or differ from what the builders produce."""
    return [
        name
        for name, content in rendered.items()
        if not (out / name).is_file() or (out / name).read_text() != content
    ]


def write(out: Path, rendered: dict[str, str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, content in rendered.items():
        (out / name).write_text(content)
        print(f"wrote {out / name}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pollen_pipeline.dashboards")
    parser.add_argument("--out", type=Path, default=DASHBOARD_DIR, help="folder of the JSON")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 listing differing files"
    )
    args = parser.parse_args(argv)
    rendered = render_all()
    if not args.check:
        write(args.out, rendered)
        return 0
    differing = stale(args.out, rendered)
    for name in differing:
        print(args.out / name)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
