"""A table folder's SQL: ``table.sql`` and ``select.sql`` rendered from the names they may use.

A ``$name`` in either file resolves, in this order, from

1. the contract (``contract.py``: which events count, meters, scopes);
2. the table's domain: ``fragments()`` of ``defs/<domain>/rules.py``, when there is one;
3. the table itself: ``fragments()`` of ``defs/<domain>/<table>/rules.py``, when there is one;
4. the other tables (``$user_daily`` is the qualified name of table ``user_daily``), the raw
   events (``$raw_table``) and, in ``table.sql``, ``${database}``;
5. names a table chooses when a run starts (``SummaryTable.fragments``: a function declared
   with :func:`provides`, e.g. SQL that depends on the raw table's columns).

A name defined twice is an error, so a domain cannot silently redefine the contract. So is a
name no level defines, and a ``{param:Type}`` that no one binds: both are found when the
definitions load (``dg check defs`` fails), with the table, the file and the name.

Nothing here imports a domain by name: the rules modules are found beside the table.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from clickhouse_connect.driver.binding import format_query_value

from pollen_pipeline import contract

PACKAGE = Path(__file__).parent
DDL_FILE = "table.sql"
SELECT_FILE = "select.sql"
RULES_MODULE = "rules.py"
RAW_TABLE_NAME = "raw_table"  # $raw_table: raw events, on the source when one is configured
RAW_ASSET = "generation_event"  # the asset $raw_table stands for, with v2 (event_source.py)
RAW_V2_ASSET = "generation_event_v2"
DATABASE_NAME = "database"  # ${database} of table.sql, filled when the DDL runs
# Parameters every SELECT is given: the window and the contract's own.
WINDOW_PARAMS = frozenset({"start", "end"})
_BOUND_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*):")
# A serving table's DDL: partitioned by the month of its time column (store.Table.monthly)
_MONTHLY_PARTITION = re.compile(r"^PARTITION BY toYYYYMM\((\w+)\)\s*$", re.MULTILINE)
_BOUND_PARAM_WITH_TYPE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*):([^{}]+)\}")

F = TypeVar("F", bound=Callable[..., Any])


class TemplateError(ValueError):
    """A table's SQL names something nothing defines; the message names table, file, name."""


def provides(*names: str) -> Callable[[F], F]:
    """Declare the names a run-time function returns (SQL fragments or bound parameters), so
    the SQL using them can be checked when the definitions load, before any run calls it."""

    def declare(function: F) -> F:
        function.provides = frozenset(names)  # type: ignore[attr-defined]
        return function

    return declare


def provided(function: Callable[..., Any] | None) -> frozenset[str]:
    """The names ``function`` declared with :func:`provides` (none for no function)."""
    if function is None:
        return frozenset()
    names = getattr(function, "provides", None)
    if names is None:
        raise TemplateError(
            f"{function.__module__}.{function.__name__} must declare the names it returns "
            "with @provides(...)"
        )
    return names


def folder_module(folder: Path, file_name: str) -> ModuleType | None:
    """The module ``file_name`` of a folder of the package, imported by its dotted name (as
    Dagster's loader imports it), or None when the folder has no such file."""
    if not (folder / file_name).exists():
        return None
    parts = (folder / file_name).with_suffix("").relative_to(PACKAGE.parent).parts
    return import_module(".".join(parts))


def _module_fragments(module: ModuleType | None) -> dict[str, str]:
    return module.fragments() if module is not None and hasattr(module, "fragments") else {}


@cache
def fragments_of(folder: Path) -> dict[str, str]:
    """Every fragment table folder ``folder`` may use: the contract's, its domain's, its own.
    A name defined at two levels is an error."""
    levels = {
        "the contract": contract.fragments(),
        f"{folder.parent.name}/{RULES_MODULE}": _module_fragments(
            folder_module(folder.parent, RULES_MODULE)
        ),
        f"{folder.parent.name}/{folder.name}/{RULES_MODULE}": _module_fragments(
            folder_module(folder, RULES_MODULE)
        ),
    }
    merged: dict[str, str] = {}
    where: dict[str, str] = {}
    for level, names in levels.items():
        for name, sql in names.items():
            if name in merged:
                raise TemplateError(
                    f"{folder.name}: ${name} is defined in {where[name]} and again in {level}"
                )
            merged[name], where[name] = sql, level
    return merged


def placeholders(template: str) -> list[str]:
    """The ``$names`` of a template, in order of first use."""
    return list(dict.fromkeys(string.Template(template).get_identifiers()))


def bound_params(sql: str) -> set[str]:
    """The ``{name:Type}`` parameters ``sql`` binds."""
    return set(_BOUND_PARAM.findall(sql))


