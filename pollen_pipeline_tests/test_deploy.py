"""The deployment files, checked with the code that reads them (no Docker, Helm or Grafana here).

- Dagster instance config: the compose stack's ``deploy/dagster.yaml``, the repository root's
  ``dagster.yaml`` and the instance ``dagster.yaml`` that the official Helm chart renders from
  ``deploy/helm/values.yaml`` are each written to a temporary ``DAGSTER_HOME`` and loaded with
  Dagster's own loading code (``DagsterInstance.from_config`` -> ``InstanceRef.from_dir`` ->
  ``dagster_instance_config``, which holds the run-coordinator / ``concurrency`` compatibility
  check), so a config that would stop the webserver, the daemon or a code server at start-up
  fails here.
- Grafana provisioning and the compose file: what Grafana's ``${VAR}`` expansion and the
  ClickHouse plugin's settings parser make of the values the compose stack sets; the alert rules'
  dashboard links; the first start of the ClickHouse container; the pinned plugin.

Only ``tmp_path`` from pytest; nothing from conftest.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import sys
import textwrap
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from dagster import DagsterInstance
from dagster._core.errors import DagsterInvalidConfigError
from dagster._core.remote_origin import GrpcServerCodeLocationOrigin
from dagster._core.run_coordinator.queued_run_coordinator import QueuedRunCoordinator
from dagster._core.storage.local_compute_log_manager import LocalComputeLogManager
from dagster._core.workspace.load import location_origins_from_yaml_paths

from pollen_pipeline.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
HELM_VALUES = DEPLOY / "helm" / "values.yaml"
COMPOSE = DEPLOY / "docker-compose.yaml"
PROVISIONING = ROOT / "grafana" / "provisioning"
DATASOURCE = PROVISIONING / "datasources" / "clickhouse.yaml"
ALERTING = PROVISIONING / "alerting" / "pollen-alerts.yaml"
DASHBOARDS = ROOT / "grafana" / "dashboards"


@contextmanager
def loaded_instance(home: Path, config: Mapping[str, Any] | str) -> Iterator[DagsterInstance]:
    """``config`` (a dict or YAML text) as ``home/dagster.yaml``, loaded the way every Dagster
    process loads ``$DAGSTER_HOME`` (storage defaults to SQLite under ``home``)."""
    home.mkdir(parents=True, exist_ok=True)
    text = config if isinstance(config, str) else yaml.safe_dump(dict(config), sort_keys=False)
    (home / "dagster.yaml").write_text(text)
    with DagsterInstance.from_config(str(home)) as instance:
        yield instance


# --- The instance dagster.yaml of the Helm chart ------------------------------------------------
#
# The chart (dagster-io/dagster, helm/dagster, 1.13.x) renders dagster.yaml in
# templates/configmap-instance.yaml from helpers/instance/*.tpl. render_chart_instance() below
# follows those templates for the parts Dagster validates at start-up, from the values the chart
# would see: its own defaults (CHART_DEFAULTS) deep-merged with deploy/helm/values.yaml, as Helm
# merges `-f values.yaml` (maps merge key by key, lists and scalars replace, null deletes).
# Left out on purpose, because their libraries are not installed in this test environment and
# their config does not interact with the checks below:
# - run/event-log/schedule storage: dagster_postgres (replaced by the SQLite default in tmp_path);
# - run_launcher: dagster_k8s.K8sRunLauncher (replaced by the DefaultRunLauncher default).
# The `module` the chart writes for the run coordinator does not matter to Dagster's
# run-coordinator/concurrency check (config.py keys it on `class: QueuedRunCoordinator`); it is
# written here as the module path dagster 1.13 can import.

# The chart's defaults for the keys our values leave unset: concurrency disabled unless enabled,
# run monitoring and retries on, max_resume_run_attempts 0, threaded sensors/schedules with 4
# workers (the chart's schema tests). The chart's values.yaml at 1.13.27 could not be read here,
# so the run-coordinator keys are not trusted to any default: our values empty every key the
# template reads (QUEUED_RUN_COORDINATOR_KEYS), and the tests below render them over each
# default a chart could ship (RUN_COORDINATOR_DEFAULTS), with both template revisions.
CHART_DEFAULTS: dict[str, Any] = {
    "telemetry": {"enabled": True},
    "computeLogManager": {"type": "NoOpComputeLogManager"},
    "dagsterDaemon": {
        "enabled": True,
        "runCoordinator": {
            "enabled": True,
            "type": "QueuedRunCoordinator",
            "config": {
                "queuedRunCoordinator": {
                    "maxConcurrentRuns": None,
                    "tagConcurrencyLimits": [],
                    "dequeueIntervalSeconds": None,
                    "dequeueUseThreads": True,
                    "dequeueNumWorkers": 4,
                }
            },
        },
        "runMonitoring": {
            "enabled": True,
            "startTimeoutSeconds": 300,
            "maxResumeRunAttempts": 0,
            "pollIntervalSeconds": 120,
        },
        "runRetries": {"enabled": True, "maxRetries": 0},
        "sensors": {"useThreads": True, "numWorkers": 4},
        "schedules": {"useThreads": True, "numWorkers": 4},
    },
    "concurrency": {
        "enabled": False,
        "pools": {"defaultLimit": None, "granularity": None, "opGranularityRunBuffer": None},
        "runs": {"maxConcurrentRuns": None, "tagConcurrencyLimits": []},
    },
}


# The keys of dagsterDaemon.runCoordinator.config.queuedRunCoordinator that the chart's
# helpers/instance/_run-coordinator.tpl and _concurrency.tpl read (dagster-io/dagster,
# _run-coordinator.tpl at 7b8754699eee13e80a713aec24fa1947d5fe2a14, its concurrency-aware
# revision, and _concurrency.tpl at 99dc34fc9b04c226607e051ab359f753258c071b).
QUEUED_RUN_COORDINATOR_KEYS = (
    "maxConcurrentRuns",
    "tagConcurrencyLimits",
    "dequeueIntervalSeconds",
    "dequeueUseThreads",
    "dequeueNumWorkers",
    "blockOpConcurrencyLimitedRuns",
)
# Defaults a chart version could ship for them; each alone, or the unset defaults above.
RUN_COORDINATOR_DEFAULTS = [
    {"blockOpConcurrencyLimitedRuns": {"enabled": False, "opConcurrencySlotBuffer": 0}},
    {"blockOpConcurrencyLimitedRuns": {"enabled": True, "opConcurrencySlotBuffer": 1}},
    {"maxConcurrentRuns": 0},
    {"dequeueIntervalSeconds": 5, "dequeueUseThreads": True, "dequeueNumWorkers": 8},
    {"tagConcurrencyLimits": [{"key": "team", "limit": 1}]},
]


class HelmTemplateError(Exception):
    """A `fail` in the chart's templates: `helm template` / `helm install` would stop."""


