"""Hand-made raw events for tests: a default production event and a way to insert a list."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from pollen_pipeline.store import Store

UTC = dt.UTC
_ids = itertools.count()

DEFAULTS: dict[str, Any] = {
    "request_path": "/api/generate/v1/chat/completions",
    "response_time": 800.0,
    "response_status": 200,
    "environment": "production",
    "event_type": "generate.text",
    "user_id": "u1",
    "user_tier": "seed",
    "user_github_id": "1001",
    "user_github_username": "alice",
    "api_key_id": "k1",
    "api_key_name": "alice-app",
    "api_key_type": "secret",
    "selected_meter_slug": "local:tier",
    "balances": {"local:tier": 3.0, "local:pack": 0.0},
    "referrer_domain": "alice.example",
    "resolved_model_requested": "openai",
    "model_requested": "openai",
    "model_used": "openai",
    "model_provider_used": "azure",
    "is_billed_usage": True,
    "token_count_prompt_text": 100,
    "token_count_completion_text": 50,
    "total_price": 0.001,
    "total_cost": 0.001,
    "cache_hit": False,
}


def at(text: str) -> dt.datetime:
    """A UTC instant from 'YYYY-MM-DD HH:MM:SS'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def event(start: str, **fields: Any) -> dict[str, Any]:
    """One raw event at UTC time ``start``; keyword arguments override the defaults."""
    start_time = at(start)
    row = {**DEFAULTS, **fields, "start_time": start_time}
    row.setdefault("end_time", start_time)
    number = next(_ids)
    row.setdefault("request_id", f"req-{number}")
    row.setdefault("event_id", f"evt-{number}")
    return row


def insert_events(
    store: Store, events: list[dict[str, Any]], table: str = "generation_event"
) -> None:
    """Insert events into a raw table of the store (columns not given take their defaults)."""
    columns = sorted({name for row in events for name in row})
    data = [[row.get(name, DEFAULTS.get(name)) for name in columns] for row in events]
    store.client.insert(store.table(table), data, column_names=columns)
