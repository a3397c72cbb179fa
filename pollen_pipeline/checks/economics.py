"""pandera models and consistency checks of the economics (``as_of``) tables.

Each consistency check recomputes per-``as_of`` aggregates from the tables the economics table
was derived from, with a different formulation (the window days enumerated with ``ARRAY JOIN``
and ``BETWEEN``, not the asset's fan-out of daily rows), so a bug in the asset SQL cannot hide
behind itself. Severity and blocking are chosen per check, with the reason next to it in
``assets/economics.py``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa
from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue
from pandera.typing import Series

from pollen_pipeline import economics, tables
from pollen_pipeline.checks import names
from pollen_pipeline.clickhouse import Store, TableSpec, Window

TOLERANCE = 1e-9  # relative, for Float64 sums that ClickHouse may add in another order
BALANCE_DISAGREEMENT_LIMIT = 0.05  # share of Pollen whose implied and metered split differ
SHARE = {"ge": 0, "le": 1 + TOLERANCE, "nullable": True}  # a ratio in 0..1, NULL if undefined
NON_NEGATIVE = {"ge": 0, "nullable": False}
FLAG = {"isin": [0, 1]}


# --- pandera models --------------------------------------------------------------------------


def _at_most(small: pd.Series, large: pd.Series) -> pd.Series:
    return small <= large + TOLERANCE * large.abs().clip(lower=1)


def _windows_nest(frame: pd.DataFrame) -> pd.Series:
    """1d <= 7d <= 30d <= 90d for every windowed sum; active days fit in their window."""
    ok = pd.Series(True, index=frame.index)
    windows = list(economics.WINDOWS)
    for prefix in economics.MEASURES:
        for short, long in itertools.pairwise(windows):
            ok &= _at_most(frame[f"{prefix}_{short}"], frame[f"{prefix}_{long}"])
    for name in economics.ACTIVE_DAYS_WINDOWS:
        ok &= frame[f"active_days_{name}"] <= economics.WINDOWS[name]
    return ok & (frame.requests_90d > 0) & (frame.active_days_90d > 0)


class WindowColumns(pa.DataFrameModel):
    """The windowed columns every *_windows table carries."""

    pollen: Series[np.float64] = pa.Field(
        alias=r"^(pack|tier|total)_\d+d$", regex=True, **NON_NEGATIVE
    )
    windowed_requests: Series[np.uint64] = pa.Field(alias=r"^requests_\d+d$", regex=True)
    active_days: Series[np.uint64] = pa.Field(alias=r"^active_days_\d+d$", regex=True)
    momentum: Series[np.float64] = pa.Field(**SHARE)

    class Config:
        coerce = False
        strict = False

    @pa.dataframe_check
    def windows_nest(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805 - pandera's class
        return _windows_nest(frame)


class UserWindows(WindowColumns):
    user_id: Series[str]
    user_tier: Series[str]
    enduser_pollen_30d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    developer_pollen_30d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    enduser_share_30d: Series[np.float64] = pa.Field(**SHARE)
    paid_share_30d: Series[np.float64] = pa.Field(**SHARE)
    qualifies: Series[np.uint8] = pa.Field(**FLAG)
    implied_free_1d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    implied_free_30d: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        unique = ["as_of", "user_id"]

    @pa.dataframe_check
    def qualifies_above_threshold(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        return frame.qualifies == (frame.pack_30d > economics.MOMENTUM_MIN_PACK_30D)


class AppWindows(WindowColumns):
    api_key_id: Series[str]
    is_named_app: Series[np.uint8] = pa.Field(**FLAG)
    paid_share_30d: Series[np.float64] = pa.Field(**SHARE)

    class Config:
        unique = ["as_of", "api_key_id"]


class ModelWindows(WindowColumns):
    resolved_model_requested: Series[str]
    requests: Series[np.uint64]
    paid_share: Series[np.float64] = pa.Field(**SHARE)
    avg_pollen_per_request: Series[np.float64] = pa.Field(ge=0, nullable=True)
    cost_share_1d: Series[np.float64] = pa.Field(**SHARE)
    cost_share_30d: Series[np.float64] = pa.Field(**SHARE)
    cost_share_change: Series[np.float64] = pa.Field(
        ge=-1 - TOLERANCE, le=1 + TOLERANCE, nullable=True
    )

    class Config:
        unique = ["as_of", "resolved_model_requested"]

    @pa.dataframe_check
    def requests_are_30d(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        return frame.requests == frame.requests_30d


def _utc(moments: pd.Series) -> pd.Series:
    """Naive UTC times: clickhouse-connect may hand DateTime('UTC') over in the host's zone."""
    moments = pd.to_datetime(moments)
    return moments.dt.tz_convert("UTC").dt.tz_localize(None) if moments.dt.tz else moments