def helm_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _empty(value: Any) -> bool:  # sprig's `empty`
    return value is None or value is False or value == 0 or value == "" or value in ([], {})


def _queued_run_coordinator(values: Mapping[str, Any], legacy: bool = False) -> dict[str, Any]:
    """helpers/instance/_run-coordinator.tpl, "dagsterYaml.runCoordinator.queued"; ``legacy``:
    the revision (7b87546) that writes ``max_concurrent_runs`` (-1 when unset) and
    ``block_op_concurrency_limited_runs`` whenever any key is set, concurrency or not."""
    qrc = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    concurrency_enabled = values["concurrency"]["enabled"] and not legacy
    block: dict[str, Any] = {
        "module": "dagster._core.run_coordinator",
        "class": "QueuedRunCoordinator",
    }
    if all(_empty(v) for v in qrc.values()):
        return block
    config: dict[str, Any] = {}
    max_runs = qrc.get("maxConcurrentRuns")
    if not concurrency_enabled or max_runs is not None:
        config["max_concurrent_runs"] = -1 if max_runs is None else max_runs
    if qrc.get("tagConcurrencyLimits"):
        config["tag_concurrency_limits"] = qrc["tagConcurrencyLimits"]
    for key, name in (
        ("dequeueIntervalSeconds", "dequeue_interval_seconds"),
        ("dequeueUseThreads", "dequeue_use_threads"),
        ("dequeueNumWorkers", "dequeue_num_workers"),
    ):
        if not _empty(qrc.get(key)):
            config[name] = qrc[key]
    blocking = qrc.get("blockOpConcurrencyLimitedRuns")
    if blocking:
        config["block_op_concurrency_limited_runs"] = {
            "enabled": blocking["enabled"],
            "op_concurrency_slot_buffer": blocking.get("opConcurrencySlotBuffer"),
        }
    block["config"] = config
    return block


def _concurrency(values: Mapping[str, Any]) -> dict[str, Any]:
    """helpers/instance/_concurrency.tpl, "dagsterYaml.concurrency", with its `fail` checks."""
    pools = values["concurrency"].get("pools") or {}
    runs = values["concurrency"].get("runs") or {}
    coordinator = values["dagsterDaemon"]["runCoordinator"]
    if coordinator["enabled"] and coordinator["type"] == "QueuedRunCoordinator":
        qrc = coordinator["config"]["queuedRunCoordinator"]
        if runs.get("maxConcurrentRuns") is not None and qrc.get("maxConcurrentRuns") is not None:
            raise HelmTemplateError("maxConcurrentRuns in concurrency.runs and the coordinator")
        if runs.get("tagConcurrencyLimits") and qrc.get("tagConcurrencyLimits"):
            raise HelmTemplateError("tagConcurrencyLimits in concurrency.runs and the coordinator")
    block: dict[str, Any] = {}
    rendered_pools = {
        name: pools[key]
        for key, name in (
            ("defaultLimit", "default_limit"),
            ("granularity", "granularity"),
            ("opGranularityRunBuffer", "op_granularity_run_buffer"),
        )
        if pools.get(key) is not None and (key != "granularity" or pools[key])
    }
    if rendered_pools:
        block["pools"] = rendered_pools
    rendered_runs: dict[str, Any] = {}
    if runs.get("maxConcurrentRuns") is not None:
        rendered_runs["max_concurrent_runs"] = runs["maxConcurrentRuns"]
    if runs.get("tagConcurrencyLimits"):
        rendered_runs["tag_concurrency_limits"] = [
            {
                "key": limit["key"],
                **({"value": limit["value"]} if limit.get("value") else {}),
                "limit": limit["limit"],
            }
            for limit in runs["tagConcurrencyLimits"]
        ]
    if rendered_runs:
        block["runs"] = rendered_runs
    return block


