"""spikes_daily's own rules: what counts as a spike."""

from __future__ import annotations

SPIKE_MIN_RATIO_30D = 2.0  # a day at least twice the 30-day daily average
SPIKE_MIN_POLLEN_1D = 1.0  # about 1 USD: tiny entities doubling is not news

IS_SPIKE = (
    f"toUInt8(ifNull(ratio_30d >= {SPIKE_MIN_RATIO_30D!r}, 0) "
    f"AND pollen_1d >= {SPIKE_MIN_POLLEN_1D!r})"
)


def fragments() -> dict[str, str]:
    """``$is_spike``: the flag of a row with ``ratio_30d`` and ``pollen_1d``."""
    return {"is_spike": IS_SPIKE}
