"""The tables of the store, found on disk: every folder of ``defs/`` with a ``table.sql`` is a
table of that name, and the store-level tables (loader logs, check history) live in ``sql/``.

Nothing here is a list to keep: adding a table folder adds its DDL to ``pollen init`` and its
name to the ``$<table>`` placeholders every SELECT may use (``table_sql``).
"""

from __future__ import annotations

import hashlib
import string
from functools import cache
from pathlib import Path

import yaml

from pollen_pipeline import cluster
from pollen_pipeline.grain import GRAINS, Grain
from pollen_pipeline.store import Store, Table
from pollen_pipeline.table_sql import DDL_FILE, SELECT_FILE, TableSql, TemplateError

PACKAGE = Path(__file__).parent
DEFS = PACKAGE / "defs"
SQL = PACKAGE / "sql"

RAW_TABLE = "generation_event"
# The team's current raw event table (event_source.py: read from POLLEN_V2_FROM on).
RAW_V2_TABLE = "generation_event_v2"
EVENT_TABLES = (RAW_TABLE, RAW_V2_TABLE)
# Written by `pollen load`: the files already loaded, and per raw table the lines that could not
# be loaded (<raw table>_rejected, from sql/rejected.sql).
LEDGER_TABLE = "load_ledger"
REJECTED_SUFFIX = "_rejected"
REJECTED_DDL = "rejected"
# Every asset-check evaluation, written from inside the run, for Grafana.
CHECK_RESULTS_TABLE = "pipeline_check_results"
# Users the team keeps out of every usage and economics number (`pollen exclude`).
EXCLUDED_TABLE = "excluded_users"
STORE_TABLES = (LEDGER_TABLE, CHECK_RESULTS_TABLE, EXCLUDED_TABLE)

DECLARATION_FILE = "defs.yaml"


@cache
def table_folders(root: Path = DEFS) -> dict[str, Path]:
    """Table name -> its folder, for every folder under ``root`` holding a ``table.sql``."""
    return {path.parent.name: path.parent for path in sorted(root.rglob(DDL_FILE))}


def summary_tables(root: Path = DEFS) -> list[str]:
    """The tables the pipeline computes: the folders with a SELECT."""
    return [name for name, folder in table_folders(root).items() if (folder / SELECT_FILE).exists()]


def raw_tables(root: Path = DEFS) -> list[str]:
    """The tables the pipeline reads but never computes (raw events, side sources): the folders
    without a SELECT. ``pollen load`` fills them."""
    return [
        name for name, folder in table_folders(root).items() if not (folder / SELECT_FILE).exists()
    ]


def rejected_table(raw: str) -> str:
    """Where ``pollen load`` keeps the lines of raw table ``raw`` it could not load."""
    return f"{raw}{REJECTED_SUFFIX}"


REJECTED_TABLE = rejected_table(RAW_TABLE)


def rejected_tables(root: Path = DEFS) -> list[str]:
    return [rejected_table(raw) for raw in raw_tables(root)]


def declaration(name: str, root: Path = DEFS) -> dict:
    """The attributes table folder ``name`` declares in its ``defs.yaml``."""
    text = (table_folders(root)[name] / DECLARATION_FILE).read_text()
    return yaml.safe_load(text)["attributes"]


def table(name: str, root: Path = DEFS) -> Table:
    """Summary table ``name`` with the grain its ``defs.yaml`` declares."""
    return table_of(name, GRAINS[declaration(name, root)["grain"]], table_sql(name, root))


def table_of(name: str, grain: Grain, sql: TableSql) -> Table:
    """Summary table ``name`` of ``grain``, partitioned as its ``table.sql`` says: by day, or by
    the month of its time column (a serving table)."""
    column = sql.monthly_partition_column()
    if column not in (None, grain.column):
        raise TemplateError(
            f"{name}: table.sql partitions by toYYYYMM({column}), not by its time column "
            f"{grain.column}"
        )
    return Table(name, grain, monthly=column is not None)


def table_sql(name: str, root: Path = DEFS) -> TableSql:
    """The SQL files of table ``name`` (no run-time names: for its DDL and for reading)."""
    folders = table_folders(root)
    return TableSql(name, folders[name], frozenset(folders))


def ddl_template(name: str, root: Path = DEFS) -> str:
    """The DDL of table ``name`` with its ``${database}`` placeholder: a table folder's
    ``table.sql`` with its fragments filled, or a store table's file in ``sql/`` (a raw
    table's rejected lines: ``sql/rejected.sql`` under its name)."""
    if name in table_folders(root):
        return table_sql(name, root).ddl_template()
    if name in rejected_tables(root):
        return string.Template((SQL / f"{REJECTED_DDL}.sql").read_text()).safe_substitute(
            rejected=name
        )
    return (SQL / f"{name}.sql").read_text()


