"""pandera models, evaluated inside ClickHouse.

A table's pandera ``DataFrameModel`` (in its folder's ``checks.py``) declares its columns:
types, bounds (``ge``, ``gt``, ``le``, ``lt``), allowed values (``isin``), nullability, and the
unique key (``Config.unique``). Rules across columns are SQL conditions every row satisfies, in
the model's ``ROW_RULES`` (name -> condition); ``ROW_COLUMNS`` (name -> SQL expression, window
functions allowed) adds columns the rules may read.

Nothing is pulled into pandas: the whole window is judged by one ``SELECT`` of ``countIf``s, so
the check costs the same on a 90-day backfill as on one day. Values from the model reach the
query as bound parameters. (pandera's own Ibis backend would do the same over a ClickHouse
connection, but not over the embedded store: chdb hands booleans back as UInt8, which Ibis'
Arrow reader refuses; see benchmarks/README.md.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandera.pandas as pa

from pollen_pipeline.store import Store

# pandera dtype (as its schema prints it) -> the ClickHouse types it stands for
CLICKHOUSE_TYPES = {
    "float64": ("Float64",),
    "float32": ("Float32",),
    "uint64": ("UInt64",),
    "uint32": ("UInt32",),
    "uint8": ("UInt8",),
    "Int32": ("Int32",),
    "string[pyarrow]": ("String", "LowCardinality(String)"),
    "str": ("String", "LowCardinality(String)"),
}
# pandera check -> (SQL with {column} and {value}, the statistic holding the value)
CONDITIONS = {
    "greater_than_or_equal_to": ("{column} >= {value}", "min_value"),
    "greater_than": ("{column} > {value}", "min_value"),
    "less_than_or_equal_to": ("{column} <= {value}", "max_value"),
    "less_than": ("{column} < {value}", "max_value"),
    "isin": ("has({value}, {column})", "allowed_values"),
}
SAMPLE = 5  # offending rows shown per failed rule


@dataclass(frozen=True)
class Schema:
    """A table's pandera model, with the SQL row rules of its ``checks.py`` (``ROW_RULES``,
    name -> condition) and the columns they may read (``ROW_COLUMNS``, name -> expression)."""

    model: type[pa.DataFrameModel]
    row_rules: Mapping[str, str] = field(default_factory=dict)
    row_columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """Something every row of the window must satisfy, and how to count the rows that don't."""

    name: str
    violations: str  # SQL aggregate: how many rows break the rule
    condition: str | None = None  # the row condition, when there is one: to show offenders


def row_rule(name: str, condition: str) -> Rule:
    return Rule(name, f"countIf(NOT ({condition}))", condition)


@dataclass(frozen=True)
class Outcome:
    """What the rules found: rows read, rules failed (name -> failing rows), type mismatches."""

    rows: int
    failed: Mapping[str, int]
    types: Mapping[str, str]
    samples: Mapping[str, list[list[str]]]

    @property
    def passed(self) -> bool:
        return not self.failed and not self.types


def _sql_type(values: list[Any]) -> str:
    if all(isinstance(value, str) for value in values):
        return "Array(String)"
    return "Array(Float64)" if any(isinstance(v, float) for v in values) else "Array(Int64)"


class _Binder:
    """Names model values as query parameters: ``{v0:Float64}``, ``{v1:Array(String)}``, ..."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"v{len(self.params)}"
        if isinstance(value, list | tuple | set | frozenset):
            values = sorted(value)
            self.params[name] = values
            return f"{{{name}:{_sql_type(values)}}}"
        self.params[name] = value
        return f"{{{name}:{'String' if isinstance(value, str) else 'Float64'}}}"


def _column_rules(name: str, column: Any, binder: _Binder) -> list[Rule]:
    rules = []
    for check in column.checks:
        if check.name not in CONDITIONS:
            raise ValueError(f"column {name}: pandera check {check.name} has no SQL form")
        template, statistic = CONDITIONS[check.name]
        condition = template.format(column=name, value=binder.bind(check.statistics[statistic]))
        if column.nullable:
            condition = f"ifNull({condition}, 1)"  # pandera checks skip missing values
        rules.append(row_rule(f"{name} {check.name}", condition))
    if not column.nullable and str(column.dtype).startswith("float"):
        rules.append(row_rule(f"{name} not NaN", f"NOT isNaN({name})"))
    return rules


def _columns(model: type[pa.DataFrameModel], described: Mapping[str, str]) -> dict[str, Any]:
    """Table column -> its pandera column, regex columns expanded over the table's names."""
    matched = {}
    for key, column in model.to_schema().columns.items():
        names = [n for n in described if re.fullmatch(key, n)] if column.regex else [key]
        matched.update(dict.fromkeys(names, column))
    return matched


def _type_errors(columns: Mapping[str, Any], described: Mapping[str, str]) -> dict[str, str]:
    errors = {}
    for name, column in columns.items():
        actual = described.get(name)
        allowed = CLICKHOUSE_TYPES.get(str(column.dtype), ())
        if column.nullable:
            allowed = (*allowed, *(f"Nullable({t})" for t in allowed))
        if actual not in allowed:
            errors[name] = f"{actual or 'missing'}, expected {' or '.join(allowed) or column.dtype}"
    return errors


def rules_of(schema: Schema, described: Mapping[str, str]) -> tuple[list[Rule], dict[str, Any]]:
    """Every rule of ``schema`` over a table with columns ``described`` (name -> type), and the
    parameters they bind."""
    binder = _Binder()
    rules = [
        rule
        for name, column in _columns(schema.model, described).items()
        for rule in _column_rules(name, column, binder)
    ]
    rules += [row_rule(name, sql) for name, sql in schema.row_rules.items()]
    unique = schema.model.to_schema().unique
    if unique:
        keys = ", ".join(unique)
        rules.append(Rule(f"unique {keys}", f"count() - uniqExact({keys})"))
    return rules, binder.params


def validate(
    store: Store, table: str, where: str, params: Mapping[str, Any], schema: Schema
) -> Outcome:
    """Judge the rows of ``table`` (qualified) matching ``where`` against ``schema``."""
    described = {row[0]: row[1] for row in store.rows(f"DESCRIBE TABLE {table}")}
    types = _type_errors(_columns(schema.model, described), described)
    rules, bound = rules_of(schema, described)
    derived = "".join(f", {sql} AS {name}" for name, sql in schema.row_columns.items())
    source = f"(SELECT *{derived} FROM {table} WHERE {where})"
    counts = ", ".join(rule.violations for rule in rules)
    row = store.rows(f"SELECT count(), {counts} FROM {source}", {**params, **bound})[0]
    failed = {rule.name: count for rule, count in zip(rules, row[1:], strict=True) if count}
    samples = {
        rule.name: _sample(store, source, rule, schema.model, {**params, **bound})
        for rule in rules
        if rule.name in failed and rule.condition
    }
    return Outcome(rows=row[0], failed=failed, types=types, samples=samples)


def _sample(
    store: Store, source: str, rule: Rule, model: type[pa.DataFrameModel], params: Mapping
) -> list[list[str]]:
    keys = model.to_schema().unique or ["*"]
    rows = store.rows(
        f"SELECT {', '.join(keys)} FROM {source} WHERE NOT ({rule.condition}) LIMIT {SAMPLE}",
        params,
    )
    return [[str(value) for value in row] for row in rows]
