"""Event files as real exports look: Events-API NDJSON (camelCase), snake_case NDJSON, CSV,
Parquet, optionally gzipped, built from the hand-made events of ``events.py``."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pollen_pipeline.loader import camel_key
from pollen_pipeline_tests.events import event


def _iso(value: Any) -> Any:
    return value.isoformat().replace("+00:00", "Z") if isinstance(value, dt.datetime) else value


def api_event(start: str, **fields: Any) -> dict[str, Any]:
    """One event in the Events-API shape: camelCase keys, ``id``, ISO times with ``Z``."""
    row = event(start, **fields)
    row.setdefault("event_id", f"evt-{row['request_id']}")
    return {camel_key(name): _iso(value) for name, value in row.items()}


def snake_event(start: str, **fields: Any) -> dict[str, Any]:
    """One event with the table's snake_case columns, as a Tinybird export writes them."""
    row = event(start, **fields)
    return {name: _iso(value) for name, value in row.items()}


def _open(path: Path, mode: str):
    return gzip.open(path, mode) if path.suffix == ".gz" else path.open(mode)


def write_ndjson(path: Path, lines: Iterable[dict[str, Any] | str]) -> Path:
    """One line per item; strings are written as they are (for broken lines)."""
    with _open(path, "wt") as handle:
        for line in lines:
            handle.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    return path


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    columns = sorted({name for row in rows for name in row})
    with _open(path, "wt") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for row in rows:
            cells = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in row.items()}
            writer.writerow(
                {k: str(v).lower() if isinstance(v, bool) else v for k, v in cells.items()}
            )
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)
    return path
