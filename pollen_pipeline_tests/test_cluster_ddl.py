"""Cluster DDL (``POLLEN_CLICKHOUSE_CLUSTER``), the write path on a cluster, and the Helm
values of ``deploy/helm``.

No ClickHouse cluster runs here, so the generated DDL is never executed: it is pinned by
snapshots (``snapshots/cluster_ddl``, rewritten with ``POLLEN_UPDATE_SNAPSHOTS=1``) and checked
for the properties a cluster needs: raw events sharded behind a Distributed table, every other
table one shard replicated on every host (where ``REPLACE PARTITION`` works).
"""

from __future__ import annotations

import os
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from pollen_pipeline import catalog, cluster
from pollen_pipeline.settings import SettingsError, load_settings
from pollen_pipeline.store import Store, Window
from pollen_pipeline_tests.events import at

SNAPSHOTS = Path(__file__).parent / "snapshots" / "cluster_ddl"
HELM_VALUES = Path(__file__).resolve().parents[1] / "deploy" / "helm" / "values.yaml"
DATABASE, CLUSTER = "pollen", "pollen_cluster"
DDL_NAMES = sorted([*catalog.table_folders(), *catalog.rejected_tables(), *catalog.STORE_TABLES])


class RecordingStore(Store):
    """A store without a server: records commands; answers the few reads of init and writes
    (``existing`` tables; a summary table's partition and sorting keys; the stage's columns; an
    empty stage)."""

    def __init__(self, existing: set[str] = frozenset()) -> None:
        super().__init__(client=None, database=DATABASE, cluster=CLUSTER)
        self.existing = existing
        self.commands: list[str] = []

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self.commands.append(sql)

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
        if "partition_key" in sql:
            return [("day", "day, user_id")]
        if sql.startswith("DESCRIBE TABLE"):
            return [("day", "Date"), ("user_id", "String")]
        if "_partition_id" in sql:
            return [("20260203",)]
        if "count()" in sql:
            return [(3,)]
        return [(name,) for name in self.existing]


def generated(name: str) -> list[str]:
    return catalog.create_statements(name, RecordingStore())


def source(name: str) -> str:
    return string.Template(catalog.ddl_template(name)).substitute(database=DATABASE)


def columns(statement: str) -> str:
    return re.search(r"^\($.*?^\)$", statement, re.M | re.S).group(0)


def after_engine(statement: str) -> list[str]:
    """The clauses after the ENGINE line: PARTITION BY, PRIMARY KEY, ORDER BY, TTL."""
    return statement.split("\nENGINE = ", 1)[1].splitlines()[1:]


# --- Snapshots and structure of every table's cluster DDL ---------------------------------


