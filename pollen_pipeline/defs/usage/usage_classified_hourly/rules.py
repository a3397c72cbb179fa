"""usage_classified_hourly's own rules: the team's traffic key lists, and the v2 columns a raw
table may not have.

- ``POLLEN_TRAFFIC_GROUPS``: a YAML file of ``legacy`` and ``internal`` key ids (default:
  ``traffic_groups.yaml`` beside this module). Read when a run starts, bound as parameters.
- The SELECT reads columns v2 added (``api_key_client_id``, ``dev_price``, rewards, cache-write
  and video usage); on a raw table without one (the seed's v1 schema), its default stands in,
  so the table means the same on either (``optional_columns``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from pollen_pipeline.settings import SettingsError
from pollen_pipeline.store import Store
from pollen_pipeline.table_sql import provides

VARIABLE = "POLLEN_TRAFFIC_GROUPS"
DEFAULT_FILE = Path(__file__).parent / "traffic_groups.yaml"
GROUPS = ("legacy", "internal")  # every other key is 'regular'
# v2 column -> its value where the raw table lacks it (the datasource's default)
OPTIONAL_COLUMNS = {
    "api_key_client_id": "'undefined'",
    "api_key_created_for_user_id": "'undefined'",
    "dev_price": "toFloat64(0)",
    "community_model_reward_user_id": "'undefined'",
    "community_model_reward_amount": "toFloat64(0)",
    "token_count_prompt_cache_write": "toUInt32(0)",
    "token_count_completion_video_tokens": "toUInt32(0)",
    "token_count_prompt_audio_seconds": "toFloat64(0)",
    "token_count_completion_audio_seconds": "toFloat64(0)",
    "token_count_completion_video_seconds": "toFloat64(0)",
}


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


@provides("optional_columns")
def optional_columns(raw: Store, events: str) -> dict[str, str]:
    """``$optional_columns``: each column of ``OPTIONAL_COLUMNS``, or its default under its name
    where ``events`` (the raw relation) lacks it."""
    present = {row[0] for row in raw.rows(f"DESCRIBE (SELECT * FROM {events})")}
    columns = [
        name if name in present else f"{default} AS {name}"
        for name, default in OPTIONAL_COLUMNS.items()
    ]
    return {"optional_columns": ",\n        ".join(columns)}
