"""Checks of devshare_daily: its pandera model, and its rows against raw events."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days
from pollen_pipeline.defs.raw.generation_event.columns import optional_columns
from pollen_pipeline.schemas import FLAG, NON_NEGATIVE

# The table's key after the day, in its column order.
DIMENSIONS = (
    "environment",
    "response_status",
    "is_priced",
    "in_bug_window",
    "d1_banned",
    "selected_meter_slug",
    "client_id",
    "developer_id",
    "is_devshare",
    "is_redirect_auth",
    "hostname",
)


class DevshareDaily(pa.DataFrameModel):
    environment: Series[str]
    response_status: Series[np.uint32]
    is_priced: Series[np.uint8] = pa.Field(**FLAG)
    in_bug_window: Series[np.uint8] = pa.Field(**FLAG)
    d1_banned: Series[np.uint8] = pa.Field(**FLAG)
    selected_meter_slug: Series[str]
    client_id: Series[str]
    has_client_id: Series[np.uint8] = pa.Field(**FLAG)
    developer_id: Series[str]
    is_devshare: Series[np.uint8] = pa.Field(**FLAG)
    is_redirect_auth: Series[np.uint8] = pa.Field(**FLAG)
    hostname: Series[str]
    requests: Series[np.uint64] = pa.Field(gt=0)
    max_markup_rate: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = ["day", *DIMENSIONS]


ROW_RULES = {
    # a row is a BYOP-shaped key's: a client id, a markup, redirect-auth or a hostname key
    "byop_shaped": (
        "has_client_id = 1 OR max_markup_rate > 0 OR is_redirect_auth = 1 OR hostname != ''"
    ),
    "client_id_flag": "has_client_id = toUInt8(client_id NOT IN ('', 'undefined'))",
    "priced_rows_hold_pollen": "(is_priced = 1) = (pollen > 0)",
    # a DevShare row's events each carry a markup and earn
    "devshare_earns": "is_devshare = 0 OR (max_markup_rate > 0 AND earnings > 0)",
}


def devshare_matches_raw(ctx: CheckContext) -> Verdict:
    """Per day and key, requests, Pollen, developer price and earnings equal a recount of raw
    events, D1's banned usernames joined (not looked up with IN, as the table's SELECT does),
    the BYOP-shaped rows chosen per key column rather than per row."""
    dimensions = ", ".join(DIMENSIONS)
    actual = (
        f"SELECT day, {dimensions}, sum(requests), sum(pollen), sum(developer_price), "
        f"sum(earnings) FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day, {dimensions}"
    )
    columns = optional_columns(ctx.raw, ctx.raw_table)["optional_columns"]
    expected = f"""SELECT toDate(e.start_time, 'UTC') AS day, e.environment, e.response_status,
            toUInt8(e.total_price > 0) AS priced,
            toUInt8(NOT (e.start_time < {{bug_window_start:DateTime('UTC')}}
                OR e.start_time > {{bug_window_end:DateTime('UTC')}})) AS in_window,
            b.is_banned, e.selected_meter_slug, e.api_key_client_id, e.api_key_created_for_user_id,
            toUInt8(e.markup_rate > 0 AND e.total_price > e.dev_price) AS devshare,
            toUInt8(e.api_key_created_via = 'redirect-auth') AS redirect_auth,
            if(e.api_key_type = 'secret' AND e.api_key_name LIKE '%.%', e.api_key_name, '') AS host,
            count(), sum(e.total_price), sum(e.dev_price), sum(e.total_price) - sum(e.dev_price)
        FROM (
            SELECT start_time, environment, response_status, user_github_username,
                selected_meter_slug, api_key_type, api_key_name, total_price, {columns}
            FROM {ctx.raw_table}
        ) AS e
        LEFT JOIN (
            SELECT DISTINCT assumeNotNull(github_username) AS name, toUInt8(1) AS is_banned
            FROM {ctx.side("d1_user")} WHERE banned = 1 AND github_username IS NOT NULL
        ) AS b ON e.user_github_username = b.name
        WHERE toDate(e.start_time, 'UTC') IN {{days:Array(Date)}}
            AND (e.api_key_client_id NOT IN ('', 'undefined') OR e.markup_rate > 0
                OR redirect_auth = 1 OR host != '')
        GROUP BY day, e.environment, e.response_status, priced, in_window, b.is_banned,
            e.selected_meter_slug, e.api_key_client_id, e.api_key_created_for_user_id, devshare,
            redirect_auth, host"""
    return compare(
        ctx.store,
        actual,
        expected,
        window_days(ctx),
        keys=1 + len(DIMENSIONS),
        what="days x keys",
        expected_on=ctx.raw,
    )
