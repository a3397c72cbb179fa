"""Hand-made side-source rows (D1 accounts, Stripe and Polar webhooks) and the helpers the
side-source tests share: one row per insert, so a row's missing columns take their defaults."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

UTC = dt.UTC


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), UTC)


def epoch(day: dt.date, hour: int) -> int:
    return int(at(day, hour).timestamp())


def account(user_id: str, synced: dt.datetime, tier: str, **fields: Any) -> dict[str, Any]:
    return {"id": user_id, "name": f"Name {user_id}", "email": f"{user_id}@example.org",
            "tier": tier, "synced_at": synced, **fields}  # fmt: skip


def insert(store, table: str, rows: list[dict[str, Any]]) -> None:
    """One insert a row, so the columns a row leaves out take the table's defaults."""
    for row in rows:
        store.client.insert(store.table(table), [list(row.values())], column_names=list(row))


def passed_checks(result) -> dict[str, bool]:
    return {
        evaluation.check_name: evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
    }


def stripe(when: dt.datetime, user: str, cents: int, **fields: Any) -> dict[str, Any]:
    return {"timestamp": when, "event_type": "checkout.session.completed", "user_id": user,
            "amount_cents": cents, "currency": "usd", "payment_status": "paid", "livemode": 1,
            "customer_email": f"{user}@example.org", "payload": "{}", **fields}  # fmt: skip


def polar(when: dt.datetime, user: str, cents: int, status: str = "paid") -> dict[str, Any]:
    data = {"id": f"o-{user}", "total_amount": cents, "currency": "EUR", "status": status}
    payload = json.dumps({"type": "order.paid", "data": data})
    return {"timestamp": when, "event_type": "order.paid", "user_id": user,
            "customer_id": f"c-{user}", "payload": payload}  # fmt: skip