def _utc_days(moments: pd.Series) -> pd.Series:
    return _utc(moments).dt.normalize()


class UserCohort(pa.DataFrameModel):
    # first_tier_at / first_pack_at are checked in the dataframe checks below: their pandas
    # dtype depends on the host's time zone, their UTC value does not.
    user_id: Series[str]
    days_to_first_pack: Series[pd.Int32Dtype] = pa.Field(nullable=True)
    pack_before_tier: Series[np.uint8] = pa.Field(**FLAG)
    converted_7d: Series[np.uint8] = pa.Field(**FLAG)
    converted_30d: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "user_id"]

    @pa.dataframe_check
    def known_by_as_of(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        next_day = _utc_days(frame.as_of) + pd.Timedelta(days=1)
        tier, pack = _utc(frame.first_tier_at), _utc(frame.first_pack_at)
        return tier.notna() & (tier < next_day) & (pack.isna() | (pack < next_day))

    @pa.dataframe_check
    def flags_follow_the_cohort_rule(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        """Recomputed in pandas from the row's own times: UTC calendar days, pack not earlier."""
        tier, pack = _utc(frame.first_tier_at), _utc(frame.first_pack_at)
        days = (_utc_days(pack) - _utc_days(tier)).dt.days
        in_order = pack >= tier  # False when there is no pack
        ok = _utc_days(frame.cohort_day) == _utc_days(tier)
        ok &= frame.days_to_first_pack.astype("Float64").fillna(-1e9) == days.fillna(-1e9)
        ok &= frame.pack_before_tier == (pack < tier)
        for horizon in economics.CONVERSION_DAYS:
            ok &= frame[f"converted_{horizon}d"] == (in_order & (days <= horizon))
        return ok


class CohortConversionDaily(pa.DataFrameModel):
    users: Series[np.uint64] = pa.Field(gt=0)
    converted_7d: Series[np.uint64]
    converted_30d: Series[np.uint64]
    conversion_rate_7d: Series[np.float64] = pa.Field(ge=0, le=1)
    conversion_rate_30d: Series[np.float64] = pa.Field(ge=0, le=1)
    is_final_7d: Series[np.uint8] = pa.Field(**FLAG)
    is_final_30d: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "cohort_day"]

    @pa.dataframe_check
    def rates_and_finality_agree(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        age = (_utc_days(frame.as_of) - _utc_days(frame.cohort_day)).dt.days
        ok = frame.converted_7d <= frame.converted_30d
        ok &= frame.converted_30d <= frame.users
        for horizon in economics.CONVERSION_DAYS:
            rate = frame[f"converted_{horizon}d"] / frame.users
            ok &= np.isclose(frame[f"conversion_rate_{horizon}d"], rate, rtol=TOLERANCE)
            ok &= frame[f"is_final_{horizon}d"] == (age >= horizon)
        return ok


class SpikesDaily(pa.DataFrameModel):
    entity_type: Series[str] = pa.Field(isin=["system", "user", "app", "model"])
    entity_id: Series[str]
    pollen_1d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    avg_daily_7d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    avg_daily_30d: Series[np.float64] = pa.Field(gt=0)  # idle entities are left out
    ratio_7d: Series[np.float64] = pa.Field(ge=0, le=7 + TOLERANCE, nullable=True)
    ratio_30d: Series[np.float64] = pa.Field(ge=0, le=30 + TOLERANCE, nullable=True)
    paid_1d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    free_1d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    is_spike: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "entity_type", "entity_id"]

    @pa.dataframe_check
    def spike_flag_follows_ratio(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        spike = (frame.ratio_30d >= economics.SPIKE_MIN_RATIO_30D) & (
            frame.pollen_1d >= economics.SPIKE_MIN_POLLEN_1D
        )
        return (frame.is_spike == spike) & _at_most(frame.paid_1d + frame.free_1d, frame.pollen_1d)


def _expected_segments(frame: pd.DataFrame) -> np.ndarray:
    above = (frame.pollen_rank - 1) / frame.ranked_users
    cuts = [above < cut for _, cut in economics.SEGMENTS[:-1]]
    return np.select(cuts, list(economics.SEGMENT_LABELS[:-1]), economics.SEGMENT_LABELS[-1])


class UserSegments(pa.DataFrameModel):
    user_id: Series[str]
    user_tier: Series[str]
    total_30d: Series[np.float64] = pa.Field(gt=0)
    paid_share_30d: Series[np.float64] = pa.Field(**SHARE)
    pollen_rank: Series[np.uint64] = pa.Field(ge=1)
    ranked_users: Series[np.uint64] = pa.Field(ge=1)
    segment: Series[str] = pa.Field(isin=list(economics.SEGMENT_LABELS))

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "user_id"]

    @pa.dataframe_check
    def segment_follows_rank(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        ordered = frame.sort_values(["as_of", "pollen_rank"])
        # a higher rank never has more Pollen than the rank before it on the same as_of
        drops = ordered.groupby("as_of").total_30d.diff().fillna(0) <= TOLERANCE
        in_range = frame.pollen_rank <= frame.ranked_users
        return (frame.segment == _expected_segments(frame)) & in_range & drops.reindex(frame.index)


class TierOverlayDaily(pa.DataFrameModel):
    user_tier: Series[str]
    users: Series[np.uint64] = pa.Field(gt=0)
    pollen_30d: Series[np.float64] = pa.Field(gt=0)
    pollen_per_user: Series[np.float64] = pa.Field(gt=0)
    users_with_share: Series[np.uint64]
    quantiles: Series[np.float64] = pa.Field(alias=r"^paid_share_p\d+$", regex=True, **SHARE)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "user_tier"]

    @pa.dataframe_check
    def quantiles_ordered(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805
        columns = [f"paid_share_{name}" for name in economics.QUANTILES]
        ok = frame.users_with_share <= frame.users
        for low, high in itertools.pairwise(columns):
            ok &= frame[low].isna() | _at_most(frame[low], frame[high])
        return ok & frame[columns[0]].isna().eq(frame.users_with_share == 0)


# --- consistency checks ----------------------------------------------------------------------


def _keyed(rows: Sequence[tuple], keys: int) -> dict[tuple, tuple]:
    return {tuple(str(v) for v in row[:keys]): tuple(row[keys:]) for row in rows}


def _same(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=TOLERANCE, abs_tol=TOLERANCE) for x, y in zip(a, b, strict=True)
    )


def compare(
    store: Store,
    check_name: str,
    actual_sql: str,
    expected_sql: str,
    params: dict,
    *,
    keys: int = 1,
    what: str = "as_of days",
) -> AssetCheckResult:
    """Per key (the first ``keys`` columns), the table's aggregates equal the recomputed ones."""
    actual = _keyed(store.rows(actual_sql, params), keys)
    expected = _keyed(store.rows(expected_sql, params), keys)
    differing = {
        " ".join(key): {"table": actual.get(key), "recomputed": expected.get(key)}
        for key in sorted(set(actual) | set(expected))
        if not _same(actual.get(key, ()), expected.get(key, ()))
    }
    return AssetCheckResult(
        check_name=check_name,
        passed=not differing,
        description=f"{len(differing)} of {len(expected)} {what} differ from their sources",
        metadata={"differing": MetadataValue.json(dict(list(differing.items())[:20]))},
    )


def _window_params(window: Window) -> dict:
    days = window.days()
    return {**window.params(), "days": days, "first": days[0], "last": days[-1]}


def _recomputed_windows(daily: str, key: str) -> str:
    sums = [
        f"sumIf({column}, day BETWEEN as_of - {length - 1} AND as_of)"
        for column in economics.MEASURES.values()
        for length in economics.WINDOWS.values()
    ]
    return (
        f"SELECT as_of, uniqExact({key}), {', '.join(sums)} FROM {daily} "
        "ARRAY JOIN {days:Array(Date)} AS as_of "
        f"WHERE day >= {{first:Date}} - {economics.LOOKBACK_DAYS - 1} AND day <= {{last:Date}} "
        f"AND day BETWEEN as_of - {economics.LOOKBACK_DAYS - 1} AND as_of GROUP BY as_of"
    )


def check_windows_match_daily(
    store: Store, spec: TableSpec, window: Window, *, daily: TableSpec, key: str
) -> AssetCheckResult:
    """Per as_of: one row per key active in 90 days, and every windowed sum equals the sum of
    the daily table over that window (e.g. pack_30d = 30 days of user_daily.pack_pollen)."""
    sums = [f"sum({prefix}_{name})" for prefix in economics.MEASURES for name in economics.WINDOWS]
    actual = (
        f"SELECT as_of, count(), {', '.join(sums)} FROM {store.table(spec.name)} "
        f"WHERE {spec.in_window} GROUP BY as_of"
    )
    expected = _recomputed_windows(store.table(daily.name), key)
    return compare(store, names.WINDOWS_MATCH_DAILY, actual, expected, _window_params(window))


def check_cohort_matches_daily(store: Store, spec: TableSpec, window: Window) -> AssetCheckResult:
    """Per as_of: the cohort holds every user with a tier event on or before as_of, and as many
    have a first pack, and a first pack not before their first tier, as user_daily says."""
    actual = (
        "SELECT as_of, count(), countIf(first_pack_at IS NOT NULL), "
        f"countIf(first_pack_at >= first_tier_at) FROM {store.table(spec.name)} "
        f"WHERE {spec.in_window} GROUP BY as_of"
    )
    expected = (
        "SELECT as_of, count(), countIf(pack IS NOT NULL), countIf(pack >= tier) FROM ("
        "SELECT as_of, user_id, min(first_tier_at) AS tier, min(first_pack_at) AS pack "
        f"FROM {store.table(tables.USER_DAILY.name)} ARRAY JOIN {{days:Array(Date)}} AS as_of "
        "WHERE day <= {last:Date} AND day <= as_of GROUP BY as_of, user_id "
        "HAVING tier IS NOT NULL) GROUP BY as_of"
    )
    return compare(store, names.COHORT_MATCHES_DAILY, actual, expected, _window_params(window))


def check_conversion_matches_cohort(
    store: Store, spec: TableSpec, window: Window
) -> AssetCheckResult:
    """Per as_of and cohort day: users and conversions equal the user_cohort snapshot."""
    actual = (
        "SELECT as_of, cohort_day, users, converted_7d, converted_30d "
        f"FROM {store.table(spec.name)} WHERE {spec.in_window}"
    )
    expected = (
        "SELECT as_of, cohort_day, count(), sum(converted_7d), sum(converted_30d) "
        f"FROM {store.table(tables.USER_COHORT.name)} WHERE {spec.in_window} "
        "GROUP BY as_of, cohort_day"
    )
    return compare(
        store,
        names.CONVERSION_MATCHES_COHORT,
        actual,
        expected,
        window.params(),
        keys=2,
        what="cohort days",
    )


def check_spikes_match_daily(store: Store, spec: TableSpec, window: Window) -> AssetCheckResult:
    """Per as_of: the system row's day, 7- and 30-day Pollen and paid/free equal user_daily."""
    actual = (
        "SELECT as_of, pollen_1d, avg_daily_7d * 7, avg_daily_30d * 30, paid_1d, free_1d "
        f"FROM {store.table(spec.name)} WHERE {spec.in_window} AND entity_type = 'system'"
    )
    expected = (
        "SELECT as_of, sumIf(total_pollen, day = as_of), "
        "sumIf(total_pollen, day BETWEEN as_of - 6 AND as_of), sum(total_pollen), "
        "sumIf(pack_pollen, day = as_of), sumIf(tier_pollen, day = as_of) "
        f"FROM {store.table(tables.USER_DAILY.name)} ARRAY JOIN {{days:Array(Date)}} AS as_of "
        "WHERE day >= {first:Date} - 29 AND day <= {last:Date} "
        "AND day BETWEEN as_of - 29 AND as_of GROUP BY as_of"
    )
    return compare(store, names.SPIKES_MATCH_DAILY, actual, expected, _window_params(window))


def _active_users(store: Store, group: str) -> str:
    return (
        f"SELECT {group}, count(), sum(total_30d), sum(pack_30d), sum(tier_30d) "
        f"FROM {store.table(tables.USER_WINDOWS.name)} "
        f"WHERE as_of >= toDate({{start:DateTime('UTC')}}) "
        f"AND as_of < toDate({{end:DateTime('UTC')}}) AND total_30d > 0 GROUP BY {group}"
    )


def check_segments_match_windows(store: Store, spec: TableSpec, window: Window) -> AssetCheckResult:
    """Per as_of: every developer with 30-day Pollen is ranked once, with the same Pollen."""
    actual = (
        "SELECT as_of, count(), sum(total_30d), sum(pack_30d), sum(tier_30d) "
        f"FROM {store.table(spec.name)} WHERE {spec.in_window} GROUP BY as_of"
    )
    expected = _active_users(store, "as_of")
    return compare(store, names.SEGMENTS_MATCH_WINDOWS, actual, expected, window.params())


def check_tier_overlay_matches_windows(
    store: Store, spec: TableSpec, window: Window
) -> AssetCheckResult:
    """Per as_of and tier: users and Pollen equal the developers of user_windows."""
    actual = (
        "SELECT as_of, user_tier, users, pollen_30d, pack_30d, tier_30d "
        f"FROM {store.table(spec.name)} WHERE {spec.in_window}"
    )
    expected = _active_users(store, "as_of, user_tier")
    return compare(
        store,
        names.TIER_OVERLAY_MATCHES_WINDOWS,
        actual,
        expected,
        window.params(),
        keys=2,
        what="tiers",
    )


def check_balance_cross_check(store: Store, spec: TableSpec, window: Window) -> AssetCheckResult:
    """Seed 001's diagnostic: how far the free Pollen implied by pre-request tier balances
    (tier first: min(max(tier balance, 0), price)) agrees with the metered free Pollen."""
    meter_free, implied_free, total, differing, user_days, agreeing = store.rows(
        "SELECT sum(tier_1d), sum(implied_free_1d), sum(total_1d), "
        "sum(abs(tier_1d - implied_free_1d)), count(), "
        "countIf(abs(tier_1d - implied_free_1d) <= {tolerance:Float64} * greatest(total_1d, 1)) "
        f"FROM {store.table(spec.name)} WHERE {spec.in_window} AND requests_1d > 0",
        {**window.params(), "tolerance": TOLERANCE},
    )[0]
    share = differing / total if total else 0.0
    return AssetCheckResult(
        check_name=names.BALANCE_AGREES_WITH_METERS,
        passed=share <= BALANCE_DISAGREEMENT_LIMIT,
        severity=AssetCheckSeverity.WARN,
        description=(
            f"{share:.2%} of Pollen split differently by balances than by meters "
            f"(limit {BALANCE_DISAGREEMENT_LIMIT:.0%}); {agreeing} of {user_days} user-days agree"
        ),
        metadata={
            "meter_free_pollen": float(meter_free),
            "implied_free_pollen": float(implied_free),
            "total_pollen": float(total),
            "disagreeing_pollen": float(differing),
            "disagreement_share": float(share),
            "user_days": int(user_days),
            "agreeing_user_days": int(agreeing),
        },
    )
