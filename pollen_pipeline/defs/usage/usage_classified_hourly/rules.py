"""usage_classified_hourly's own rules: the team's traffic key lists.

- ``POLLEN_TRAFFIC_GROUPS``: a YAML file of ``legacy`` and ``internal`` key ids (default:
  ``traffic_groups.yaml`` beside this module). Read when a run starts, bound as parameters.
- The SELECT reads columns v2 added through ``$optional_columns``
  (``generation_event/columns.py``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from pollen_pipeline.settings import SettingsError
from pollen_pipeline.table_sql import provides

VARIABLE = "POLLEN_TRAFFIC_GROUPS"
DEFAULT_FILE = Path(__file__).parent / "traffic_groups.yaml"
GROUPS = ("legacy", "internal")  # every other key is 'regular'


def traffic_groups() -> dict[str, list[str]]:
    """Group -> its key ids, from the ``POLLEN_TRAFFIC_GROUPS`` file."""
    path = Path(os.environ.get(VARIABLE, "").strip() or DEFAULT_FILE)
    where = f"{VARIABLE} file {path}"
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(f"{where}: {type(error).__name__}: {error}") from None
    unknown = set(document) - set(GROUPS) if isinstance(document, dict) else {"(not a mapping)"}
    if unknown:
        raise SettingsError(f"{where}: groups are {', '.join(GROUPS)}, not {sorted(unknown)}")
    groups = {group: document.get(group) or [] for group in GROUPS}
    for group, keys in groups.items():
        if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
            raise SettingsError(f"{where}: {group} must be a list of key ids")
    return groups


@provides("legacy_keys", "internal_keys")
def sql_parameters() -> dict[str, Any]:
    """``legacy_keys`` and ``internal_keys``, bound in ``contract.RAW_TRAFFIC_GROUP``."""
    return {f"{group}_keys": keys for group, keys in traffic_groups().items()}
