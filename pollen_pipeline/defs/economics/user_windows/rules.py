"""user_windows' own rules: a developer's portfolio over each window."""

from __future__ import annotations

from pollen_pipeline import contract
from pollen_pipeline.defs.economics.rules import WINDOWS, in_window

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


def _portfolio_counts() -> str:
    return ",\n        ".join(
        f"uniqExactArrayIf({array}, {in_window(window)}) AS {name}_{window}"
        for name, array in PORTFOLIO.items()
        for window in WINDOWS
    )


def fragments() -> dict[str, str]:
    """``$portfolio_counts`` (the aggregates), ``$portfolio_columns`` (their names) and
    ``$portfolio_column_definitions`` (their DDL), from the one ``PORTFOLIO`` list."""
    names = portfolio_column_names()
    return {
        "portfolio_counts": _portfolio_counts(),
        "portfolio_columns": ",\n    ".join(names),
        "portfolio_column_definitions": contract.column_definitions(
            [(name, "UInt64") for name in names]
        ),
    }
