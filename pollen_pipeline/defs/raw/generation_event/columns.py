"""Which columns the raw table has, asked when a run starts, so the same SQL reads every raw
schema and never fails on a missing column. BYOP signals: the seed schema has only key type and
name, later ones say how each key was made (``contract.NEWER_KEY_COLUMNS``)."""

from __future__ import annotations

from pollen_pipeline import contract
from pollen_pipeline.store import Store
from pollen_pipeline.table_sql import provides


@provides("raw_key_origin", "key_columns", "raw_byop_flag")
def key_origin_fragments(raw: Store, raw_table: str) -> dict[str, str]:
    """``$raw_key_origin``: each event's key origin, from the newer columns when present;
    ``$key_columns``: 1 when they are; ``$raw_byop_flag``: the team's BYOP flag (a key's app
    client id), 0 on a raw table without that column (the seed's v1 schema names no app)."""
    present = {row[0] for row in raw.rows(f"DESCRIBE (SELECT * FROM {raw_table})")}
    newer = set(contract.NEWER_KEY_COLUMNS) <= present
    return {
        "raw_key_origin": contract.RAW_KEY_ORIGIN_NEWER if newer else contract.RAW_KEY_ORIGIN_SEED,
        "key_columns": "1" if newer else "0",
        "raw_byop_flag": contract.RAW_IS_BYOP if "api_key_client_id" in present else "toUInt8(0)",
    }


# --- v2's columns on any raw table ------------------------------------------------------------
# Tables reading columns v2 added (key client id, developer price, rewards, usage kinds, agent
# runs, adjustments) list them as ``$optional_columns``: on a raw table without one (the seed's
# v1 schema) its v2 default stands in, so the table means the same on either.
# v2 column -> its value where the raw table lacks it (the datasource's default)
OPTIONAL_COLUMNS = {
    "is_final": "true",  # v1 has no fallback attempts: every row is a request
    "api_key_client_id": "'undefined'",
    "api_key_created_for_app": "'undefined'",
    "api_key_created_for_user_id": "'undefined'",
    "api_key_created_via": "'undefined'",
    "dev_price": "toFloat64(0)",
    "markup_rate": "toFloat64(0)",
    "community_model_reward_user_id": "'undefined'",
    "community_model_reward_amount": "toFloat64(0)",
    "token_count_prompt_cache_write": "toUInt32(0)",
    "token_count_completion_video_tokens": "toUInt32(0)",
    "token_count_prompt_audio_seconds": "toFloat64(0)",
    "token_count_completion_audio_seconds": "toFloat64(0)",
    "token_count_completion_video_seconds": "toFloat64(0)",
    "parent_request_id": "''",
    "adjustment_costs": "CAST(map(), 'Map(String, Float64)')",
    "adjustment_units": "CAST(map(), 'Map(String, Float64)')",
}


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
