"""pandera model of directory_listing_daily, and its recount from app_directory."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days


class DirectoryListingDaily(pa.DataFrameModel):
    owner_key: Series[np.uint64]
    category: Series[str]
    platform: Series[str]
    listings: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "owner_key", "category", "platform"]


def listings_match_directory(ctx: CheckContext) -> Verdict:
    """Per day and category, listings and distinct owners equal the rows and GitHub ids of the
    latest sync before the window's end, counted where side sources are (ids, not their hashes),
    on the window's days enumerated here."""
    directory = ctx.side("app_directory")
    actual = (
        "SELECT day, category, sum(listings), uniqExact(owner_key) "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day, category"
    )
    expected = f"""SELECT day, category, count(), uniqExact(github_user_id)
        FROM {directory} ARRAY JOIN {{days:Array(Date)}} AS day
        WHERE synced_at = (
            SELECT max(synced_at) FROM {directory} WHERE synced_at < {{end:DateTime('UTC')}})
        GROUP BY day, category"""
    return compare(
        ctx.store,
        actual,
        expected,
        window_days(ctx),
        keys=2,
        what="days x categories",
        expected_on=ctx.raw,
    )
