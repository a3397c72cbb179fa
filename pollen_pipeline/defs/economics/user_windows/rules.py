"""user_windows' own rules: a developer's portfolio over each window."""

from __future__ import annotations

from pollen_pipeline import contract
from pollen_pipeline.defs.economics.rules import WINDOWS, Windowed, windows_fragments

# Distinct ids of user_daily's sorted id arrays: window column prefix -> user_daily array.
PORTFOLIO = {
    "apps": "named_app_ids",  # named keys: the developer's apps
    "secret_keys": "secret_key_ids",
    "publishable_keys": "publishable_key_ids",
    "temporary_keys": "temporary_key_ids",
    "models": "model_names",
}


def portfolio_column_names() -> list[str]:
    return [f"{name}_{window}" for name in PORTFOLIO for window in WINDOWS]


USER = Windowed(
    key="user_id",
    # aliases no user_daily column has, so none shadows a column in the aggregates
    latest={
        "github_id": "user_github_id",
        "username": "user_github_username",
        "latest_tier": "user_tier",
    },
    sums={
        "enduser_30d": ("enduser_pollen", "30d"),
        "developer_30d": ("developer_pollen", "30d"),
        "implied_free_1d": ("implied_free_pollen", "1d"),
        "implied_free_30d": ("implied_free_pollen", "30d"),
    },
    id_arrays=PORTFOLIO,
)


def fragments() -> dict[str, str]:
    """``$windows`` and ``$windows_by_running_sums`` of ``USER``, ``$portfolio_columns``
    (the portfolio's column names) and ``$portfolio_column_definitions`` (their DDL), from the
    one ``PORTFOLIO`` list."""
    names = portfolio_column_names()
    return {
        **windows_fragments(USER),
        "portfolio_columns": ",\n    ".join(names),
        "portfolio_column_definitions": contract.column_definitions(
            [(name, "UInt64") for name in names]
        ),
    }
