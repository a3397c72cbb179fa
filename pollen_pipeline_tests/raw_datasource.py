"""The raw table as the real system defines it: its Tinybird datasource file, kept in the
package. Tests hold the store's raw table and the loader's JSON keys to it."""

from __future__ import annotations

from pollen_pipeline import catalog

DATASOURCE = catalog.table_folders()["generation_event"] / "generation_event.datasource"


def schema_block() -> str:
    """The SCHEMA > block of the datasource file: one column a line, with its JSON path."""
    return DATASOURCE.read_text().split("SCHEMA >", 1)[1].split("ENGINE", 1)[0]
