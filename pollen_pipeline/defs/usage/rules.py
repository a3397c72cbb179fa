"""The usage domain's rules: what usage_classified_hourly and its daily rollup share per row.

A table's own rules live beside it (``usage_classified_hourly/rules.py``: the traffic key
lists); this module holds the classification keys and the additive measures both tables
declare, so the rollup cannot drift from the hours it sums.
"""

from __future__ import annotations

# The team's classification of a row, after its hour or day.
CLASSIFIED_KEYS = (
    ("environment", "LowCardinality(String)"),
    ("traffic_group", "LowCardinality(String)"),
    ("model", "LowCardinality(String)"),
    ("workload", "LowCardinality(String)"),
    ("funding_source", "LowCardinality(String)"),
    ("is_byop", "UInt8"),
    ("is_community", "UInt8"),
    ("business_stream", "LowCardinality(String)"),
    ("v1_only", "UInt8"),
)
# Measures that add up over hours, in the tables' order: the calls, then (after the hourly
# table's uniq states of users and apps, which the rollup leaves out) Pollen and usage.
CLASSIFIED_CALLS = (
    ("all_calls", "UInt64"),
    ("successful_calls", "UInt64"),
    ("billed_calls", "UInt64"),
)
CLASSIFIED_AMOUNTS = (
    ("total_pollen", "Float64"),
    ("gross_consumption", "Float64"),
    ("byop_reward", "Float64"),
    ("community_reward", "Float64"),
    ("prompt_text_tokens", "UInt64"),
    ("prompt_cached_tokens", "UInt64"),
    ("prompt_cache_write_tokens", "UInt64"),
    ("completion_text_tokens", "UInt64"),
    ("completion_reasoning_tokens", "UInt64"),
    ("prompt_image_tokens", "UInt64"),
    ("completion_image_tokens", "UInt64"),
    ("completion_video_tokens", "UInt64"),
    ("prompt_audio_seconds", "Float64"),
    ("completion_audio_seconds", "Float64"),
    ("completion_video_seconds", "Float64"),
)
SUMMED = (*CLASSIFIED_CALLS, *CLASSIFIED_AMOUNTS)


def _ddl(columns: tuple[tuple[str, str], ...]) -> str:
    return ",\n    ".join(f"{name} {type_}" for name, type_ in columns)


def fragments() -> dict[str, str]:
    """DDL lines of the keys, the calls and the amounts; the keys as a list; and the day's
    sums of the measures (each under a ``day_`` name, which an outer query renames)."""
    return {
        "classified_key_columns": _ddl(CLASSIFIED_KEYS),
        "classified_call_columns": _ddl(CLASSIFIED_CALLS),
        "classified_amount_columns": _ddl(CLASSIFIED_AMOUNTS),
        "classified_keys": ", ".join(name for name, _ in CLASSIFIED_KEYS),
        "classified_day_sums": ",\n        ".join(
            f"sum({name}) AS day_{name}" for name, _ in SUMMED
        ),
        "classified_day_names": ",\n    ".join(f"day_{name} AS {name}" for name, _ in SUMMED),
    }
