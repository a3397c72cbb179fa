"""Which columns the raw table has, asked when a run starts, so the same SQL reads every raw
schema and never fails on a missing column. BYOP signals: the seed schema has only key type and
name, later ones say how each key was made (``contract.NEWER_KEY_COLUMNS``)."""

from __future__ import annotations

from pollen_pipeline import contract
from pollen_pipeline.store import Store
from pollen_pipeline.table_sql import provides


def has_newer_key_columns(raw: Store, events: str) -> bool:
    """Whether ``events`` (a raw table, or the v1/v2 relation of event_source.py) has every
    newer key column."""
    present = {row[0] for row in raw.rows(f"DESCRIBE (SELECT * FROM {events})")}
    return set(contract.NEWER_KEY_COLUMNS) <= present


@provides("raw_key_origin", "key_columns")
def key_origin_fragments(raw: Store, raw_table: str) -> dict[str, str]:
    """``$raw_key_origin``: each event's key origin, from the newer columns when present;
    ``$key_columns``: 1 when they are."""
    newer = has_newer_key_columns(raw, raw_table)
    return {
        "raw_key_origin": contract.RAW_KEY_ORIGIN_NEWER if newer else contract.RAW_KEY_ORIGIN_SEED,
        "key_columns": "1" if newer else "0",
    }