# --- Creating the tables ---------------------------------------------------------------------


def create_statements(name: str, store: Store) -> list[str]:
    """The statements creating table ``name``: its DDL as is, or rewritten for a cluster. On one
    store, a summary table carries its DDL's fingerprint as its comment."""
    template = ddl_template(name)
    if store.cluster is None:
        statement = string.Template(template).substitute(database=store.database)
        if name in summary_tables():
            statement += f"\nCOMMENT '{ddl_fingerprint(name)}'"
        return [statement]
    if name in EVENT_TABLES:  # raw events are the big tables: sharded behind a Distributed one
        return cluster.sharded_table_ddl(template, store.database, store.cluster, name)
    return cluster.replicated_table_ddl(template, store.database, store.cluster, name)


def _database_ddl(store: Store) -> str:
    if store.cluster:
        return cluster.cluster_database_ddl(store.database, store.cluster)
    return f"CREATE DATABASE IF NOT EXISTS {store.database}"


def init_store(store: Store) -> list[str]:
    """Create the database and every missing table; return the tables that were created.

    Idempotent. An existing raw table is never altered: it belongs to whoever loads it. A
    summary table whose columns differ from its DDL (left by an older version) is recreated
    empty and listed as created: re-materialize it.
    """
    store.command(_database_ddl(store))
    existing = {
        row[0]
        for row in store.rows(
            "SELECT name FROM system.tables WHERE database = {database:String}",
            {"database": store.database},
        )
    }
    summaries = summary_tables()
    outdated = [] if store.cluster else _outdated_tables(store, summaries)
    for name in outdated:  # derived data: rebuilt by re-materializing, never migrated in place
        store.command(f"DROP TABLE {store.table(name)}")
        existing.discard(name)
    created = []
    raw = raw_tables()
    for name in (*raw, *map(rejected_table, raw), *STORE_TABLES, *summaries):
        if name not in existing:
            for statement in create_statements(name, store):
                store.command(statement)
            created.append(name)
    if LEDGER_TABLE in existing:  # a ledger of an older version: every file it holds is v1's
        on_cluster = f" ON CLUSTER {store.cluster}" if store.cluster else ""
        store.command(
            f"ALTER TABLE {store.table(LEDGER_TABLE)}{on_cluster} ADD COLUMN IF NOT EXISTS "
            f"table_name LowCardinality(String) DEFAULT '{RAW_TABLE}'"
        )
    return created


def _outdated_tables(store: Store, summaries: list[str]) -> list[str]:
    """The summary tables whose columns differ from their DDL's. (On a cluster, schema changes
    are an operator's migration.)"""
    recorded = _recorded_fingerprints(store)
    unproven = [name for name in summaries if recorded.get(name, "") != ddl_fingerprint(name)]
    return [name for name in unproven if name in recorded and _outdated(store, name)]


def ddl_fingerprint(name: str) -> str:
    """What a summary table created from today's DDL says in its comment."""
    digest = hashlib.sha256(ddl_template(name).encode()).hexdigest()[:16]
    return f"pollen ddl {digest}"


def _recorded_fingerprints(store: Store) -> dict[str, str]:
    """Table -> the DDL fingerprint its comment records ('' when none: an older version's)."""
    rows = store.rows(
        "SELECT name, comment FROM system.tables WHERE database = {database:String}",
        {"database": store.database},
    )
    return dict(rows)


def _columns(store: Store, name: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in store.rows(f"DESCRIBE TABLE {store.table(name)}")]


def _outdated(store: Store, name: str) -> bool:
    """Whether summary table ``name`` exists with other columns than its DDL file now gives
    (a newer pipeline version): compared through a probe table built from the DDL. A table of
    the same columns records the DDL's fingerprint, and is not probed again until it changes
    (probing every table cost each command ~0.8 s: five queries a table)."""
    probe = f"_probe_{name}"
    template = ddl_template(name).replace(f"${{database}}.{name}\n", f"${{database}}.{probe}\n")
    store.command(f"DROP TABLE IF EXISTS {store.table(probe)}")
    store.command(string.Template(template).substitute(database=store.database))
    try:
        differs = _columns(store, name) != _columns(store, probe)
    finally:
        store.command(f"DROP TABLE IF EXISTS {store.table(probe)}")
    if not differs:
        store.command(f"ALTER TABLE {store.table(name)} MODIFY COMMENT '{ddl_fingerprint(name)}'")
    return differs
