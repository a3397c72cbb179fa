"""pack_liability_daily's own rules: which webhooks are packs sold, and what they are worth.

- A pack is sold by a paid webhook of a completed checkout or order: Stripe's
  ``checkout.session.completed`` (or ``async_payment_succeeded``, when the payment cleared
  later: the completed one then says unpaid) and Polar's ``order.paid``, status ``paid``.
  Expired or abandoned checkouts and refunds are not sales.
- A pack of N Pollen costs N units of its currency (the team's packs, and the synthetic
  payments): the amount paid is the Pollen sold, whatever the currency.
"""

from __future__ import annotations

from typing import Any

from pollen_pipeline.table_sql import provides

STRIPE_SOLD_EVENT_TYPES = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
)
SOLD_EVENT_TYPES = (*STRIPE_SOLD_EVENT_TYPES, "order.paid")
SOLD_STATUS = "paid"


@provides("sold_event_types", "sold_status")
def sql_parameters() -> dict[str, Any]:
    """What payments_daily rows are packs sold, bound in the SELECT and the check."""
    return {"sold_event_types": list(SOLD_EVENT_TYPES), "sold_status": SOLD_STATUS}
