"""Configuration from environment variables, read when asked for, never at import time.

Every knob of the pipeline is an environment variable so that the same code runs on a laptop
(embedded chdb store under ``.pollen/``) and against a ClickHouse server behind Grafana.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pollen_pipeline.event_source import EventTables

V2 = "generation_event_v2"  # the team's current raw event table (event_source.py)
DEFAULT_START_DATE = "2025-11-12"  # first day with meter data in the real system
DEFAULT_QUERY_TIMEOUT_SECONDS = 600  # a day-chunk scan takes seconds; this stops runaways
# More distinct messages a day than this means the normalisation no longer folds a new message
# format's ids into '#': the messages table then grows with traffic, not with kinds of error.
DEFAULT_ERROR_MESSAGE_LIMIT = 5000
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# POLLEN_SOURCE_<SIDE SOURCE>_TABLE, e.g. POLLEN_SOURCE_D1_USER_TABLE: where one side source is
# read on the source ClickHouse, when not beside the raw events under its own name.
_SIDE_TABLE_VARIABLE = re.compile(r"^POLLEN_SOURCE_([A-Z0-9_]+)_TABLE$")


class SettingsError(ValueError):
    """A configuration value is unusable; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Resolved configuration of one pipeline process."""

    clickhouse_url: str
    database: str
    source_clickhouse_url: str | None
    source_table: str | None
    start_date: dt.date
    # POLLEN_SOURCE_TABLE_V2 (default <database>.generation_event_v2) and POLLEN_V2_FROM, the
    # first UTC day v2 is authoritative (unset: v1 alone): event_source.py
    source_table_v2: str | None = None
    v2_from: dt.date | None = None
    cluster: str | None = None  # POLLEN_CLICKHOUSE_CLUSTER: DDL runs ON CLUSTER when set
    query_timeout_seconds: int = DEFAULT_QUERY_TIMEOUT_SECONDS
    # side source -> its name on the source (POLLEN_SOURCE_<NAME>_TABLE), where one is given
    source_side_tables: dict[str, str] = field(default_factory=dict)
    # POLLEN_EXCLUDE_D1_BANNED: D1's banned accounts join excluded_users (off: the seed's
    # contract, the hand list alone)
    exclude_d1_banned: bool = False

    @property
    def raw_table(self) -> str:
        """Fully qualified name of the raw events table the aggregating scan reads."""
        return self.source_table or f"{self.database}.generation_event"

    @property
    def event_tables(self) -> EventTables:
        """The raw event tables and how they combine (``relation(raw)`` is what scans read)."""
        return EventTables(
            self.raw_table, self.source_table_v2 or self._beside_raw(V2), self.v2_from
        )

    def _beside_raw(self, name: str) -> str:
        """Table ``name`` where raw events are read: the store's database, or on the source the
        database of ``raw_table`` (where Tinybird keeps the workspace's tables)."""
        if self.source_clickhouse_url is None:
            return f"{self.database}.{name}"
        database = self.raw_table.rpartition(".")[0]
        return f"{database}.{name}" if database else name

    def side_table(self, name: str) -> str:
        """Where side source ``name`` (its Tinybird name) is read: in the store, or on the
        source ClickHouse beside the raw events (the database of ``raw_table``) unless its
        ``POLLEN_SOURCE_<NAME>_TABLE`` names it."""
        if name == V2:  # its own variable, POLLEN_SOURCE_TABLE_V2
            return self.event_tables.current
        if name in self.source_side_tables and self.source_clickhouse_url is not None:
            return self.source_side_tables[name]
        return self._beside_raw(name)


def default_store_url() -> str:
    """The embedded store under ``.pollen/`` of the working directory."""
    return f"chdb://{(Path.cwd() / '.pollen' / 'store').resolve()}"


def check_identifier(value: str, variable: str) -> str:
    """Database and table names are formatted into SQL, so only plain identifiers pass."""
    parts = value.split(".")
    if not 1 <= len(parts) <= 2 or not all(_IDENTIFIER.match(part) for part in parts):
        raise SettingsError(f"{variable}={value!r} is not a valid ClickHouse identifier")
    return value


# Characters that end the user or password part of a URL: in a password they must be
# percent-encoded (RFC 3986; clickhouse-connect decodes them), or the URL names another host.
_USERINFO_BREAKERS = "@/?#"


def check_url(value: str, variable: str) -> str:
    """A store URL whose user and password parse as written: ``@ / ? #`` or a second ``:``
    in them must be percent-encoded (``%40 %2F %3F %23 %3A``), else a clear error, not a
    connection to the wrong host or a password half printed in a later error."""
    scheme, separator, rest = value.partition("://")
    if not separator or scheme not in ("http", "https") or "@" not in rest:
        return value
    userinfo = rest.rpartition("@")[0]
    if any(char in userinfo for char in _USERINFO_BREAKERS) or userinfo.count(":") > 1:
        raise SettingsError(
            f"{variable}: the user or password holds '@', ':', '/', '?' or '#'; "
            "percent-encode them in the URL (@ %40, : %3A, / %2F, ? %3F, # %23)"
        )
    return value


def _parse_date(value: str, variable: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise SettingsError(f"{variable}={value!r} is not a date (YYYY-MM-DD)") from error


def partition_start_date() -> dt.date:
    """First partition of every asset (``POLLEN_START_DATE``)."""
    return _parse_date(os.environ.get("POLLEN_START_DATE", DEFAULT_START_DATE), "POLLEN_START_DATE")


def _positive_integer(variable: str, default: int) -> int:
    value = os.environ.get(variable, str(default))
    if not value.isdigit() or int(value) <= 0:
        raise SettingsError(f"{variable}={value!r} is not a positive integer")
    return int(value)


def query_timeout_seconds() -> int:
    """ClickHouse ``max_execution_time`` of every query (``POLLEN_QUERY_TIMEOUT_SECONDS``)."""
    return _positive_integer("POLLEN_QUERY_TIMEOUT_SECONDS", DEFAULT_QUERY_TIMEOUT_SECONDS)


def error_message_limit() -> int:
    """Distinct normalised error messages a day above which ``error_messages_daily`` warns
    (``POLLEN_ERROR_MESSAGE_LIMIT``)."""
    return _positive_integer("POLLEN_ERROR_MESSAGE_LIMIT", DEFAULT_ERROR_MESSAGE_LIMIT)


def v2_from() -> dt.date | None:
    """The first UTC day generation_event_v2 is authoritative (``POLLEN_V2_FROM``), or None."""
    value = os.environ.get("POLLEN_V2_FROM") or None
    try:
        return None if value is None else dt.date.fromisoformat(value)
    except ValueError:
        raise SettingsError(f"POLLEN_V2_FROM={value!r} is not a date (YYYY-MM-DD)") from None


def clickhouse_cluster() -> str | None:
    """The ClickHouse cluster DDL runs ``ON CLUSTER`` (``POLLEN_CLICKHOUSE_CLUSTER``), or None."""
    value = os.environ.get("POLLEN_CLICKHOUSE_CLUSTER") or None
    # A cluster name is formatted into DDL and is never qualified, so one plain identifier only.
    if value is not None and not _IDENTIFIER.match(value):
        raise SettingsError(f"POLLEN_CLICKHOUSE_CLUSTER={value!r} is not a valid identifier")
    return value


def exclude_d1_banned() -> bool:
    """Whether D1's banned accounts are excluded like the hand-kept list
    (``POLLEN_EXCLUDE_D1_BANNED``: 1/true/yes; unset or 0/false/no: not)."""
    value = os.environ.get("POLLEN_EXCLUDE_D1_BANNED", "").strip().lower()
    if value not in ("", "0", "false", "no", "1", "true", "yes"):
        raise SettingsError(f"POLLEN_EXCLUDE_D1_BANNED={value!r} is not 1/true/yes or 0/false/no")
    return value in ("1", "true", "yes")


def source_side_tables() -> dict[str, str]:
    """The side sources named on the source by ``POLLEN_SOURCE_<NAME>_TABLE`` (e.g.
    ``POLLEN_SOURCE_D1_USER_TABLE=tinybird.d1_user``)."""
    named = {}
    for variable, value in os.environ.items():
        match = _SIDE_TABLE_VARIABLE.match(variable)
        if match and value:
            named[match.group(1).lower()] = check_identifier(value, variable)
    return named


def load_settings(url: str | None = None, database: str | None = None) -> Settings:
    """Read the environment now; call this at run time, not at import. ``url`` and
    ``database`` (a resource's fields) take precedence over their variables."""
    source_table = os.environ.get("POLLEN_SOURCE_TABLE") or None
    source_table_v2 = os.environ.get("POLLEN_SOURCE_TABLE_V2") or None
    return Settings(
        clickhouse_url=check_url(
            url or os.environ.get("POLLEN_CLICKHOUSE_URL") or default_store_url(),
            "POLLEN_CLICKHOUSE_URL",
        ),
        database=check_identifier(
            database or os.environ.get("POLLEN_DATABASE", "pollen"), "POLLEN_DATABASE"
        ),
        source_clickhouse_url=check_url(
            os.environ.get("POLLEN_SOURCE_CLICKHOUSE_URL", ""), "POLLEN_SOURCE_CLICKHOUSE_URL"
        )
        or None,
        source_table=source_table and check_identifier(source_table, "POLLEN_SOURCE_TABLE"),
        source_table_v2=source_table_v2
        and check_identifier(source_table_v2, "POLLEN_SOURCE_TABLE_V2"),
        v2_from=v2_from(),
        start_date=partition_start_date(),
        cluster=clickhouse_cluster(),
        query_timeout_seconds=query_timeout_seconds(),
        source_side_tables=source_side_tables(),
        exclude_d1_banned=exclude_d1_banned(),
    )
