"""model_windows' own rules: a model has its windowed sums only."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import Windowed, windows_fragments

MODEL = Windowed(key="resolved_model_requested")


def fragments() -> dict[str, str]:
    """``$windows`` and ``$windows_by_running_sums`` of ``MODEL``."""
    return windows_fragments(MODEL)
