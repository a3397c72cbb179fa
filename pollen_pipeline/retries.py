"""Which store errors are worth retrying, and how long to wait before the next attempt.

A Dagster ``RetryPolicy`` retries every exception. Most of ours are not transient (bad SQL, a
schema mismatch, a failed contract): retrying them only delays the alert. So the summary assets
classify the error themselves: transient ones ask for a retry with the policy's backoff, all
others fail at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from clickhouse_connect.driver.exceptions import OperationalError
from dagster import Backoff, Failure, Jitter, RetryPolicy, RetryRequested

from pollen_pipeline.store import StoreInUseError, redact

# 20 s, 60 s, 140 s (+/- 20 s): long enough for a server restart or a merge backlog to clear.
RETRY_POLICY = RetryPolicy(
    max_retries=3, delay=20, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS
)

# ClickHouse error names that say "try again later", not "this query is wrong".
TRANSIENT_CODES = frozenset(
    {
        "TIMEOUT_EXCEEDED",  # max_execution_time: an overloaded server, most often
        "SOCKET_TIMEOUT",
        "NETWORK_ERROR",
        "ALL_CONNECTION_TRIES_FAILED",
        "TOO_MANY_PARTS",  # inserts faster than merges; merges catch up
        "TOO_MANY_SIMULTANEOUS_QUERIES",
        "TABLE_IS_READ_ONLY",  # a replica that lost its Keeper session for a moment
        "KEEPER_EXCEPTION",
    }
)
_CODE = re.compile(r"\(([A-Z][A-Z_]+)\)")
# Network failures below ClickHouse: the driver's OperationalError wraps urllib3's; another
# process holding the embedded store lets go when its run ends.
TRANSIENT_TYPES = (OperationalError, ConnectionError, TimeoutError, StoreInUseError)


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_transient(error: BaseException) -> bool:
    """True when ``error`` (or an error it was raised from) is worth another attempt."""
    return any(
        isinstance(cause, TRANSIENT_TYPES) or TRANSIENT_CODES & set(_CODE.findall(str(cause)))
        for cause in _chain(error)
    )


def one_line(error: BaseException) -> str:
    """The error's first line, without passwords: what a person reads in the run's failure."""
    lines = str(error).strip().splitlines()
    return redact(f"{type(error).__name__}: {lines[0] if lines else ''}")


def retry_or_fail(error: Exception, retry_number: int) -> RetryRequested | Failure:
    """The exception to raise instead of ``error``: a retry after the policy's backoff when
    ``error`` is transient, else a failure that the retry policy must not retry."""
    if is_transient(error):
        return RetryRequested(
            max_retries=RETRY_POLICY.max_retries,
            seconds_to_wait=RETRY_POLICY.calculate_delay(retry_number + 1),
        )
    return Failure(description=one_line(error), allow_retries=False)
