"""The ops domain's rules: what errors_hourly and its daily rollup errors_daily hold per row.

A table's own rules live beside it (``load_minutely/rules.py``, ``platform_minutely/rules.py``);
this module holds what two tables of the domain share.
"""

from __future__ import annotations

# The key columns of an error row after its hour or day, and its measures.
ERROR_KEYS = (
    ("model_provider_used", "LowCardinality(String)"),
    ("resolved_model_requested", "LowCardinality(String)"),
    ("response_status", "UInt32"),
    ("error_response_code", "LowCardinality(String)"),
    ("error_source", "LowCardinality(String)"),
)
ERROR_MEASURES = (
    ("events", "UInt64"),
    ("total_pollen", "Float64"),  # charged for these failed requests: 0 unless billing does
    ("first_at", "DateTime('UTC')"),
    ("last_at", "DateTime('UTC')"),
)


def fragments() -> dict[str, str]:
    """``$error_row_columns``: the DDL lines of an error row's keys and measures."""
    return {
        "error_row_columns": ",\n    ".join(
            f"{name} {type_}" for name, type_ in (*ERROR_KEYS, *ERROR_MEASURES)
        )
    }
