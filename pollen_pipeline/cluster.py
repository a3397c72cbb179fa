"""DDL for a ClickHouse cluster (``POLLEN_CLICKHOUSE_CLUSTER``), derived from the tables' DDL.

The DDL files stay the single source of every table's columns and layout. On a cluster they
become, created ``ON CLUSTER`` so that every host gets them:

- **raw events** (the one big table), sharded: ``<name>_local``, the file's table with the
  Replicated variant of its engine, holding one shard's rows, plus ``<name>``, a
  ``Distributed`` table over every shard's ``<name>_local``, so readers keep the name;
- **every other table** (summaries, loader logs, check history: small), replicated on one
  shard: the file's table with its Replicated engine under the file's name, a full copy on
  every host. ``REPLACE PARTITION``, the pipeline's atomic write, works on it as on one server
  (``Store._create_stage``), and every host answers every dashboard query locally.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

LOCAL_SUFFIX = "_local"
# {shard} and {replica} are macros every host defines in its server config; the path is unique
# per database and table so that two databases on one cluster never share a replication log.
REPLICATION_PATH = "/clickhouse/tables/{shard}/${database}/%s"
# Without {shard}: every host of the cluster is a replica of the same single shard.
ONE_SHARD_PATH = "/clickhouse/tables/${database}/%s"

_HEADER = re.compile(r"^CREATE TABLE IF NOT EXISTS \$\{database\}\.(\w+)$", re.M)
_ENGINE = re.compile(r"^ENGINE = (\w+)(?:\((.*)\))?$", re.M)
_COLUMNS = re.compile(r"^\($.*?^\)$", re.M | re.S)


class ClusterDdlError(ValueError):
    """A DDL file cannot be turned into cluster DDL; the message names the table."""


@dataclass(frozen=True)
class TableDdl:
    """The parts of one table DDL template (``table.sql``) that cluster DDL rewrites."""

    template: str
    name: str
    columns: str  # the parenthesised column list, verbatim
    engine: str
    engine_args: str  # what the engine's parentheses held, "" when none

    @property
    def has_user_id(self) -> bool:
        return re.search(r"^\s+user_id\s", self.columns, re.M) is not None


def _one(pattern: re.Pattern[str], template: str, what: str, name: str) -> re.Match[str]:
    matches = list(pattern.finditer(template))
    if len(matches) != 1:
        raise ClusterDdlError(f"{name}: expected exactly one {what}, found {len(matches)}")
    return matches[0]


def parse_table_ddl(template: str, name: str | None = None) -> TableDdl:
    """Split a DDL template (``${database}`` not yet substituted) into the parts cluster DDL
    needs. ``name``, the file's name, labels errors and must be the table the file creates."""
    label = name or "?"
    header = _one(_HEADER, template, "'CREATE TABLE IF NOT EXISTS ${database}.<name>' line", label)
    if name is not None and header.group(1) != name:
        raise ClusterDdlError(f"{name}: the file creates table {header.group(1)}, not {name}")
    table = header.group(1)
    engine = _one(_ENGINE, template, "'ENGINE = ...' line", table)
    columns = _one(_COLUMNS, template, "column list '(' ... ')'", table)
    return TableDdl(template, table, columns.group(0), engine.group(1), engine.group(2) or "")


def sharding_key(table: TableDdl) -> str:
    """The Distributed table's sharding key: where rows inserted through it go.

    By user where the table has ``user_id``: all rows of one developer (and of their apps, whose
    rows carry the owner's user_id) land on one shard, so per-user rollups, windows and cohorts
    can be computed shard-locally (``optimize_distributed_group_by_sharding_key``) and there are
    enough users to spread evenly. Tables without users (per model, hour, tier) have no key that
    reads benefit from, so rows are spread at random.
    """
    return "cityHash64(user_id)" if table.has_user_id else "rand()"


def _replicated_engine(table: TableDdl, path: str) -> str:
    # Only the MergeTree family has Replicated variants; a Memory (or other) table would be
    # per-host and unreplicated on a cluster, which nothing here wants, so refuse it clearly.
    if not table.engine.endswith("MergeTree") or table.engine.startswith("Replicated"):
        raise ClusterDdlError(
            f"{table.name}: engine {table.engine} has no Replicated variant; "
            "cluster DDL needs a non-replicated *MergeTree engine in the DDL file"
        )
    args = ", ".join(arg for arg in (f"'{path}'", "'{replica}'", table.engine_args) if arg)
    return f"ENGINE = Replicated{table.engine}({args})"


def _local_template(table: TableDdl, cluster: str) -> str:
    header = (
        f"CREATE TABLE IF NOT EXISTS ${{database}}.{table.name}{LOCAL_SUFFIX} ON CLUSTER {cluster}"
    )
    text = _HEADER.sub(lambda _: header, table.template)
    path = REPLICATION_PATH % f"{table.name}{LOCAL_SUFFIX}"
    return _ENGINE.sub(lambda _: _replicated_engine(table, path), text)


def _distributed_template(table: TableDdl, cluster: str) -> str:
    local = f"{table.name}{LOCAL_SUFFIX}"
    engine = f"Distributed({cluster}, ${{database}}, {local}, {sharding_key(table)})"
    return (
        f"-- Reads (and inserts) across every shard's {local}.\n"
        f"CREATE TABLE IF NOT EXISTS ${{database}}.{table.name} ON CLUSTER {cluster}\n"
        f"{table.columns}\n"
        f"ENGINE = {engine}\n"
    )


def replicated_table_ddl(
    template: str, database: str, cluster: str, name: str | None = None
) -> list[str]:
    """The statement creating one DDL file's table on ``cluster`` as one shard replicated on
    every host: the file's name and layout, its engine's Replicated variant.

    ``database`` and ``cluster`` must be validated identifiers (``settings.check_identifier``).
    """
    table = parse_table_ddl(template, name)
    header = f"CREATE TABLE IF NOT EXISTS ${{database}}.{table.name} ON CLUSTER {cluster}"
    text = _HEADER.sub(lambda _: header, table.template)
    path = ONE_SHARD_PATH % table.name
    text = _ENGINE.sub(lambda _: _replicated_engine(table, path), text)
    return [string.Template(text).substitute(database=database)]


def sharded_table_ddl(
    template: str, database: str, cluster: str, name: str | None = None
) -> list[str]:
    """The statements creating one DDL file's table on ``cluster``, sharded: the local
    Replicated table first (the Distributed one refers to it), then the Distributed table under
    the file's name.

    ``database`` and ``cluster`` must be validated identifiers (``settings.check_identifier``).
    """
    table = parse_table_ddl(template, name)
    statements = (_local_template(table, cluster), _distributed_template(table, cluster))
    return [string.Template(text).substitute(database=database) for text in statements]


def cluster_database_ddl(database: str, cluster: str) -> str:
    return f"CREATE DATABASE IF NOT EXISTS {database} ON CLUSTER {cluster}"
