"""``pollen load``: real files into a raw table (``generation_event`` by default, or a side source
such as ``d1_user``), losing nothing and doubling nothing.

Accepted files: NDJSON in the Events-API shape (camelCase keys, ``id`` for ``event_id``) or with
the table's snake_case columns, CSV with a header of snake_case columns, and Parquet; ``.gz``
for NDJSON and CSV. Whatever the format, Python only cuts the file into chunks of raw records
(an NDJSON line as is; a CSV record or a Parquet row as a JSON object) and ships each chunk to a
staging table of ``(line, raw)``. ClickHouse does the typing and the validation in one SELECT
per chunk (``validation_sql``): good rows go to a staging copy of the raw table, bad ones to a
staging copy of its ``<table>_rejected`` with the reason. What a record must give and which time
is bounded are the table's ``load`` rules (its ``defs.yaml``); its JSON keys are the ones of the
team's ``.datasource`` file beside it. Only when the whole file went
through are both staging tables attached to the real ones (``ATTACH PARTITION ... FROM``, a
metadata operation) and the file recorded in ``load_ledger`` by content hash, so a load that
dies half-way leaves nothing behind and the same file loaded again adds nothing.

Every value reaches SQL as data (Arrow columns) or a bound parameter; the only text formatted
into SQL is code-controlled: column names and default expressions of the store's own raw table.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
from clickhouse_connect.driver.exceptions import ClickHouseError

from pollen_pipeline import catalog
from pollen_pipeline.catalog import LEDGER_TABLE, RAW_TABLE
from pollen_pipeline.components.raw_source import LoadRules
from pollen_pipeline.store import Store

CHUNK_BYTES = 32 * 1024 * 1024  # raw text per chunk: bounds the memory of Python and ClickHouse
CHUNK_ROWS = 25_000  # Parquet rows per chunk: about CHUNK_BYTES of NDJSON
_SUFFIXES = {".ndjson": "ndjson", ".jsonl": "ndjson", ".json": "ndjson", ".csv": "csv"}
_SUFFIXES |= {".parquet": "parquet", ".pq": "parquet"}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# ISO-8601 date and time; the date-only or free-text forms best-effort parsing also takes are
# too easy to misread (``"12"`` would become the 12th of this month).
ISO_TIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"
# ClickHouse's text form of a Map(String, Float64), as its CSV exports write it: {'k':1.5,...}
MAP_PAIR = r"'((?:[^'\\]|\\.)*)':([^,'{}]+)"
MAP_TEXT = rf"^\{{({MAP_PAIR}(,{MAP_PAIR})*)?\}}$"
FUTURE_SLACK = dt.timedelta(days=1)  # clocks drift; a day ahead is a broken producer


class LoadError(RuntimeError):
    """A file cannot be loaded at all (missing, unknown format); one line for a person."""


# --- Reading files into chunks of raw records ----------------------------------------------


@dataclass
class Chunk:
    """Raw records of one file: 1-based line numbers, raw text, and reasons found while reading."""

    lines: list[int]
    raw: list[bytes] | list[str]
    notes: list[str] | None = None  # per record: '' or why the reader could not read it

    def table(self) -> pa.Table:
        kind = pa.binary() if self.raw and isinstance(self.raw[0], bytes) else pa.string()
        notes = self.notes if self.notes is not None else [""] * len(self.lines)
        return pa.table(
            {
                "line": pa.array(self.lines, pa.uint64()),
                "raw": pa.array(self.raw, kind),
                "note": pa.array(notes, pa.string()),
            }
        )


def detect_format(path: Path) -> str:
    """The format from the file name, e.g. ``events.ndjson.gz`` -> ``ndjson``."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    fmt = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise LoadError(f"{path}: unknown format; name it .ndjson/.jsonl/.csv[.gz] or .parquet")
    return fmt


