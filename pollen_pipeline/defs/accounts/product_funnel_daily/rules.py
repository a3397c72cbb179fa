"""product_funnel_daily's own rules: which Stripe webhooks pay a checkout.

A checkout is paid by a live-mode webhook, status ``paid``, of a completed checkout (or of an
async payment that succeeded later): pack_liability_daily's Stripe sales, the Websites
dashboard's paid stage. Test-mode, unpaid, expired and failed webhooks pay nothing.
"""

from __future__ import annotations

from typing import Any

from pollen_pipeline.defs.accounts.pack_liability_daily.rules import (
    SOLD_STATUS,
    STRIPE_SOLD_EVENT_TYPES,
)
from pollen_pipeline.table_sql import provides


@provides("paid_checkout_types", "paid_checkout_status")
def sql_parameters() -> dict[str, Any]:
    """The paid webhooks' types and status, bound in the SELECT and the check."""
    return {
        "paid_checkout_types": list(STRIPE_SOLD_EVENT_TYPES),
        "paid_checkout_status": SOLD_STATUS,
    }
