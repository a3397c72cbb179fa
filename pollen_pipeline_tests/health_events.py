"""Hand-made health events of one UTC day: known statuses, latencies, cached tokens and token
prices, over two hours and two providers, plus two non-production events. ``health_hourly``'s
tests and the "Pollen Platform Health" dashboard's tests compute their numbers from this set."""

from __future__ import annotations

import datetime as dt

import numpy as np

from pollen_pipeline_tests.events import event

DAY = dt.date(2026, 3, 5)
STATUSES = (200, 201, 400, 429, 500, 503, 200, 204, 200)
PROVIDERS = {"azure": "openai", "aws": "claude"}
PRICES = {
    "token_price_prompt_text": 1.5e-7,
    "token_price_prompt_cached": 1.5e-8,
    "token_price_prompt_audio": 4e-7,
    "token_price_prompt_image": 2e-7,
    "token_price_completion_text": 6e-7,
    "token_price_completion_reasoning": 6e-7,
    "token_price_completion_audio": 8e-7,
    "token_price_completion_image": 3e-5,
}
TOKEN_KINDS = [name.removeprefix("token_price_") for name in PRICES]


def _tokens(i: int) -> dict[str, int]:
    """Distinct counts per kind, so a swapped count/price pair changes the savings."""
    return {f"token_count_{kind}": (i * 7 + n * 13) % 90 for n, kind in enumerate(TOKEN_KINDS)}


def health_event(hour: int, provider: str, i: int, **fields) -> dict:
    """One event of ``provider`` in ``hour`` of DAY, its status, latency and tokens drawn from
    ``i``; keyword arguments override."""
    status = STATUSES[i % len(STATUSES)]
    cached = status < 300 and i % 4 == 0
    # spread over ~4 decades, plus one missing (0) time; Float32 as the raw column stores it
    latency = 0.0 if i == 5 else float(np.float32(20 * 1.17 ** (i % 41) + i))
    row = {
        "model_provider_used": provider,
        "resolved_model_requested": PROVIDERS[provider],
        "event_type": "generate.image" if i % 5 == 0 else "generate.text",
        "response_status": status,
        "response_time": latency,
        "cache_hit": cached,
        "is_billed_usage": not cached and status < 300,
        "total_price": 0.0 if cached or status >= 300 else 0.001 * (1 + i % 3),
        **PRICES,
        **_tokens(i),
    }
    return event(f"2026-03-05 {hour:02d}:{i % 60:02d}:{i % 7:02d}", **{**row, **fields})


EVENTS = [
    health_event(hour, provider, i)
    for hour in (10, 11)
    for provider, count in (("azure", 57), ("aws", 23))
    for i in range(count + hour)
] + [
    # not production: out of every health number, whatever its status or latency
    health_event(10, "azure", 3, environment="development", response_time=90000.0),
    health_event(11, "aws", 4, environment="test", response_status=500),
]
