"""model_ranges' own rules: a model, tier and key type has its ranged sums only."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import ranged, ranges_join, windows_fragments

MODEL = ranged("resolved_model_requested, user_tier, api_key_type")


def fragments() -> dict[str, str]:
    """``$ranges`` and ``$ranges_by_running_sums`` of ``MODEL``, and ``$ranges_join``."""
    return {**windows_fragments(MODEL, "ranges"), "ranges_join": ranges_join(MODEL)}
