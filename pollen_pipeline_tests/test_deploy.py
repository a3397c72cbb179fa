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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from dagster import DagsterInstance
from dagster._core.errors import DagsterInvalidConfigError
from dagster._core.run_coordinator.queued_run_coordinator import QueuedRunCoordinator
from dagster._core.storage.local_compute_log_manager import LocalComputeLogManager

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

# The chart's defaults for the keys our values leave unset. Verified against the chart's own
# tests (helm/dagster/schema/schema_tests): concurrency disabled unless enabled, run monitoring
# and retries on, max_resume_run_attempts 0, threaded sensors/schedules with 4 workers. Not
# verified here (the chart's values.yaml was not available): the dequeue* settings and the
# monitoring timeouts; Dagster accepts any value of them, and they do not take part in the
# run-coordinator/concurrency check.
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


def _queued_run_coordinator(values: Mapping[str, Any]) -> dict[str, Any]:
    """helpers/instance/_run-coordinator.tpl, "dagsterYaml.runCoordinator.queued"."""
    qrc = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    concurrency_enabled = values["concurrency"]["enabled"]
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


def render_chart_instance(user_values: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of templates/configmap-instance.yaml that Dagster validates at start-up."""
    values = helm_merge(CHART_DEFAULTS, user_values)
    daemon = values["dagsterDaemon"]
    instance: dict[str, Any] = {
        "scheduler": {"module": "dagster._core.scheduler", "class": "DagsterDaemonScheduler"},
    }
    if daemon["enabled"] and daemon["runCoordinator"]["enabled"]:
        assert daemon["runCoordinator"]["type"] == "QueuedRunCoordinator"
        instance["run_coordinator"] = _queued_run_coordinator(values)
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
    assert helm_values["concurrency"]["enabled"] is True
    coordinator = helm_values["dagsterDaemon"]["runCoordinator"]
    queued = (coordinator.get("config") or {}).get("queuedRunCoordinator") or {}
    for key in ("maxConcurrentRuns", "tagConcurrencyLimits", "blockOpConcurrencyLimitedRuns"):
        assert key not in queued, f"{key} belongs in concurrency.runs / concurrency.pools"


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
    for name in ("dagster-webserver", "dagster-daemon"):
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


def test_grafana_plugin_is_pinned_and_installed_before_provisioning(
    compose: dict[str, Any],
) -> None:
    grafana = compose["services"]["grafana"]
    environment = grafana["environment"]
    assert "GF_INSTALL_PLUGINS" not in environment  # deprecated
    assert re.fullmatch(r"grafana/grafana-oss:\d+\.\d+\.\d+", grafana["image"])
    plugins = dict(entry.split("@", 1) for entry in environment["GF_PLUGINS_PREINSTALL"].split(","))
    assert re.fullmatch(r"\d+\.\d+\.\d+", plugins["grafana-clickhouse-datasource"])
    # Grafana 11.6: preinstall is asynchronous unless preinstall_async is false, and the
    # datasource and alert rules are provisioned at start-up.
    assert str(environment["GF_PLUGINS_PREINSTALL_ASYNC"]).lower() == "false"


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
    # The compose stack with nothing set on the host: every variable gets a working value.
    environment = compose["services"]["grafana"]["environment"]
    grafana_env = {key: compose_value(value, {}) for key, value in environment.items()}
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
