"""pandera model of category_usage_daily, and its recount from scoped_user_key_daily and the
APPS.md map."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.schemas import FLAG, EconomicsColumns


class CategoryUsageDaily(EconomicsColumns):
    is_router: Series[np.uint8] = pa.Field(**FLAG)
    category: Series[str]
    platform: Series[str]
    apps: Series[np.uint64]

    class Config:
        unique = ["day", "is_router", "category", "platform"]


# The map's keys, each with its apps: a key on two apps makes the lookup a choice.
KEYS = """SELECT {key}, groupArray(category), groupArray(platform) FROM {map}
    WHERE loaded_at = (SELECT max(loaded_at) FROM {map}) AND {key} != '' GROUP BY {key}"""
CATEGORY = """if(api_key_type = 'secret' AND api_key_name LIKE '%.%',
    transform(api_key_name, {hosts:Array(String)}, {host_categories:Array(String)}, ''),
    transform(user_github_id, {ids:Array(String)}, {id_categories:Array(String)}, ''))"""
PLATFORM = "transform(user_github_id, {ids:Array(String)}, {id_platforms:Array(String)}, '')"


def categories_match_map(ctx: CheckContext) -> Verdict:
    """Per day, ROUTER, category and platform: requests, Pollen, users and apps equal
    scoped_user_key_daily's rows categorised by the latest map, its keys read where side
    sources are and looked up with transform() (not joined); no key on two apps."""
    listed = ctx.side("app_category_map")
    hosts = ctx.raw.rows(KEYS.format(key="hostname", map=listed))
    ids = ctx.raw.rows(KEYS.format(key="github_user_id", map=listed))
    twice = [key for key, categories, _ in hosts + ids if len(categories) > 1]
    if twice:
        return Verdict(False, f"{len(twice)} keys name two apps of the map: {twice[:20]}")
    apps = ctx.raw.rows(
        f"""SELECT category, count() FROM {listed}
        WHERE loaded_at = (SELECT max(loaded_at) FROM {listed}) GROUP BY category"""
    )
    actual = f"""SELECT day, is_router, category, platform, sum(requests), sum(total_pollen),
            uniqExactMerge(users), max(apps)
        FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day, is_router, category, platform"""
    expected = f"""SELECT day, is_router, {CATEGORY} AS category, {PLATFORM} AS platform,
            sum(requests), sum(total_pollen), uniqExact(user_github_id),
            transform(category, {{categories:Array(String)}}, {{counts:Array(UInt64)}},
                toUInt64(0))
        FROM {ctx.store.table("scoped_user_key_daily")}
        WHERE {ctx.in_window} GROUP BY day, is_router, category, platform"""
    params = {
        **ctx.params(),
        "hosts": [key for key, _, _ in hosts],
        "host_categories": [categories[0] for _, categories, _ in hosts],
        "ids": [key for key, _, _ in ids],
        "id_categories": [categories[0] for _, categories, _ in ids],
        "id_platforms": [platforms[0] for _, _, platforms in ids],
        "categories": [category for category, _ in apps],
        "counts": [count for _, count in apps],
    }
    return compare(ctx.store, actual, expected, params, keys=4, what="days x scopes x categories")
