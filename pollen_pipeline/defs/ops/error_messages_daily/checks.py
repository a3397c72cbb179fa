"""pandera model of error_messages_daily, and the check that its messages stay few."""

from __future__ import annotations

from dagster import MetadataValue
from pandera.typing import Series

from pollen_pipeline import contract, settings
from pollen_pipeline.checks import CheckContext, Verdict
from pollen_pipeline.schemas import ErrorColumns


class ErrorMessagesDaily(ErrorColumns):
    message: Series[str]

    class Config:
        unique = ["day", "error_response_code", "model_provider_used", "response_status", "message"]


ROW_RULES = {
    "in_error_scope": contract.RAW_ERROR_STATUS,
    "normalised": "NOT match(message, '[0-9]') "
    f"AND lengthUTF8(message) <= {contract.ERROR_MESSAGE_CHARS}",
    "first_to_last_within_the_day": "toDate(first_at, 'UTC') = day AND first_at <= last_at "
    "AND toDate(last_at, 'UTC') = day",
}


def message_cardinality_bounded(ctx: CheckContext) -> Verdict:
    """Days of the window with more distinct messages than ``POLLEN_ERROR_MESSAGE_LIMIT``
    (read now, so a change applies from the next run)."""
    limit = settings.error_message_limit()
    rows = ctx.store.rows(
        f"SELECT toString(day), uniqExact(message) AS messages FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY day HAVING messages > {{limit:UInt64}} ORDER BY day",
        {**ctx.params(), "limit": limit},
    )
    return Verdict(
        not rows,
        f"{len(rows)} days with more than {limit} distinct error messages",
        {"limit": limit, "messages_by_day": MetadataValue.json(dict(rows))},
    )