@pytest.mark.parametrize("name", DDL_NAMES)
def test_cluster_ddl_matches_its_snapshot(name: str) -> None:
    text = ";\n\n".join(generated(name))
    snapshot = SNAPSHOTS / f"{name}.sql"
    if os.environ.get("POLLEN_UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(text)
    assert snapshot.exists(), f"no snapshot for {name}: run with POLLEN_UPDATE_SNAPSHOTS=1"
    assert text == snapshot.read_text()


def test_every_snapshot_belongs_to_a_table() -> None:
    assert sorted(path.stem for path in SNAPSHOTS.glob("*.sql")) == DDL_NAMES


@pytest.mark.parametrize("name", catalog.EVENT_TABLES)
def test_raw_events_are_sharded_behind_a_distributed_table(name: str) -> None:
    local, distributed = generated(name)
    assert f"CREATE TABLE IF NOT EXISTS pollen.{name}_local ON CLUSTER {CLUSTER}\n" in local
    replicated = f"ReplicatedMergeTree('/clickhouse/tables/{{shard}}/pollen/{name}_local', "
    assert f"ENGINE = {replicated}'{{replica}}')\n" in local
    assert f"CREATE TABLE IF NOT EXISTS pollen.{name} ON CLUSTER {CLUSTER}\n" in distributed
    key = "cityHash64(user_id)"
    assert f"ENGINE = Distributed({CLUSTER}, pollen, {name}_local, {key})" in distributed
    assert columns(local) == columns(distributed) == columns(source(name))
    assert after_engine(local) == after_engine(source(name))  # same partitions, order, TTL
    assert after_engine(distributed) == []


@pytest.mark.parametrize("name", [name for name in DDL_NAMES if name not in catalog.EVENT_TABLES])
def test_every_other_table_is_one_shard_replicated_on_every_host(name: str) -> None:
    (statement,) = generated(name)
    assert f"CREATE TABLE IF NOT EXISTS pollen.{name} ON CLUSTER {CLUSTER}\n" in statement
    # no {shard} in the Keeper path: every host is a replica of the same single shard
    assert f"MergeTree('/clickhouse/tables/pollen/{name}', '{{replica}}'" in statement
    assert columns(statement) == columns(source(name))
    assert after_engine(statement) == after_engine(source(name))


def test_database_is_created_on_the_cluster() -> None:
    expected = "CREATE DATABASE IF NOT EXISTS pollen ON CLUSTER pollen_cluster"
    assert cluster.cluster_database_ddl(DATABASE, CLUSTER) == expected


# --- Engines and malformed files ----------------------------------------------------------

TEMPLATE = """-- a comment
CREATE TABLE IF NOT EXISTS ${database}.t
(
    day Date,
    version UInt64
)
ENGINE = %s
ORDER BY day
"""


def test_engine_arguments_follow_the_replication_path() -> None:
    local, _ = cluster.sharded_table_ddl(TEMPLATE % "ReplacingMergeTree(version)", "db", "c")
    path = "'/clickhouse/tables/{shard}/db/t_local', '{replica}', version"
    assert f"ENGINE = ReplicatedReplacingMergeTree({path})\n" in local
    (one_shard,) = cluster.replicated_table_ddl(TEMPLATE % "ReplacingMergeTree(version)", "db", "c")
    path = "'/clickhouse/tables/db/t', '{replica}', version"
    assert f"ENGINE = ReplicatedReplacingMergeTree({path})\n" in one_shard


@pytest.mark.parametrize("engine", ["Memory", "Log", "ReplicatedMergeTree('/x', '{replica}')"])
def test_engines_without_a_replicated_variant_are_rejected(engine: str) -> None:
    with pytest.raises(cluster.ClusterDdlError, match=r"t: engine .* has no Replicated variant"):
        cluster.replicated_table_ddl(TEMPLATE % engine, "db", "c")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (TEMPLATE.replace("${database}.t", "db.t") % "MergeTree", "CREATE TABLE IF NOT EXISTS"),
        (TEMPLATE.replace("ENGINE = %s\n", "").replace(".t\n", ".file_x\n"), "ENGINE"),
        ((TEMPLATE % "MergeTree") * 2, "CREATE TABLE IF NOT EXISTS"),
        (TEMPLATE.replace(".t\n", ".other\n") % "MergeTree", "creates table other"),
    ],
)
def test_malformed_ddl_files_are_rejected_by_name(template: str, message: str) -> None:
    with pytest.raises(cluster.ClusterDdlError, match=f"^file_x: .*{message}"):
        cluster.sharded_table_ddl(template, "db", "c", name="file_x")


# --- Settings, init_store and the write path on a cluster ---------------------------------


def test_cluster_variable_is_optional_and_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLLEN_CLICKHOUSE_CLUSTER", raising=False)
    assert load_settings().cluster is None
    monkeypatch.setenv("POLLEN_CLICKHOUSE_CLUSTER", "pollen_cluster")
    assert load_settings().cluster == "pollen_cluster"
    for bad in ("a.b", "c; DROP TABLE x", "1c"):
        monkeypatch.setenv("POLLEN_CLICKHOUSE_CLUSTER", bad)
        with pytest.raises(SettingsError, match="POLLEN_CLICKHOUSE_CLUSTER"):
            load_settings()


