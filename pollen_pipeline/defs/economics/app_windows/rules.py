"""app_windows' own rules: what it keeps of each app besides its windowed sums."""

from __future__ import annotations

from pollen_pipeline.defs.economics.rules import Windowed, windows_fragments

APP = Windowed(
    key="app_id",  # contract.app_id, a column of the select's daily rows
    # the latest name, type and owner; aliases no app_daily column has, so none shadows one
    latest={
        "key_name": "api_key_name",
        "key_type": "api_key_type",
        "named": "is_named_app",
        "owner_id": "app_owner_id",
        "owner_username": "app_developer",
    },
)


def fragments() -> dict[str, str]:
    """``$windows`` and ``$windows_by_running_sums`` of ``APP``."""
    return windows_fragments(APP)
