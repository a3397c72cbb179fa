"""Economics assets: tier-to-pack cohorts, rolling windows, momentum, spikes, implicit tiers.

They answer the seed plan's questions that no raw-event query serves fast (who converts from
free to paid, who is rising, who to fund, are the tiers meaningful, what changed today). Every
table reads only the core daily summaries or another table of this module, never raw events,
and holds one partition per UTC day ``as_of`` it describes. They are built by the same factory
as the core tables, so writes are atomic partition swaps and a backfill is one run.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from dagster import AssetKey, AssetsDefinition, AssetSpec

from pollen_pipeline import tables
from pollen_pipeline.assets.factory import ExtraCheck, SummaryTable, build_summary_asset
from pollen_pipeline.checks import economics as checks
from pollen_pipeline.checks import names
from pollen_pipeline.clickhouse import TableSpec
from pollen_pipeline.partitions import daily_partitions

GROUP = "economics"
# Window tables fan each daily row out to the as_of days of the run: scanning a long backfill a
# week at a time bounds the memory of one query.
WEEK = dt.timedelta(days=7)


def _key(spec: TableSpec) -> AssetKey:
    return AssetKey(spec.name)


def _windows_check(daily: TableSpec, key: str) -> ExtraCheck:
    # ERROR and blocking: spikes, segments and the tier overlay are built from these windows.
    return ExtraCheck(
        names.WINDOWS_MATCH_DAILY,
        f"Per as_of, one row per {key} active in 90 days and every windowed sum equal to the "
        f"sum of {daily.name} over that window (e.g. pack_30d = 30 days of pack_pollen).",
        partial(checks.check_windows_match_daily, daily=daily, key=key),
        blocking=True,
    )


def _derived(spec: TableSpec, upstream: TableSpec, description: str, **fields) -> SummaryTable:
    """An as_of table derived from summaries: no raw events to reconcile with."""
    return SummaryTable(
        spec=spec,
        partitions=daily_partitions,
        upstream=_key(upstream),
        description=description,
        reconcile_scope=None,
        group=GROUP,
        **fields,
    )


ECONOMICS_TABLES = (
    _derived(
        tables.USER_COHORT,
        tables.USER_DAILY,
        "Free-to-paid cohorts (seed panel 3): per developer, the first tier (free) event as the "
        "signup proxy and the first pack (paid) event; converted within 7 / 30 UTC days when "
        "the first pack is not earlier than the first tier. All-time: each as_of partition is "
        "the full cohort as known that day; read the latest as_of.",
        chunk=WEEK,
        schema=checks.UserCohort,
        extra_checks=(
            # ERROR and blocking: cohort_conversion_daily is counted from these rows.
            ExtraCheck(
                names.COHORT_MATCHES_DAILY,
                "Per as_of, the cohort holds every user with a tier event so far, with as many "
                "first packs (and packs not before the first tier) as user_daily shows.",
                checks.check_cohort_matches_daily,
                blocking=True,
            ),
        ),
    ),
    _derived(
        tables.COHORT_CONVERSION_DAILY,
        tables.USER_COHORT,
        "Conversion rate per signup cohort day: users, converted within 7 and 30 days, the "
        "rates, and whether each rate is final (cohort at least 7 / 30 days old). The headline "
        "7-day conversion rate sums the final cohorts of the latest as_of.",
        schema=checks.CohortConversionDaily,
        extra_checks=(
            # ERROR, not blocking: nothing is built from this table.
            ExtraCheck(
                names.CONVERSION_MATCHES_COHORT,
                "Per as_of and cohort day, users and conversions equal the user_cohort rows.",
                checks.check_conversion_matches_cohort,
            ),
        ),
    ),
    _derived(
        tables.USER_WINDOWS,
        tables.USER_DAILY,
        "Developer economics and momentum (seed panel 9): per developer active in the 90 days "
        "up to as_of, paid (pack), free (tier) and total Pollen over 1/7/30/90 days, active "
        "days, end-user (BYOP) share, paid share and momentum = pack_7d / pack_30d; qualifies "
        "when pack_30d > 10 Pollen. Also the balance cross-check (seed 001): the free Pollen "
        "that pre-request tier balances imply. Answers 'who should we fund, who is rising'.",
        chunk=WEEK,
        schema=checks.UserWindows,
        extra_checks=(
            _windows_check(tables.USER_DAILY, "user_id"),
            # WARN, not blocking: a diagnostic of the gateway's metering, not of our numbers.
            ExtraCheck(
                names.BALANCE_AGREES_WITH_METERS,
                "How far the split implied by pre-request tier balances (tier first) agrees "
                "with the metered pack/tier split; warns above 5% of Pollen.",
                checks.check_balance_cross_check,
            ),
        ),
    ),
    _derived(
        tables.APP_WINDOWS,
        tables.APP_DAILY,
        "App economics over 1/7/30/90 days per API key, with its latest name, type and owner, "
        "paid share and momentum. Unnamed keys stay (is_named_app = 0) so totals add up. "
        "Answers 'which apps are growing on paid Pollen'.",
        chunk=WEEK,
        schema=checks.AppWindows,
        extra_checks=(_windows_check(tables.APP_DAILY, "api_key_id"),),
    ),
    _derived(
        tables.MODEL_WINDOWS,
        tables.MODEL_DAILY,
        "Model economics over 1/7/30/90 days: 30-day paid share, requests and Pollen per "
        "request, and cost_share_1d against cost_share_30d, for 'which model suddenly takes "
        "more of the budget'.",
        chunk=WEEK,
        schema=checks.ModelWindows,
        extra_checks=(_windows_check(tables.MODEL_DAILY, "resolved_model_requested"),),
    ),
    _derived(
        tables.SPIKES_DAILY,
        tables.USER_WINDOWS,
        "What changed today: for the system and every developer, app and model, the day's "
        "Pollen against its 7- and 30-day daily averages, paid vs free (growth or free burn), "
        "and is_spike when the day is at least twice the 30-day average above 1 Pollen.",
        schema=checks.SpikesDaily,
        extra_checks=(
            # ERROR, not blocking: nothing is built from this table.
            ExtraCheck(
                names.SPIKES_MATCH_DAILY,
                "Per as_of, the system row's day, 7- and 30-day Pollen equal user_daily.",
                checks.check_spikes_match_daily,
            ),
        ),
    ),
    _derived(
        tables.USER_SEGMENTS,
        tables.USER_WINDOWS,
        "Implicit tiers from behaviour: developers ranked by 30-day Pollen into top 5%, next "
        "15%, middle 60% and bottom 20%, with the tier they hold, for the tier-mismatch panels "
        "('are the tiers meaningful?').",
        schema=checks.UserSegments,
        extra_checks=(
            # ERROR, not blocking: nothing is built from this table.
            ExtraCheck(
                names.SEGMENTS_MATCH_WINDOWS,
                "Per as_of, every developer with 30-day Pollen is ranked once, same Pollen.",
                checks.check_segments_match_windows,
            ),
        ),
    ),
    _derived(
        tables.TIER_OVERLAY_DAILY,
        tables.USER_WINDOWS,
        "Tier overlay diagnostic (seed panel 10): per tier, developers, 30-day Pollen, Pollen "
        "per developer and the p10..p90 of their paid share. Heavy overlap between tiers means "
        "the tiers do not reflect economic reality.",
        schema=checks.TierOverlayDaily,
        extra_checks=(
            # ERROR, not blocking: nothing is built from this table.
            ExtraCheck(
                names.TIER_OVERLAY_MATCHES_WINDOWS,
                "Per as_of and tier, developers and Pollen equal user_windows.",
                checks.check_tier_overlay_matches_windows,
            ),
        ),
    ),
)

# The factory takes one upstream; spikes also read the app and model windows of the same run.
EXTRA_UPSTREAM = {
    tables.SPIKES_DAILY.name: (_key(tables.APP_WINDOWS), _key(tables.MODEL_WINDOWS)),
}


def _add_deps(spec: AssetSpec) -> AssetSpec:
    extra = EXTRA_UPSTREAM.get(spec.key.to_user_string(), ())
    return spec.replace_attributes(deps=[*spec.deps, *extra])


def _build(table: SummaryTable) -> AssetsDefinition:
    return build_summary_asset(table).map_asset_specs(_add_deps)


economics_assets = [_build(table) for table in ECONOMICS_TABLES]
ECONOMICS = [table.spec.name for table in ECONOMICS_TABLES]
