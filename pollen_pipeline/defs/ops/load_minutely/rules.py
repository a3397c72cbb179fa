"""load_minutely's own rules: the latency bucket of each raw event, the health domain's
histogram (defs/health/rules.py), kept per minute so that health_hourly needs no scan of its own."""

from __future__ import annotations

from pollen_pipeline.defs.health.rules import RAW_BUCKET


def fragments() -> dict[str, str]:
    return {"latency_bucket": RAW_BUCKET}
