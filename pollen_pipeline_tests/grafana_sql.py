"""Expand dashboard SQL the way Grafana and the ClickHouse data source plugin do, for tests.

Order, as in Grafana 11 + grafana-clickhouse-datasource 4.x:

1. the plugin's frontend ``$__conditionalAll(condition, $var)``: ``1=1`` when ``$var`` is All;
2. Grafana's template variables: ``$var``, ``${var}``, ``${var:format}``; a multi-value or All
   selection becomes every selected (or every option's) value, quoted and comma-joined;
3. the plugin's backend macros on the query's time range: ``$__timeFilter(col)``,
   ``$__dateFilter(col)``, ``$__fromTime``, ``$__toTime`` (and their ``_ms`` forms),
   ``$__timeInterval(col)``, ``$__interval_s``.

Anything left that starts with ``$`` is an error: a typo in a dashboard fails its test.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

ALL = "$__all"


@dataclass(frozen=True)
class TimeRange:
    """The dashboard's time picker: ``start`` .. ``end`` (aware datetimes), the interval, and
    the time zone of the Grafana server, which the plugin's ``$__dateFilter`` formats in.

    The server zone is not UTC by default: a panel whose days follow it shows wrong numbers in
    the tests instead of only on a non-UTC Grafana host.
    """

    start: dt.datetime
    end: dt.datetime
    interval_seconds: int = 3600
    server_zone: str = "Pacific/Chatham"


@dataclass(frozen=True)
class Selection:
    """A variable's state: the selected values (``[ALL]`` for All) and every option's value."""

    selected: Sequence[str]
    options: Sequence[str] = ()

    @property
    def is_all(self) -> bool:
        return list(self.selected) == [ALL]

    def values(self) -> list[str]:
        return list(self.options) if self.is_all else list(self.selected)


# --- 1. $__conditionalAll ------------------------------------------------------------------

CONDITIONAL_ALL = "$__conditionalAll("
VARIABLE_NAME = re.compile(r"(?<=\$\{)\w+(?=[}:])|(?<=\$)\w+")


def _macro_args(text: str, open_paren: int) -> tuple[list[str], int]:
    """Arguments of the call whose '(' is at ``open_paren`` (top-level commas split) and the
    index just past its ')'."""
    depth, args, start = 0, [], open_paren + 1
    for index in range(open_paren, len(text)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                args.append(text[start:index])
                return args, index + 1
        elif char == "," and depth == 1:
            args.append(text[start:index])
            start = index + 1
    raise ValueError(f"unbalanced macro call at {open_paren}: {text[open_paren:][:80]}")


def apply_conditional_all(sql: str, variables: Mapping[str, Selection]) -> str:
    """The plugin replaces the last macro first, so nested calls resolve inside out."""
    while (index := sql.rfind(CONDITIONAL_ALL)) != -1:
        args, end = _macro_args(sql, index + len(CONDITIONAL_ALL) - 1)
        if len(args) != 2:
            raise ValueError(f"$__conditionalAll takes 2 arguments: {args}")
        condition, variable = args
        name = VARIABLE_NAME.search(variable.strip())
        is_all = name is not None and variables[name.group(0)].is_all
        sql = sql[:index] + ("1=1" if is_all else condition) + sql[end:]
    return sql


# --- 2. Template variables -----------------------------------------------------------------


def _singlequote(values: list[str]) -> str:
    return ",".join("'" + value.replace("'", "\\'") + "'" for value in values)


def _default(values: list[str], multi: bool) -> str:
    # The plugin's own formatter: arrays quoted and comma-joined, single values as they are
    # (a query variable without options interpolates as an empty string).
    return _singlequote(values) if multi else "".join(values[:1])


FORMATS: dict[str, Callable[[list[str]], str]] = {
    "singlequote": _singlequote,
    "sqlstring": lambda values: ",".join("'" + v.replace("'", "''") + "'" for v in values),
    "csv": ",".join,
    "raw": ",".join,
}
VARIABLE = re.compile(r"\$\{(\w+)(?::(\w+))?\}|\$(?!__)(\w+)")


def apply_variables(sql: str, variables: Mapping[str, Selection]) -> str:
    def substitute(match: re.Match) -> str:
        name = match.group(1) or match.group(3)
        fmt = match.group(2)
        selection = variables[name]
        values = selection.values()
        if fmt is None:
            return _default(values, multi=selection.is_all or len(selection.selected) > 1)
        return FORMATS[fmt](values)

    return VARIABLE.sub(substitute, sql)


# --- 3. Backend macros ---------------------------------------------------------------------


def _seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def _millis(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _date(moment: dt.datetime, zone: str) -> str:
    # The plugin formats the range's dates in the Grafana server's zone, whatever the data's.
    return f"toDate('{moment.astimezone(zoneinfo.ZoneInfo(zone)):%Y-%m-%d}')"


def _between(column: str, low: str, high: str) -> str:
    return f"{column} >= {low} AND {column} <= {high}"


def macros(time_range: TimeRange) -> dict[str, Callable[[list[str]], str]]:
    start, end = time_range.start, time_range.end
    return {
        "fromTime": lambda _: f"toDateTime({_seconds(start)})",
        "toTime": lambda _: f"toDateTime({_seconds(end)})",
        "fromTime_ms": lambda _: f"fromUnixTimestamp64Milli({_millis(start)})",
        "toTime_ms": lambda _: f"fromUnixTimestamp64Milli({_millis(end)})",
        "timeFilter": lambda a: _between(
            a[0], f"toDateTime({_seconds(start)})", f"toDateTime({_seconds(end)})"
        ),
        "timeFilter_ms": lambda a: _between(
            a[0],
            f"fromUnixTimestamp64Milli({_millis(start)})",
            f"fromUnixTimestamp64Milli({_millis(end)})",
        ),
        "dateFilter": lambda a: _between(
            a[0], _date(start, time_range.server_zone), _date(end, time_range.server_zone)
        ),
        "timeInterval": lambda a: (
            f"toStartOfInterval(toDateTime({a[0]}), INTERVAL {time_range.interval_seconds} second)"
        ),
        "interval_s": lambda _: str(time_range.interval_seconds),
    }


MACRO = re.compile(r"\$__(\w+)")


def apply_macros(sql: str, time_range: TimeRange) -> str:
    known = macros(time_range)
    while match := MACRO.search(sql):
        name = match.group(1)
        if name not in known:
            raise ValueError(f"unknown macro $__{name}")
        end = match.end()
        args: list[str] = []
        if end < len(sql) and sql[end] == "(":
            args, end = _macro_args(sql, end)
            args = [arg.strip() for arg in args]
        sql = sql[: match.start()] + known[name](args) + sql[end:]
    return sql


def expand(sql: str, variables: Mapping[str, Selection], time_range: TimeRange) -> str:
    """``sql`` as ClickHouse receives it from Grafana for these variables and range."""
    sql = apply_conditional_all(sql, variables)
    sql = apply_variables(sql, variables)
    sql = apply_macros(sql, time_range)
    if "$" in sql:
        raise ValueError(f"unexpanded '$' left in: {sql}")
    return sql