def test_init_store_on_a_cluster_runs_only_on_cluster_ddl() -> None:
    store = RecordingStore(existing={catalog.RAW_TABLE})
    created = catalog.init_store(store)
    assert catalog.RAW_TABLE not in created  # an existing raw table is still left alone
    assert sorted(created) == sorted(set(DDL_NAMES) - {catalog.RAW_TABLE})
    assert store.commands[0] == cluster.cluster_database_ddl(DATABASE, CLUSTER)
    assert all(f" ON CLUSTER {CLUSTER}" in statement for statement in store.commands)
    assert store.commands[1:] == [statement for name in created for statement in generated(name)]


def test_a_write_on_a_cluster_builds_a_plain_stage_and_swaps_into_the_replicated_table() -> None:
    store = RecordingStore()
    # from 08:00: the day's earlier rows are kept (a window of whole days has none to keep)
    window = Window(at("2026-02-03 08:00:00"), at("2026-02-04 00:00:00"))
    store.replace_window(catalog.table("user_daily"), window, "SELECT 1")
    create, fill, keep, swap, drop = store.commands
    stage = create.split()[2]
    # AS alone would copy the Replicated engine and its Keeper path into the stage
    assert create == (
        f"CREATE TABLE {stage} AS pollen.user_daily ENGINE = MergeTree "
        "PARTITION BY day ORDER BY (day, user_id)"
    )
    assert fill == f"INSERT INTO {stage} (day, user_id) SELECT day, user_id FROM (SELECT 1\n)"
    assert keep.startswith(f"INSERT INTO {stage} SELECT * FROM pollen.user_daily WHERE")
    assert swap == (
        f"ALTER TABLE pollen.user_daily REPLACE PARTITION ID {{partition:String}} FROM {stage}"
    )
    assert drop == f"DROP TABLE IF EXISTS {stage}"
    store.commands.clear()
    whole_day = Window(at("2026-02-03 00:00:00"), at("2026-02-04 00:00:00"))
    store.replace_window(catalog.table("user_daily"), whole_day, "SELECT 1")
    assert [command.split()[0] for command in store.commands] == [
        "CREATE",
        "INSERT",
        "ALTER",
        "DROP",
    ]


# --- Helm values ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def helm() -> dict[str, Any]:
    return yaml.safe_load(HELM_VALUES.read_text())


def test_helm_values_launch_runs_as_kubernetes_jobs_on_postgres(helm: dict[str, Any]) -> None:
    assert helm["runLauncher"]["type"] == "K8sRunLauncher"
    assert helm["postgresql"]["enabled"] is False  # an external, backed-up Postgres
    assert helm["postgresql"]["postgresqlHost"]
    coordinator = helm["dagsterDaemon"]["runCoordinator"]
    assert coordinator["type"] == "QueuedRunCoordinator"
    # run limits live in concurrency.runs; the coordinator's keys are emptied (test_deploy.py)
    assert not any(coordinator["config"]["queuedRunCoordinator"].values())
    assert helm["concurrency"]["runs"]["tagConcurrencyLimits"]
    assert helm["concurrency"]["pools"]["defaultLimit"] > 1  # pollen_store on a server


def test_helm_values_serve_this_code_location_from_its_own_image(helm: dict[str, Any]) -> None:
    (deployment,) = helm["dagster-user-deployments"]["deployments"]
    args = deployment["dagsterApiGrpcArgs"]
    assert args[args.index("--module-name") + 1] == "pollen_pipeline.definitions"
    assert deployment["image"]["repository"]
    assert deployment["envConfigMaps"]  # POLLEN_DATABASE, shared with `pollen init`
    assert deployment["envSecrets"]  # the ClickHouse URL with its password
    launcher = helm["runLauncher"]["config"]["k8sRunLauncher"]
    assert launcher["envSecrets"] == deployment["envSecrets"]
    assert launcher["envConfigMaps"] == deployment["envConfigMaps"]