def _gzipped(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def read_ndjson(stream: IO[bytes], chunk_bytes: int | None = None) -> Iterator[Chunk]:
    """Lines as raw bytes, cut at newlines in C (``bytes.split``): no per-line Python parsing."""
    carry, number, chunk_bytes = b"", 1, chunk_bytes or CHUNK_BYTES
    carry = stream.read(3).removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark is no data
    while block := stream.read(chunk_bytes):
        lines = (carry + block).split(b"\n")
        carry = lines.pop()
        if lines:
            yield Chunk(list(range(number, number + len(lines))), lines)
            number += len(lines)
    if carry:
        yield Chunk([number], [carry])


def read_csv(stream: IO[bytes], chunk_bytes: int | None = None) -> Iterator[Chunk]:
    """CSV records as JSON objects keyed by the header.

    Parsed in Python (the C ``csv`` module) because a record may span lines (quoted newlines)
    and a reject must name the line it starts on; a record with the wrong number of fields is
    kept with a note saying so.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    reader, chunk_bytes, size = csv.reader(text), chunk_bytes or CHUNK_BYTES, 0
    header = next(reader, None)
    if header is None:
        return
    chunk, last_line = Chunk([], [], []), reader.line_num
    for record in reader:
        chunk.lines.append(last_line + 1)
        last_line = reader.line_num
        if len(record) == len(header):
            chunk.raw.append(json.dumps(dict(zip(header, record, strict=True))))
            chunk.notes.append("")
        else:
            chunk.raw.append(json.dumps(record))
            chunk.notes.append(f"CSV record has {len(record)} fields, header has {len(header)}")
        size += len(chunk.raw[-1])
        if size >= chunk_bytes:
            yield chunk
            chunk, size = Chunk([], [], []), 0
    if chunk.lines:
        yield chunk


def read_parquet(path: Path, chunk_rows: int | None = None) -> Iterator[Chunk]:
    """Parquet rows as JSON objects, one record batch at a time (bounded memory).

    Typed already, so rows rarely fail; serialising them keeps one validation path for all
    formats. Times become ``YYYY-MM-DD HH:MM:SS[+offset]``; naive times are taken as UTC.
    """
    import pyarrow.parquet as pq

    number = 1
    for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows or CHUNK_ROWS):
        rows = batch.to_pylist()
        raw = [json.dumps(row, default=str) for row in rows]
        yield Chunk(list(range(number, number + len(raw))), raw)
        number += len(raw)


def read_chunks(path: Path, fmt: str, stream: IO[bytes]) -> Iterator[Chunk]:
    """The file's records in chunks; gzip is recognised by its magic bytes, not the name."""
    gzipped = _gzipped(path)
    if fmt == "parquet":
        if gzipped:  # Parquet needs random access, and compresses its pages itself
            raise LoadError(f"{path}: gzipped Parquet cannot be streamed; gunzip it first")
        return read_parquet(path)
    source: IO[bytes] = gzip.GzipFile(fileobj=stream) if gzipped else stream
    return read_ndjson(source) if fmt == "ndjson" else read_csv(source)


def content_hash(path: Path) -> str:
    """SHA-256 of the file's bytes, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


# --- Typing and validation in ClickHouse ---------------------------------------------------


def camel_key(column: str) -> str:
    """The Events-API JSON key of a column (seed schema: ``json:$.<key>``)."""
    if column == "event_id":
        return "id"
    first, *rest = column.split("_")
    return first + "".join(part.capitalize() for part in rest)


# A column of a datasource's SCHEMA > block and its JSON path: `id` String `json:$.id`, or the
# seed's unquoted form event_id String json:$.id
_DATASOURCE_PATH = re.compile(r"^\s*`?(\w+)`?\s+.+?\s+`?json:\$\.(\w+)", re.M)


def json_keys(table: str) -> dict[str, str]:
    """Column -> JSON key, from the team's ``<table>.datasource`` beside the table's DDL."""
    datasource = catalog.table_folders()[table] / f"{table}.datasource"
    schema = datasource.read_text().split("SCHEMA >", 1)[1].split("ENGINE", 1)[0]
    return dict(_DATASOURCE_PATH.findall(schema))


def load_rules(table: str) -> LoadRules:
    """What a record of ``table`` must give (its ``defs.yaml``: ``loading``)."""
    tables = catalog.raw_tables()
    if table not in tables:
        raise LoadError(f"no raw table {table!r}; the raw tables: {', '.join(tables)}")
    rules = catalog.declaration(table).get("loading")
    if rules is None:
        raise LoadError(f"{table} declares no load rules (defs.yaml: loading)")
    return LoadRules.resolve_from_dict(rules)


@dataclass(frozen=True)
class Column:
    """One raw-table column and how a record's value text becomes its typed value."""

    index: int
    name: str
    type: str
    default: str  # SQL default expression from the table ('' if none)
    key: str  # its JSON key in the team's files (the snake_case name is accepted too)

    @property
    def base_type(self) -> str:
        inner = re.fullmatch(r"(?:Nullable|LowCardinality)\((.*)\)", self.type)
        return inner.group(1) if inner else self.type

    @property
    def kind(self) -> str:
        base = self.base_type
        if base == "String":
            return "string"
        if base.startswith("DateTime"):
            return "time"
        if base.startswith("Map("):
            return "map"
        return "scalar"

    @property
    def label(self) -> str:
        return self.key if self.key == self.name else f"{self.key}/{self.name}"

    def params(self) -> dict[str, str]:
        i = self.index
        return {f"k{i}": self.key, f"s{i}": self.name, f"y{i}": self.base_type}

    def found_sql(self) -> str:
        """The raw JSON value under its JSON key or the snake_case name, NULL if absent/null."""
        i = self.index
        found = f"if(mapContains(m, {{k{i}:String}}), m[{{k{i}:String}}], m[{{s{i}:String}}])"
        return f"nullIf(nullIf({found}, ''), 'null')"

    def text_sql(self) -> str:
        """The value as text: strings unquoted, anything else as its JSON text."""
        r = f"r{self.index}"
        text = f"if(startsWith({r}, '\"'), JSONExtractString({r}), {r})"
        # An empty CSV field of a number or time column means "not given", as in the exports.
        # ``\N`` is how ClickHouse's CSV writes NULL (the Nullable columns).
        return text if self.kind == "string" else f"nullIf(nullIf({text}, ''), {{csv_null:String}})"

    def parsed_sql(self) -> str:
        """The typed value, NULL when absent or not convertible (``bad_sql`` tells which)."""
        t, y = f"t{self.index}", f"{{y{self.index}:String}}"
        if self.kind == "string":
            return t
        if self.kind == "time":
            return (
                f"if(match({t}, {{iso:String}}), "
                f"parseDateTime64BestEffortOrNull({t}, 3, 'UTC'), NULL)"
            )
        if self.kind == "map":
            return f"if({self.map_ok_sql()}, 1, NULL)"
        return f"accurateCastOrNull({t}, {y})"

    def map_ok_sql(self) -> str:
        """A JSON object of numbers, Parquet's list of [key, number] pairs, or ClickHouse's
        own text form ``{'key':1.5,...}`` that its CSV exports write."""
        t = f"ifNull(t{self.index}, '')"  # JSON functions returning arrays take no Nullable
        numbers = "('Int64', 'UInt64', 'Double')"
        pairs = self.map_text_pairs_sql()
        return (
            f"((isValidJSON({t}) AND ("
            f"(JSONType({t}) = 'Object' AND arrayAll(kv -> JSONType(kv.2) IN {numbers}, "
            f"JSONExtractKeysAndValuesRaw({t}))) OR JSONType({t}) = 'Array')) "
            f"OR (match({t}, {{map_text:String}}) "
            f"AND arrayAll(pair -> isNotNull(toFloat64OrNull(pair[2])), {pairs})))"
        )

    def map_text_pairs_sql(self) -> str:
        """[key, value] pairs of ClickHouse's map text form."""
        return f"extractAllGroups(ifNull(t{self.index}, ''), {{map_pair:String}})"

    def map_value_sql(self) -> str:
        """The map from whichever of the three forms ``map_ok_sql`` accepted."""
        t, y = f"ifNull(t{self.index}, '')", f"{{y{self.index}:String}}"
        pairs = self.map_text_pairs_sql()
        unescape = "replaceRegexpAll(pair[1], {escaped:String}, {unescaped:String})"
        keys = f"arrayMap(pair -> {unescape}, {pairs})"
        text = f"mapFromArrays({keys}, arrayMap(pair -> toFloat64(pair[2]), {pairs}))"
        array = f"CAST(JSONExtract({t}, 'Array(Tuple(String, Float64))'), {y})"
        return (
            f"multiIf(NOT isValidJSON({t}), {text}, "
            f"JSONType({t}) = 'Object', JSONExtract({t}, {y}), {array})"
        )

    def bad_sql(self) -> str:
        i = self.index
        bad = f"(t{i} IS NOT NULL AND p{i} IS NULL)"
        if self.kind == "time":  # DateTime ends in 2106; later values would wrap around
            bad = f"({bad} OR p{i} >= toDateTime64('2106-01-01', 3, 'UTC'))"
        return bad

    def value_sql(self, start: Column) -> str:
        """The value to insert: the parsed value, else the table's default."""
        i, y = self.index, f"{{y{self.index}:String}}"
        default = self.default or f"defaultValueOfTypeName({y})"
        if self.name == "end_time" and not self.default:
            default = f"v{start.index}"  # an event without an end ended when it started
        if self.kind == "map":
            return f"if(p{i} IS NULL, {default}, {self.map_value_sql()})"
        if self.kind == "time" and self.base_type.startswith("DateTime64"):
            return f"toDateTime64(ifNull(p{i}, {default}), 3, 'UTC')"  # keeps the milliseconds
        if self.kind == "time":
            return f"toDateTime(ifNull(p{i}, {default}), 'UTC')"
        if self.type.startswith("Nullable("):
            return f"p{i}"
        return f"ifNull(p{i}, {default})"


def raw_columns(store: Store, table: str = RAW_TABLE) -> list[Column]:
    """The columns of the store's raw table ``table``, in order. A column the datasource file
    does not list (a newer event version's) has its Events-API camelCase key."""
    rows = store.rows(
        "SELECT name, type, default_expression FROM system.columns "
        "WHERE database = {database:String} AND table = {table:String} ORDER BY position",
        {"database": store.database, "table": table},
    )
    for name, *_ in rows:
        if not _IDENTIFIER.match(name):
            raise LoadError(f"raw table column {name!r} is not a plain identifier")
    keys = json_keys(table)
    return [
        Column(i, name, kind, default, keys.get(name, camel_key(name)))
        for i, (name, kind, default) in enumerate(rows)
    ]


def _first_line(error: Exception) -> str:
    """The gist of an error: ClickHouse appends the whole (long, generated) query to it."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text.split(": In scope", 1)[0][:300]


def _by_name(columns: list[Column], name: str) -> Column:
    return next(column for column in columns if column.name == name)


def reason_sql(columns: list[Column], rules: LoadRules) -> str:
    """Why a record is rejected ('' when it loads), first reason first."""
    start = _by_name(columns, rules.time_column)
    checks = [
        ("note != ''", "note"),
        ("NOT isValidJSON(raw)", "'not valid JSON'"),
        ("JSONType(raw) != 'Object'", "'not a JSON object'"),
    ]
    for name in rules.required:
        i = _by_name(columns, name).index
        checks.append((f"ifNull(t{i}, '') = ''", f"concat('missing ', {{k{i}:String}})"))
    for column in columns:
        i = column.index
        message = (
            f"concat({{l{i}:String}}, ' is not a valid ', {{y{i}:String}}, ': ', left(t{i}, 80))"
        )
        checks.append((column.bad_sql(), message))
    p = f"p{start.index}"
    time = f"concat({{k{start.index}:String}}, ' ', toString(toDateTime({p}, 'UTC')))"
    checks += [
        (
            f"{p} < toDateTime64({{start_date:Date}}, 3, 'UTC')",
            f"concat({time}, ' UTC is before POLLEN_START_DATE ', toString({{start_date:Date}}))",
        ),
        (
            f"{p} > now64(3, 'UTC') + INTERVAL {FUTURE_SLACK.days} DAY",
            f"concat({time}, ' UTC is more than a day in the future')",
        ),
    ]
    # Not multiIf: with ~70 branches its short-circuit evaluation is slower by orders of
    # magnitude. Flags in an array, then the message of the first one raised.
    flags = ", ".join(f"toUInt8(ifNull({condition}, 0))" for condition, _ in checks)
    messages = ", ".join(message for _, message in checks)
    first = f"arrayFirstIndex(flag -> flag = 1, [{flags}])"
    return f"if({first} = 0, '', arrayElement([{messages}], {first}))"


def validation_sql(columns: list[Column], lines_table: str, rules: LoadRules) -> str:
    """One row per non-blank staged record: line, raw, reason and every typed column value.

    ``m`` holds the record's top-level keys and raw values, parsed once per record; ``r``,
    ``t``, ``p`` and ``v`` are each column's raw JSON value, value text, parsed value and value
    to insert. One subquery per step keeps the query text small: ClickHouse spends a second
    analysing it when every alias is written out in full.
    """
    start = _by_name(columns, rules.time_column)
    keep = "line, raw, note"
    steps = [
        [f"{column.found_sql()} AS r{column.index}" for column in columns],
        [f"{column.text_sql()} AS t{column.index}" for column in columns],
        [f"{column.parsed_sql()} AS p{column.index}" for column in columns],
        [
            *(f"{column.value_sql(start)} AS v{column.index}" for column in columns),
            f"{reason_sql(columns, rules)} AS reason",
        ],
    ]
    sql = (
        f"SELECT {keep}, CAST(JSONExtractKeysAndValuesRaw(raw), 'Map(String, String)') AS m "
        f"FROM {lines_table} WHERE notEmpty(trimBoth(replaceAll(raw, '\\r', '')))"
    )
    carried = ["m"]  # every alias made so far stays visible to the later steps
    for step in steps:
        sql = f"SELECT {keep}, {', '.join(carried + step)} FROM ({sql})"
        carried += [expression.rsplit(" AS ", 1)[1] for expression in step]
    return sql


def validation_params(columns: list[Column], start_date: dt.date) -> dict[str, Any]:
    params: dict[str, Any] = {"iso": ISO_TIME, "start_date": start_date}
    params |= {"map_pair": MAP_PAIR, "map_text": MAP_TEXT, "csv_null": "\\N"}
    params |= {"escaped": r"\\(.)", "unescaped": r"\1"}  # a backslash-escaped map key character
    for column in columns:
        params |= column.params() | {f"l{column.index}": column.label}
    return params


# --- Loading one file ----------------------------------------------------------------------


@dataclass
class LoadResult:
    """What loading one file did."""

    path: Path
    content_hash: str
    loaded: int = 0
    rejected: int = 0
    already: str | None = None  # when the file had been loaded before: when and as what
    seconds: float = 0.0


@dataclass
class _Staging:
    """Per-file staging tables, named by content hash so a rerun clears a dead run's leftovers."""

    store: Store
    content_hash: str
    target: str  # the raw table
    names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        prefix = f"_load_{self.content_hash[:16]}"
        for role in ("lines", "checked", "events", "rejected"):
            self.names[role] = self.store.table(f"{prefix}_{role}")

    def create(self) -> None:
        self.drop()
        self.store.command(
            f"CREATE TABLE {self.names['lines']} (line UInt64, raw String, note String) "
            "ENGINE = Memory"
        )
        rejected = self.store.table(catalog.rejected_table(self.target))
        self.store.command(
            f"CREATE TABLE {self.names['events']} AS {self.store.table(self.target)}"
        )
        self.store.command(f"CREATE TABLE {self.names['rejected']} AS {rejected}")

    def drop(self) -> None:
        for name in self.names.values():
            self.store.command(f"DROP TABLE IF EXISTS {name}")


class Loader:
    """Loads files into one raw table of a store; ``say`` receives progress and summary lines."""

    def __init__(
        self,
        store: Store,
        start_date: dt.date,
        say: Callable[[str], None] = print,
        table: str = RAW_TABLE,
    ) -> None:
        self.store = store
        self.start_date = start_date
        self.say = say
        self.table = table
        self.rules = load_rules(table)
        self.columns = raw_columns(store, table)
        self.params = validation_params(self.columns, start_date)

    def load(self, path: Path, fmt: str | None = None) -> LoadResult:
        """Load ``path`` unless the ledger has its content already."""
        if not path.is_file():
            raise LoadError(f"{path}: no such file")
        fmt = fmt or detect_format(path)
        result = LoadResult(path, content_hash(path))
        previous = self._ledger_entry(result.content_hash)
        if previous is not None:
            loaded_at, first_path, result.loaded, result.rejected = previous
            result.already = f"{loaded_at} UTC as {first_path}"
            return result
        started = time.monotonic()
        staging = _Staging(self.store, result.content_hash, self.table)
        try:
            staging.create()
            self._stage_file(path, fmt, result, staging)
            self._commit(path, fmt, result, staging)
        except LoadError:
            raise
        except (OSError, EOFError, pa.ArrowException, ClickHouseError, RuntimeError) as error:
            # EOFError: a truncated gzip; chdb raises RuntimeError for query errors, the HTTP
            # client ClickHouseError
            raise LoadError(f"{path}: nothing loaded: {_first_line(error)}") from error
        finally:
            staging.drop()
        result.seconds = time.monotonic() - started
        return result

    def _ledger_entry(self, digest: str) -> tuple | None:
        """When and as which file this content went into this table, if it did: the same file
        loaded into another raw table (a v2 export first sent to v1 by mistake) loads there."""
        rows = self.store.rows(
            "SELECT toString(loaded_at), path, rows, rejected "
            f"FROM {self.store.table(LEDGER_TABLE)} "
            "WHERE content_hash = {hash:String} AND table_name = {table:String} "
            "ORDER BY loaded_at LIMIT 1",
            {"hash": digest, "table": self.table},
        )
        return rows[0] if rows else None

    def _stage_file(self, path: Path, fmt: str, result: LoadResult, staging: _Staging) -> None:
        size, records, last_report = path.stat().st_size, 0, 0.0
        with path.open("rb") as stream:
            for chunk in read_chunks(path, fmt, stream):
                self._stage_chunk(chunk, path, result, staging)
                records += len(chunk.lines)
                if time.monotonic() - last_report > 2:  # progress, without flooding a terminal
                    last_report = time.monotonic()
                    done = stream.tell() / size if size and fmt != "parquet" else None
                    share = f" ({done:.0%} of the file)" if done is not None else ""
                    self.say(f"  {path.name}: {records:,} records read{share}")

    def _stage_chunk(self, chunk: Chunk, path: Path, result: LoadResult, staging: _Staging) -> None:
        """Ship the raw records, type and check them once, then split good from bad."""
        lines, checked = staging.names["lines"], staging.names["checked"]
        self.store.command(f"TRUNCATE TABLE {lines}")
        self.store.client.insert_arrow(lines, chunk.table())
        values = ", ".join(f"v{column.index}" for column in self.columns)
        self.store.command(f"DROP TABLE IF EXISTS {checked}")
        self.store.command(
            f"CREATE TABLE {checked} ENGINE = Memory AS "
            f"SELECT line, raw, reason, {values} "
            f"FROM ({validation_sql(self.columns, lines, self.rules)})",
            self.params,
        )
        names = ", ".join(f"`{column.name}`" for column in self.columns)
        self.store.command(
            f"INSERT INTO {staging.names['events']} ({names}) "
            f"SELECT {values} FROM {checked} WHERE reason = ''"
        )
        self.store.command(
            f"INSERT INTO {staging.names['rejected']} "
            "(file, line, raw, reason, content_hash, loaded_at) "
            "SELECT {file:String}, line, raw, reason, {hash:String}, now() "
            f"FROM {checked} WHERE reason != ''",
            {"file": str(path), "hash": result.content_hash},
        )

    def _commit(self, path: Path, fmt: str, result: LoadResult, staging: _Staging) -> None:
        """Attach the staged rows to the real tables, then record the file in the ledger."""
        result.loaded = self.store.scalar(f"SELECT count() FROM {staging.names['events']}")
        result.rejected = self.store.scalar(f"SELECT count() FROM {staging.names['rejected']}")
        self._attach(staging.names["events"], self.table)
        self._attach(staging.names["rejected"], catalog.rejected_table(self.table))
        self.store.command(
            f"INSERT INTO {self.store.table(LEDGER_TABLE)} "
            "(content_hash, path, format, loaded_at, rows, rejected, table_name) VALUES "
            "({hash:String}, {path:String}, {format:String}, now(), {rows:UInt64}, "
            "{rejected:UInt64}, {table:String})",
            {
                "table": self.table,
                "hash": result.content_hash,
                "path": str(path),
                "format": fmt,
                "rows": result.loaded,
                "rejected": result.rejected,
            },
        )

    def _attach(self, stage: str, target: str) -> None:
        partitions = self.store.rows(f"SELECT DISTINCT _partition_id FROM {stage}")
        for (partition,) in partitions:
            self.store.command(
                f"ALTER TABLE {self.store.table(target)} "
                f"ATTACH PARTITION ID {{partition:String}} FROM {stage}",
                {"partition": partition},
            )


def summary(result: LoadResult) -> str:
    """One line per file for the command's output."""
    if result.already:
        return (
            f"{result.path}: already loaded on {result.already} ({result.loaded:,} rows, "
            f"{result.rejected:,} rejected); nothing added"
        )
    line = f"{result.path}: loaded {result.loaded:,} rows, rejected {result.rejected:,}"
    if result.seconds:
        rate = (result.loaded + result.rejected) / result.seconds
        line += f" in {result.seconds:.1f}s ({rate:,.0f} records/s)"
    return line


def load_files(
    store: Store,
    paths: list[Path],
    start_date: dt.date,
    fmt: str | None = None,
    say: Callable[[str], None] = print,
    table: str = RAW_TABLE,
) -> list[LoadResult]:
    """Load every file (all are checked to exist first) into raw table ``table`` and report;
    returns what each did.

    A file whose lines were rejected, now or when it was first loaded, counts as rejected,
    so a script sees the same outcome however often it loads a file.
    """
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise LoadError(f"no such file: {', '.join(missing)}")
    if fmt is None:
        for path in paths:
            detect_format(path)  # every name is understood before anything is loaded
    loader = Loader(store, start_date, say, table)
    results = []
    for path in paths:
        results.append(loader.load(path, fmt))
        say(summary(results[-1]))
    rejected = [result for result in results if result.rejected]
    if rejected:
        hashes = ", ".join(f"'{result.content_hash}'" for result in rejected)
        say(
            f"{sum(result.rejected for result in rejected):,} rejected lines (file, line, raw, "
            f"reason): SELECT * FROM {store.table(catalog.rejected_table(table))} "
            f"WHERE content_hash IN ({hashes}) ORDER BY file, line"
        )
    return results