@dataclass(frozen=True)
class TableSql:
    """The SQL files of one table folder and what their names resolve to."""

    name: str
    folder: Path
    tables: frozenset[str]  # every table folder's name: $<table> placeholders
    runtime_fragments: frozenset[str] = frozenset()  # chosen when a run starts
    runtime_params: frozenset[str] = frozenset()  # bound when a run starts
    # $name of select.sql -> the fragment filling it instead on long runs (SummaryTable)
    long_run_fragments: Mapping[str, str] = field(default_factory=dict)

    @property
    def fragments(self) -> dict[str, str]:
        return fragments_of(self.folder)

    def text(self, file_name: str) -> str:
        return (self.folder / file_name).read_text()

    def named_tables(self) -> list[str]:
        """The ``$<table>`` names the SELECT uses, in order of first use."""
        names = placeholders(self.text(SELECT_FILE))
        return [name for name in names if name in self.tables and name not in self.fragments]

    def upstream(self) -> list[str]:
        """The tables the SELECT reads: the ``$<table>`` names it uses, and raw events (both
        event tables) for ``$raw_table``; in order of first use."""
        raw = RAW_TABLE_NAME in placeholders(self.text(SELECT_FILE))
        named = self.named_tables()
        return named + [name for name in (RAW_ASSET, RAW_V2_ASSET) if raw and name not in named]

    def validate(self) -> None:
        """Raise :class:`TemplateError` when either file uses an undefined ``$name``, or the
        SELECT binds a ``{param}`` that neither the window, the contract nor the table's
        run-time parameters give."""
        self._known(DDL_FILE, {DATABASE_NAME})
        self._known(SELECT_FILE, {RAW_TABLE_NAME, *self.tables, *self.runtime_fragments})
        self._long_run_names_known()
        # the run-time fragments' own SQL is unknown here: left as $names, binding nothing
        runtime = {name: f"${name}" for name in self.runtime_fragments}
        known = WINDOW_PARAMS | set(contract.params()) | self.runtime_params
        for long_run in (False, True):
            rendered = self.select(str, RAW_ASSET, runtime, long_run=long_run)
            unknown = sorted(bound_params(rendered) - known)
            if unknown:
                raise TemplateError(
                    f"{self.name}: {self.path(SELECT_FILE)} binds {_listed(unknown)}"
                    f"{' on long runs' if long_run else ''}, which no one gives (the window "
                    "gives start and end; the contract and the table's 'parameters' function "
                    "the rest)"
                )

    def _long_run_names_known(self) -> None:
        used = placeholders(self.text(SELECT_FILE))
        for name, fragment in self.long_run_fragments.items():
            if name not in used or fragment not in self.fragments:
                raise TemplateError(
                    f"{self.name}: long runs fill ${name} with ${fragment}, but "
                    + (
                        f"{self.path(SELECT_FILE)} does not use ${name}"
                        if name not in used
                        else f"no rules.py defines ${fragment}"
                    )
                )

    def _known(self, file_name: str, extra: Iterable[str]) -> None:
        known = set(self.fragments) | set(extra)
        unknown = [name for name in placeholders(self.text(file_name)) if name not in known]
        if unknown:
            raise TemplateError(
                f"{self.name}: {self.path(file_name)} uses {_listed(f'${n}' for n in unknown)}, "
                f"defined neither by the contract, {self.folder.parent.name}/{RULES_MODULE}, "
                f"{self.folder.name}/{RULES_MODULE}, nor as a table"
            )

    def path(self, file_name: str) -> str:
        """Where ``file_name`` of this folder is, from the repository's root."""
        return str((self.folder / file_name).relative_to(PACKAGE.parent))

    def _fill(self, file_name: str, names: Mapping[str, str]) -> str:
        template = string.Template(self.text(file_name))
        return template.substitute({**self.fragments, **names})

    def select(
        self,
        qualified: Callable[[str], str],
        raw_table: str,
        runtime: Mapping[str, str],
        *,
        long_run: bool = False,
    ) -> str:
        """The SELECT to run: tables as ``qualified(name)``, raw events as ``raw_table`` (a
        validated identifier), ``runtime`` the fragments chosen for this run; on a long run,
        the ``long_run_fragments`` in place of the names they replace."""
        tables = {table: qualified(table) for table in self.tables}
        swapped = self.long_run_fragments if long_run else {}
        instead = {name: self.fragments[fragment] for name, fragment in swapped.items()}
        return self._fill(SELECT_FILE, {**tables, RAW_TABLE_NAME: raw_table, **runtime, **instead})

    def monthly_partition_column(self) -> str | None:
        """The time column of ``PARTITION BY toYYYYMM(column)`` in ``table.sql``, or None (the
        table is partitioned by day)."""
        found = _MONTHLY_PARTITION.search(self.text(DDL_FILE))
        return found.group(1) if found else None

    def ddl_template(self) -> str:
        """``table.sql`` with its fragments filled and ``${database}`` left for the store."""
        return self._fill(DDL_FILE, {DATABASE_NAME: "${database}"})


def inline_params(sql: str, params: Mapping[str, Any]) -> str:
    """``sql`` with each ``{name:Type}`` replaced by ``CAST(<value> AS Type)``, the value written
    as a literal by the ClickHouse client's own formatter: SQL to read, or to paste into any
    client. (Runs of the pipeline always bind; this is only for people.)"""

    def literal(match: re.Match[str]) -> str:
        name, type_ = match.groups()
        if name not in params:
            raise TemplateError(f"no value for the parameter {{{name}:{type_}}}")
        return f"CAST({format_query_value(params[name])} AS {type_})"

    return _BOUND_PARAM_WITH_TYPE.sub(literal, sql)


def _listed(names: Iterable[str]) -> str:
    return ", ".join(names)