def render_chart_instance(
    user_values: Mapping[str, Any],
    run_coordinator_defaults: Mapping[str, Any] | None = None,
    legacy: bool = False,
) -> dict[str, Any]:
    """The parts of templates/configmap-instance.yaml that Dagster validates at start-up, from
    the chart defaults (with ``run_coordinator_defaults`` over them) merged with our values."""
    defaults = copy.deepcopy(CHART_DEFAULTS)
    qrc_path = defaults["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    qrc_path.update(copy.deepcopy(dict(run_coordinator_defaults or {})))
    values = helm_merge(defaults, user_values)
    daemon = values["dagsterDaemon"]
    instance: dict[str, Any] = {
        "scheduler": {"module": "dagster._core.scheduler", "class": "DagsterDaemonScheduler"},
    }
    if daemon["enabled"] and daemon["runCoordinator"]["enabled"]:
        assert daemon["runCoordinator"]["type"] == "QueuedRunCoordinator"
        instance["run_coordinator"] = _queued_run_coordinator(values, legacy)
    assert values["computeLogManager"]["type"] == "NoOpComputeLogManager"  # the chart default
    instance["compute_logs"] = {
        "module": "dagster._core.storage.noop_compute_log_manager",
        "class": "NoOpComputeLogManager",
    }
    monitoring = daemon["runMonitoring"]
    if daemon["enabled"] and monitoring.get("enabled"):
        instance["run_monitoring"] = {
            "enabled": monitoring["enabled"],
            "start_timeout_seconds": monitoring["startTimeoutSeconds"],
            **(
                {"max_resume_run_attempts": monitoring["maxResumeRunAttempts"]}
                if monitoring.get("maxResumeRunAttempts") is not None
                else {}
            ),
            "poll_interval_seconds": monitoring["pollIntervalSeconds"],
        }
    retries = daemon["runRetries"]
    if daemon["enabled"] and retries.get("enabled"):
        instance["run_retries"] = {
            "enabled": retries["enabled"],
            **({"max_retries": retries["maxRetries"]} if retries.get("maxRetries") else {}),
        }
    for key in ("sensors", "schedules"):
        if daemon["enabled"] and daemon[key].get("useThreads"):
            instance[key] = {
                "use_threads": daemon[key]["useThreads"],
                **(
                    {"num_workers": daemon[key]["numWorkers"]}
                    if daemon[key].get("numWorkers")
                    else {}
                ),
            }
    instance["telemetry"] = {"enabled": values["telemetry"]["enabled"]}
    if values["concurrency"]["enabled"]:
        instance["concurrency"] = _concurrency(values)
    return instance


@pytest.fixture(scope="module")
def helm_values() -> dict[str, Any]:
    return yaml.safe_load(HELM_VALUES.read_text())


def test_dagster_loads_the_instance_config_the_helm_chart_renders(
    helm_values: dict[str, Any], tmp_path: Path
) -> None:
    rendered = render_chart_instance(helm_values)
    try:
        with loaded_instance(tmp_path, rendered) as instance:
            coordinator = instance.run_coordinator
            concurrency = instance.get_concurrency_config()
            assert instance.run_monitoring_enabled
            assert instance.run_retries_enabled
            assert (
                instance.run_retries_max_retries
                == helm_values["dagsterDaemon"]["runRetries"]["maxRetries"]
            )
    except DagsterInvalidConfigError as error:
        pytest.fail(
            "Dagster refuses the instance dagster.yaml the chart renders from "
            f"deploy/helm/values.yaml (webserver, daemon and code server would not start): {error}"
            f"\n{yaml.safe_dump(rendered, sort_keys=False)}"
        )
    assert isinstance(coordinator, QueuedRunCoordinator)
    runs = helm_values["concurrency"]["runs"]
    queue = concurrency.run_queue_config
    assert queue is not None
    assert queue.max_concurrent_runs == runs["maxConcurrentRuns"]
    assert list(queue.tag_concurrency_limits) == runs["tagConcurrencyLimits"]
    assert (
        concurrency.pool_config.default_pool_limit
        == (helm_values["concurrency"]["pools"]["defaultLimit"])
    )


def test_run_limits_in_the_run_coordinator_next_to_pools_are_refused(
    helm_values: dict[str, Any], tmp_path: Path
) -> None:
    """The check above can fail: the layout the values had before (limits in the coordinator,
    pools in `concurrency`) renders, and Dagster refuses it with the error of the issue."""
    old_layout = copy.deepcopy(helm_values)
    runs = old_layout["concurrency"].pop("runs", None)
    if runs:  # back where they were
        old_layout["dagsterDaemon"]["runCoordinator"]["config"] = {"queuedRunCoordinator": runs}
    queued = old_layout["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert queued["maxConcurrentRuns"] and queued["tagConcurrencyLimits"]
    assert old_layout["concurrency"]["pools"]
    rendered = render_chart_instance(old_layout)  # no `fail` in the chart for this layout
    refused = "incompatible with the `concurrency > runs` config"
    with (
        pytest.raises(DagsterInvalidConfigError, match=refused),
        loaded_instance(tmp_path, rendered),
    ):
        pass


def test_helm_values_use_the_runs_block_the_chart_and_dagster_read(
    helm_values: dict[str, Any],
) -> None:
    """Run limits live in concurrency.runs; every run-coordinator key the templates read is set,
    and empty, so that no chart default survives Helm's merge."""
    assert helm_values["concurrency"]["enabled"] is True
    queued = helm_values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert set(queued) == set(QUEUED_RUN_COORDINATOR_KEYS)
    assert all(_empty(value) for value in queued.values()), queued
    assert queued["tagConcurrencyLimits"] == []  # `len` in _concurrency.tpl: a list, not null


@pytest.mark.parametrize("legacy", [False, True], ids=["concurrency-aware", "legacy-template"])
@pytest.mark.parametrize("defaults", RUN_COORDINATOR_DEFAULTS, ids=str)
def test_no_chart_default_reaches_the_run_coordinator(
    helm_values: dict[str, Any], defaults: dict[str, Any], legacy: bool, tmp_path: Path
) -> None:
    rendered = render_chart_instance(helm_values, defaults, legacy)
    assert "config" not in rendered["run_coordinator"], rendered["run_coordinator"]
    with loaded_instance(tmp_path, rendered) as instance:
        queue = instance.get_concurrency_config().run_queue_config
    assert queue.max_concurrent_runs == helm_values["concurrency"]["runs"]["maxConcurrentRuns"]


def test_a_chart_default_block_op_buffer_is_refused_without_the_emptied_keys(
    helm_values: dict[str, Any], tmp_path: Path
) -> None:
    """Why the values empty the keys: the chart renders a default opConcurrencySlotBuffer into
    the run coordinator, and Dagster refuses it next to `concurrency > runs`."""
    plain = copy.deepcopy(helm_values)
    del plain["dagsterDaemon"]["runCoordinator"]["config"]
    rendered = render_chart_instance(plain, RUN_COORDINATOR_DEFAULTS[0])
    refused = r"op_concurrency_slot_buffer.*incompatible with the `concurrency > runs` config"
    with (
        pytest.raises(DagsterInvalidConfigError, match=refused),
        loaded_instance(tmp_path, rendered),
    ):
        pass


def _init_job() -> dict[str, Any]:
    """The `pollen init` Job of the Helm walkthrough (its heredoc)."""
    readme = (DEPLOY / "helm" / "README.md").read_text()
    heredoc = re.search(r"apply -f - <<'EOF'\n(.*?)\n\s*EOF\n", readme, re.S).group(1)
    return yaml.safe_load(textwrap.dedent(heredoc))


def test_helm_init_job_reads_the_settings_and_secret_of_the_code_location_and_runs(
    helm_values: dict[str, Any],
) -> None:
    """`pollen init` creates the tables in the database (and ON the cluster) the runs write to:
    it reads the very ConfigMap and Secret the code location and every run pod read."""
    (container,) = _init_job()["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["pollen", "init"]
    sources = {
        kind: [ref[kind]["name"] for ref in container["envFrom"] if kind in ref]
        for kind in ("configMapRef", "secretRef")
    }
    assert "env" not in container  # every setting comes from the shared ConfigMap
    (deployment,) = helm_values["dagster-user-deployments"]["deployments"]
    launcher = helm_values["runLauncher"]["config"]["k8sRunLauncher"]
    for reader in (deployment, launcher):
        assert [ref["name"] for ref in reader["envConfigMaps"]] == sources["configMapRef"]
        assert [ref["name"] for ref in reader["envSecrets"]] == sources["secretRef"]
    names = {item["name"] for item in deployment["env"]}
    assert not names & {"POLLEN_DATABASE", "POLLEN_CLICKHOUSE_CLUSTER"}, "set in two places"


def test_helm_readme_commands_use_real_kubectl_flags() -> None:
    readme = (DEPLOY / "helm" / "README.md").read_text()
    # `kubectl run` has --env and --overrides, but no --env-from flag
    assert not re.search(r"--env-from[= ]", readme)
    assert "envFrom" in readme


# --- The compose stack's instance and the repository root's -----------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def _volume_mounts(service: Mapping[str, Any]) -> dict[str, str]:
    """{container path: volume or host path} of a compose service."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        mounts[target] = source
    return mounts


def test_compose_instance_keeps_storage_and_compute_logs_on_the_shared_volume(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    text = (DEPLOY / "dagster.yaml").read_text()
    config = yaml.safe_load(text)
    storage_dir = config["storage"]["sqlite"]["base_dir"]
    logs_dir = config["compute_logs"]["config"]["base_dir"]
    services = compose["services"]
    shared: set[str] | None = None
    for name in DAGSTER_SERVICES:
        named_volumes = {
            target
            for target, source in _volume_mounts(services[name]).items()
            if source in compose["volumes"]
        }
        shared = named_volumes if shared is None else shared & named_volumes
    assert shared, "the webserver and the daemon share no named volume"
    for path in (storage_dir, logs_dir):
        assert any(Path(path).is_relative_to(mount) for mount in shared), path
    # Loaded as the containers load it, with /opt/dagster moved under tmp_path.
    local = text.replace("/opt/dagster", str(tmp_path / "opt"))
    with loaded_instance(tmp_path / "home", local) as instance:
        manager = instance.compute_log_manager
        assert isinstance(manager, LocalComputeLogManager)
        assert Path(manager._base_dir) == tmp_path / "opt" / Path(logs_dir).relative_to(
            "/opt/dagster"
        )
        assert (
            instance.get_concurrency_config().run_queue_config.max_concurrent_runs
            == (config["concurrency"]["runs"]["max_concurrent_runs"])
        )


def test_compose_image_installs_the_compose_instance_config() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "COPY deploy/dagster.yaml ${DAGSTER_HOME}/dagster.yaml" in dockerfile


def test_compose_instance_monitors_runs(tmp_path: Path) -> None:
    """A run lost with a recreated code server must not hold its run slot for ever: the daemon
    runs the monitoring daemon, CANCELING runs end, and every run has a maximum runtime."""
    text = (DEPLOY / "dagster.yaml").read_text().replace("/opt/dagster", str(tmp_path / "opt"))
    with loaded_instance(tmp_path / "home", text) as instance:
        assert instance.run_monitoring_enabled
        assert "MONITORING" in instance.get_required_daemon_types()
        assert 0 < instance.run_monitoring_cancel_timeout_seconds <= 600
        assert 0 < instance.run_monitoring_start_timeout_seconds <= 600
        assert instance.run_monitoring_max_runtime_seconds > 0


DAGSTER_SERVICES = ("pollen-code-server", "dagster-webserver", "dagster-daemon")


def _command_option(command: list[str], *flags: str) -> str:
    return command[max(command.index(flag) for flag in flags if flag in command) + 1]


def test_webserver_and_daemon_launch_runs_on_the_code_server_over_grpc(
    compose: dict[str, Any],
) -> None:
    """Runs launched by either process carry the code server's host and port (the
    DefaultRunLauncher's grpc_info tag), so the webserver can terminate the daemon's runs."""
    services = compose["services"]
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    server = services["pollen-code-server"]["command"]
    assert server[:3] == ["dagster", "api", "grpc"]
    # listening on every interface of its container (the default, localhost, is unreachable from
    # the others), and healthy only once it answers on that port: both wait for it
    assert _command_option(server, "-h", "--host") == "0.0.0.0"
    health = services["pollen-code-server"]["healthcheck"]["test"]
    assert health[1:4] == ["dagster", "api", "grpc-health-check"], health
    assert _command_option(health, "-p", "--port") == _command_option(server, "-p", "--port")
    for name in ("dagster-webserver", "dagster-daemon"):
        workspace = _command_option(services[name]["command"], "-w", "--workspace")
        assert f"COPY deploy/workspace.yaml {workspace}" in dockerfile, name
        assert services[name]["depends_on"]["pollen-code-server"]["condition"] == "service_healthy"
    (origin,) = location_origins_from_yaml_paths([str(DEPLOY / "workspace.yaml")])
    assert isinstance(origin, GrpcServerCodeLocationOrigin)
    assert origin.host == "pollen-code-server"
    assert origin.port == int(_command_option(server, "-p", "--port"))
    assert origin.location_name == "pollen_pipeline"


def test_pipeline_services_get_the_source_connection_and_the_report_folder(
    compose: dict[str, Any],
) -> None:
    host_env = {"POLLEN_SOURCE_CLICKHOUSE_URL": "https://u:p@tinybird:443", **DEVELOPMENT_ENV}
    for name in (*DAGSTER_SERVICES, "pollen-init"):
        service = compose["services"][name]
        env = {key: compose_value(value, host_env) for key, value in service["environment"].items()}
        assert env["POLLEN_SOURCE_CLICKHOUSE_URL"] == host_env["POLLEN_SOURCE_CLICKHOUSE_URL"]
        assert env["POLLEN_SOURCE_TABLE"] == ""  # unset: the store's own generation_event
        mounts = _volume_mounts(service)
        report_dir = Path(env["POLLEN_REPORT_DIR"])
        volume = next(target for target in mounts if report_dir.is_relative_to(target))
        assert mounts[volume] in compose["volumes"], "reports must be on a named volume"


def test_empty_source_variables_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compose passes an unset host variable as "": the settings read that as no source."""
    monkeypatch.setenv("POLLEN_SOURCE_CLICKHOUSE_URL", "")
    monkeypatch.setenv("POLLEN_SOURCE_TABLE", "")
    monkeypatch.setenv("POLLEN_CLICKHOUSE_URL", "http://pollen:pollen@clickhouse:8123")
    settings = load_settings()
    assert settings.source_clickhouse_url is None
    assert settings.raw_table == "pollen.generation_event"


def test_ports_are_published_on_localhost_only(compose: dict[str, Any]) -> None:
    published = [
        (name, port) for name, svc in compose["services"].items() for port in svc.get("ports", [])
    ]
    assert {name for name, _ in published} >= {"clickhouse", "dagster-webserver"}
    for name, port in published:
        assert str(port).startswith("127.0.0.1:"), (name, port)


PASSWORDS = ("POLLEN_CLICKHOUSE_PASSWORD", "GRAFANA_CLICKHOUSE_PASSWORD", "GRAFANA_ADMIN_PASSWORD")


def test_compose_refuses_to_start_without_passwords(compose: dict[str, Any]) -> None:
    values = [
        value
        for service in compose["services"].values()
        for value in (service.get("environment") or {}).values()
    ]
    for password in PASSWORDS:
        uses = [value for value in values if password in str(value)]
        assert uses, password
        for value in uses:  # every use is `${X:?...}`: no default password anywhere
            with pytest.raises(KeyError, match=password):
                compose_value(value, {name: "x" for name in PASSWORDS if name != password})
    assert set(DEVELOPMENT_ENV) == set(PASSWORDS)


def _locked_versions() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    return {package["name"]: package["version"] for package in lock["package"]}


def test_image_installs_the_locked_environment() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    instructions = [line for line in dockerfile.splitlines() if not line.startswith("#")]
    pip = [line for line in instructions if "pip install" in line]
    assert len(pip) == 1 and "uv==" in pip[0], pip  # pip installs uv, and nothing else
    assert sum(line.startswith("RUN uv sync --frozen") for line in instructions) == 2
    uv_version = re.search(r"^UV_VERSION := (\S+)", makefile, re.M).group(1)
    assert f"uv=={uv_version}" in dockerfile
    assert "PATH=/opt/pollen/.venv/bin:" in dockerfile
    assert "UV_PROJECT_ENVIRONMENT=/opt/pollen/.venv" in dockerfile


def test_build_context_leaves_out_the_local_environment_and_stores() -> None:
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    for path in (".venv", ".pollen", ".git", "deploy/.env"):
        assert path in ignored, path


def test_compose_commands_are_scripts_of_the_locked_environment(compose: dict[str, Any]) -> None:
    """The test environment is installed from the same uv.lock as the image."""
    scripts = Path(sys.executable).parent
    commands = {svc["command"][0] for svc in compose["services"].values() if "command" in svc}
    assert commands == {"pollen", "dagster", "dagster-webserver", "dagster-daemon"}
    for command in commands:
        assert shutil.which(command, path=str(scripts)), command


def test_helm_image_libraries_are_the_release_of_the_locked_dagster() -> None:
    locked = _locked_versions()
    dagster_patch = locked["dagster"].split(".")[2]
    for library in ("dagster-postgres", "dagster-k8s"):
        assert locked[library] == f"0.29.{dagster_patch}", library


def test_repository_instance_config_loads(tmp_path: Path) -> None:
    with loaded_instance(tmp_path, (ROOT / "dagster.yaml").read_text()) as instance:
        concurrency = instance.get_concurrency_config()
    assert concurrency.run_queue_config.max_concurrent_runs == 1  # the embedded store's writer
    assert concurrency.pool_config.default_pool_limit == 1


# --- Compose: first start of ClickHouse, the Grafana plugin, the Grafana data source -----------


def test_clickhouse_first_start_has_no_temporary_init_server(compose: dict[str, Any]) -> None:
    # The image's entrypoint (docker/server/entrypoint.sh) runs a temporary server on 127.0.0.1
    # only when CLICKHOUSE_DB is set or /docker-entrypoint-initdb.d has files; a localhost
    # healthcheck can pass against it. `pollen init` creates the database instead.
    clickhouse = compose["services"]["clickhouse"]
    assert "CLICKHOUSE_DB" not in clickhouse["environment"]
    assert not any(
        target.startswith("/docker-entrypoint-initdb.d") for target in _volume_mounts(clickhouse)
    )
    init = compose["services"]["pollen-init"]
    assert init["command"] == ["pollen", "init"]
    assert init["depends_on"]["clickhouse"]["condition"] == "service_healthy"


def test_grafana_installs_only_the_pinned_plugin_synchronously(compose: dict[str, Any]) -> None:
    """Grafana's pkg/setting/setting_plugins.go (readPluginSettings): preinstall_sync plugins are
    installed before provisioning and a failure stops Grafana; preinstall_async=false would move
    Grafana's own default apps into that synchronous list, and preinstall_disabled=true skips
    preinstall_sync as well. preinstall_sync exists from Grafana 12.1 on."""
    grafana = compose["services"]["grafana"]
    environment = grafana["environment"]
    major, minor, _ = re.fullmatch(
        r"grafana/grafana-oss:(\d+)\.(\d+)\.(\d+)", grafana["image"]
    ).groups()
    assert (int(major), int(minor)) >= (12, 1), grafana["image"]
    for setting in ("GF_INSTALL_PLUGINS", "GF_PLUGINS_PREINSTALL_ASYNC", "GF_PLUGINS_PREINSTALL"):
        assert setting not in environment, setting
    assert str(environment.get("GF_PLUGINS_PREINSTALL_DISABLED", "false")).lower() == "false"
    plugins = dict(
        entry.split("@", 1) for entry in environment["GF_PLUGINS_PREINSTALL_SYNC"].split(",")
    )
    assert list(plugins) == ["grafana-clickhouse-datasource"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", plugins["grafana-clickhouse-datasource"])


def _env_file(path: Path) -> dict[str, str]:
    lines = (line.strip() for line in path.read_text().splitlines())
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


DEVELOPMENT_ENV = _env_file(DEPLOY / "development.env")
GRAFANA_VAR = re.compile(r"\$(|__\w+){([^}]+)}|\$([A-Za-z_][A-Za-z0-9_]*)")
COMPOSE_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
GO_BOOLS = {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}


def compose_value(value: Any, env: Mapping[str, str]) -> str:
    """Docker Compose interpolation of one environment value (`${X}`, `${X:-d}`, `${X-d}`)."""

    def substitute(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        current = env.get(name)
        unset_or_empty = operator in (":-", ":?") and not current
        if unset_or_empty or (operator in ("-", "?") and current is None):
            if operator.endswith("?"):
                raise KeyError(f"compose refuses to start: {name} is required ({argument})")
            return argument
        return current or ""

    return COMPOSE_VAR.sub(substitute, str(value))


def grafana_expand(value: str, env: Mapping[str, str]) -> str:
    """Grafana's provisioning expansion (pkg/services/provisioning/values: setting.ExpandVar then
    os.ExpandEnv): `${NAME}` and `$NAME` are the variable or "", and there is no default syntax,
    so `${NAME:-x}` looks up a variable literally named `NAME:-x`."""

    def substitute(match: re.Match[str]) -> str:
        expander, braced, bare = match.groups()
        if bare is not None:
            return env.get(bare, "")
        assert expander == "", f"only plain ${{VAR}} is used here: {match.group(0)}"
        return env.get(braced, "")

    return GRAFANA_VAR.sub(substitute, value)


def _expand_tree(node: Any, env: Mapping[str, str]) -> Any:
    # provisioning's JSONValue: strings are expanded, other scalars kept, maps/lists walked
    if isinstance(node, dict):
        return {key: _expand_tree(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [_expand_tree(value, env) for value in node]
    return grafana_expand(node, env) if isinstance(node, str) else node


def plugin_settings_error(json_data: Mapping[str, Any]) -> str | None:
    """grafana/clickhouse-datasource pkg/plugin/settings.go LoadSettings: a string port goes
    through strconv.ParseInt(port, 0, 64), a string secure through strconv.ParseBool; host and
    port must end up set."""
    port = json_data.get("port")
    if isinstance(port, str):
        try:
            port = int(port, 0)
        except ValueError:
            return f"could not parse port value: {json_data.get('port')!r}"
    secure = json_data.get("secure")
    if isinstance(secure, str) and secure not in GO_BOOLS:
        return f"could not parse secure value: {secure!r}"
    if not str(json_data.get("host") or "").strip():
        return "invalid host"
    if not port:
        return "invalid port"
    return None


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def test_datasource_variables_all_come_from_the_compose_environment(
    compose: dict[str, Any],
) -> None:
    (source,) = yaml.safe_load(DATASOURCE.read_text())["datasources"]
    assert source.get("isDefault", False) is False
    names = set()
    for text in _strings(source):
        for _, braced, bare in GRAFANA_VAR.findall(text):
            assert ":" not in braced, f"Grafana has no ${{VAR:-default}} form: {text}"
            names.add(braced or bare)
    assert names == {
        f"GRAFANA_CLICKHOUSE_{name}"
        for name in ("HOST", "PORT", "PROTOCOL", "SECURE", "USER", "DATABASE", "PASSWORD")
    }
    # The compose stack with the development passwords only: every variable gets a working value.
    environment = compose["services"]["grafana"]["environment"]
    grafana_env = {key: compose_value(value, DEVELOPMENT_ENV) for key, value in environment.items()}
    for name in names:
        assert grafana_env.get(name), f"{name} is unset or empty in the compose grafana service"
    expanded = _expand_tree(source, grafana_env)
    assert plugin_settings_error(expanded["jsonData"]) is None
    assert expanded["jsonData"]["protocol"] in ("http", "native")
    assert expanded["secureJsonData"]["password"]


def test_unset_port_or_secure_is_what_the_plugin_cannot_parse() -> None:
    """Why the compose stack must set every variable: Grafana turns an unset one into ""."""
    (source,) = yaml.safe_load(DATASOURCE.read_text())["datasources"]
    expanded = _expand_tree(source["jsonData"], {"GRAFANA_CLICKHOUSE_HOST": "clickhouse"})
    assert plugin_settings_error(expanded) == "could not parse port value: ''"
    expanded["port"] = "8123"
    assert plugin_settings_error(expanded) == "could not parse secure value: ''"


# --- Alert rules ------------------------------------------------------------------------------


def _panels(dashboard: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for panel in dashboard.get("panels", []):
        yield panel
        yield from _panels(panel)


def test_alert_rules_link_their_panel_with_the_rule_level_fields() -> None:
    dashboards = {}
    for path in DASHBOARDS.glob("*.json"):
        dashboard = json.loads(path.read_text())
        dashboards[dashboard["uid"]] = {panel["id"] for panel in _panels(dashboard)}
    groups = yaml.safe_load(ALERTING.read_text())["groups"]
    for rule in (rule for group in groups for rule in group["rules"]):
        # pkg/services/provisioning/alerting/rules_types.go: dashboardUid and panelId are fields
        # of the rule; in `annotations` they are only text (the link annotations Grafana reads
        # are __dashboardUid__ / __panelId__, which it sets itself from these fields).
        annotations = rule.get("annotations", {})
        for key in ("dashboardUid", "panelId", "dashboardUID", "panelID"):
            assert key not in annotations, (rule["uid"], key)
        assert rule["dashboardUid"] in dashboards, rule["uid"]
        assert rule["panelId"] in dashboards[rule["dashboardUid"]], rule["uid"]


# --- Documentation the issue asks for ----------------------------------------------------------


def test_deploy_readme_covers_storage_passwords_and_grafana_variables() -> None:
    readme = (DEPLOY / "README.md").read_text()
    for needle in (
        "SQLite",
        "Postgres",
        "compute_logs",
        "GF_SECURITY_ADMIN_PASSWORD",
        "percent-encode",
        "GRAFANA_CLICKHOUSE_PORT",
    ):
        assert needle in readme, needle


# --- The walkthroughs, as written -------------------------------------------------------------


def _shell_lines(markdown: str) -> list[str]:
    """The commands of a document's ```sh blocks, continuation lines joined, comments out."""
    blocks = re.findall(r"```sh\n(.*?)```", markdown, re.S)
    text = "\n".join(blocks).replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and line.strip()[0] != "#"]


def test_helm_walkthrough_runs_in_order_from_an_empty_cluster_and_the_repository_root() -> None:
    commands = _shell_lines((DEPLOY / "helm" / "README.md").read_text())
    namespaced = [
        i for i, line in enumerate(commands) if re.search(r"(-n|--namespace) pollen", line)
    ]
    created = [i for i, line in enumerate(commands) if line == "kubectl create namespace pollen"]
    assert created and created[0] < namespaced[0], "a command uses the namespace before it exists"
    for line in commands:  # every file a command names exists from the repository root
        for path in re.findall(r"(?:^|\s)-f (\S+)", line):
            assert path == "-" or (ROOT / path).is_file(), line
    (install,) = [line for line in commands if line.startswith("helm upgrade --install")]
    assert f"--version {_locked_versions()['dagster']}" in install
    init = commands.index(
        "kubectl -n pollen wait --for=condition=complete job/pollen-init --timeout=10m"
    )
    assert init < commands.index(install), "the schedules start before the tables exist"
    assert any(line.startswith("kubectl -n pollen port-forward") for line in commands)
    build = next(line for line in commands if line.startswith("docker build"))
    assert "--build-arg POLLEN_EXTRAS=k8s" in build and build.endswith(" .")


def _compose_commands(document: Path) -> list[str]:
    """Every `docker compose` command a document shows, in its ```sh blocks or in its text."""
    text = document.read_text()
    commands = _shell_lines(text) + re.findall(r"`(docker compose [^`]*)`", text)
    commands += re.findall(r"^#?\s*(docker compose .*)$", text, re.M)
    return [line for line in commands if line.startswith("docker compose ")]


COMPOSE_DOCUMENTS = [
    DEPLOY / "README.md",
    ROOT / "README.md",
    COMPOSE,
]


def test_every_compose_command_reads_the_passwords_of_deploy_env() -> None:
    """Compose substitutes the whole file before any command (`exec`, `cp` and `down` too) and
    stops on an unset required password: so every command must find them. It reads `.env` in
    the project directory, the folder of the first `-f` file (deploy/), and `--env-file` on one
    command does nothing for the next: the walkthroughs use deploy/.env and never --env-file."""
    for document in COMPOSE_DOCUMENTS:
        commands = _compose_commands(document)
        assert commands, document
        for line in commands:
            assert "--env-file" not in line, (document, line)
            assert re.search(r"(^| )-f deploy/docker-compose\.yaml( |$)", line), (document, line)
    for document in (DEPLOY / "README.md", ROOT / "README.md"):
        lines = _shell_lines(document.read_text())
        first_compose = next(i for i, line in enumerate(lines) if line.startswith("docker compose"))
        copied = [i for i, line in enumerate(lines) if line.startswith(DEVELOPMENT_ENV_COPY)]
        assert copied and copied[0] < first_compose, document
    assert "deploy/.env" in (ROOT / ".gitignore").read_text().splitlines()


DEVELOPMENT_ENV_COPY = "cp deploy/development.env deploy/.env"


def test_compose_walkthrough_loads_data_with_a_command_of_the_image(
    compose: dict[str, Any],
) -> None:
    for document in (DEPLOY / "README.md", ROOT / "README.md"):
        commands = _compose_commands(document)
        assert any(line.endswith("up -d --build") for line in commands), document
        (service, program) = next(
            re.search(r" exec (\S+) (\S+) demo", line).groups()
            for line in commands
            if re.search(r" exec \S+ \S+ demo", line)
        )
        assert service in compose["services"] and program == "pollen", document


def _compose_schema_validator() -> Any:
    """The Compose Specification's JSON schema as check-jsonschema vendors it (with its
    licence), in the schema's own draft."""
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text())
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


def test_compose_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    validator = _compose_schema_validator()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(compose)]
    assert not errors, errors
    broken = copy.deepcopy(compose)  # the schema does refuse what Compose refuses
    broken["services"]["grafana"]["ports"] = {"web": 3001}
    broken["services"]["pollen-init"]["restart_policy"] = "no"
    assert len(list(validator.iter_errors(broken))) >= 2


def test_docs_say_one_clickhouse_host_and_cluster_writes_work() -> None:
    documents = [ROOT / "README.md", DEPLOY / "README.md", DEPLOY / "helm" / "README.md"]
    documents.append(HELM_VALUES)
    for document in documents:
        text = document.read_text()
        assert "not implemented yet" not in text, document
        for sentence in re.findall(r"[^.]*load balancer[^.]*", text):
            assert re.search(r"\b(not|never)\b", sentence), (document, sentence)
