"""The "Pollen Economics" dashboard (seed 000): paid vs free consumption, who pays, who burns.

Panels are numbered as in the seed; the ROUTER share is a diagnostic the seed does not number.
"""

from __future__ import annotations

from pollen_pipeline.dashboards.grafana import (
    APP_DEVELOPER,
    APP_ID,
    DEVELOPER_KEYS,
    ENDUSER_KEYS,
    FREE,
    FREE_SHARE,
    KEY_TYPE,
    MODEL,
    MONEY,
    PAID,
    RANGED_MONEY,
    TABLE_ROWS,
    TIER,
    TOP_N,
    VOLUME,
    JsonDict,
    bars,
    by_range,
    common_variables,
    daily_rows,
    data_notes,
    developers,
    envelope,
    latest_as_of,
    model_grain,
    model_totals,
    ranged_rows,
    scatter,
    stat,
    table,
    timeseries,
)
from pollen_pipeline.defs.economics import rules as economics
from pollen_pipeline.defs.economics.tier_overlay_daily.rules import QUANTILES

MIN_MODEL_REQUESTS = 1000  # fewer requests make a paid share that is noise
MIN_APP_POLLEN = 100

# --- SQL ----------------------------------------------------------------------------------

PAID_VS_FREE = f"""
SELECT
    bucket AS time,
    {PAID} AS paid_pollen,
    {FREE} AS free_pollen,
    {FREE_SHARE}
FROM {model_grain(TIER, KEY_TYPE)}
GROUP BY time
ORDER BY time"""

BYOP_SPLIT = f"""
SELECT
    bucket AS time,
    sumIf(pack_pollen, {DEVELOPER_KEYS}) AS developer_paid_pollen,
    sumIf(tier_pollen, {DEVELOPER_KEYS}) AS developer_free_pollen,
    sumIf(pack_pollen, {ENDUSER_KEYS}) AS enduser_paid_pollen,
    sumIf(tier_pollen, {ENDUSER_KEYS}) AS enduser_free_pollen,
    sumIf(pack_pollen + tier_pollen, NOT {DEVELOPER_KEYS} AND NOT {ENDUSER_KEYS})
        AS other_key_types_pollen,
    sumIf(pack_pollen + tier_pollen, {ENDUSER_KEYS})
        / nullIf(sumIf(pack_pollen + tier_pollen, {DEVELOPER_KEYS} OR {ENDUSER_KEYS}), 0)
        AS enduser_share
FROM {model_grain(MODEL)}
GROUP BY time
ORDER BY time"""
BYOP_BARS = (
    "developer_paid_pollen",
    "developer_free_pollen",
    "enduser_paid_pollen",
    "enduser_free_pollen",
    "other_key_types_pollen",
)

# All-time cohorts as known at the range's end; the rate counts cohorts at least 7 days old
# (younger ones can still convert), as the headline numbers of `pollen demo` do.
COHORT = f"""
SELECT
    cohort_users AS active_users,
    within_7d AS converted_7d,
    within_30d AS converted_30d,
    final_converted_7d / nullIf(final_users_7d, 0) AS conversion_rate_7d
FROM
(
    SELECT
        sum(users) AS cohort_users,
        sum(converted_7d) AS within_7d,
        sum(converted_30d) AS within_30d,
        sumIf(converted_7d, is_final_7d = 1) AS final_converted_7d,
        sumIf(users, is_final_7d = 1) AS final_users_7d
    FROM cohort_conversion_daily
    WHERE {latest_as_of("cohort_conversion_daily")}
)"""
COHORT_STATS = (
    ("Active users (cohort)", "active_users"),
    ("Converted within 7D", "converted_7d"),
    ("Converted within 30D", "converted_30d"),
    ("Conversion rate (7D)", "conversion_rate_7d"),
)

MODEL_LEADERBOARD = f"""
SELECT
    resolved_model_requested AS model,
    {MONEY},
    {VOLUME}
FROM {model_totals(TIER, KEY_TYPE)}
GROUP BY model
HAVING request_count >= {MIN_MODEL_REQUESTS}
ORDER BY paid_share DESC, pollen DESC
LIMIT {TOP_N}"""

TOP_PAID_MODELS = f"""
SELECT resolved_model_requested AS model, {PAID} AS paid_pollen
FROM {model_totals(TIER)}
GROUP BY model
HAVING paid_pollen > 0
ORDER BY paid_pollen DESC
LIMIT {TOP_N}"""

TOP_SUBSIDY_MODELS = f"""
SELECT model, free_pollen, free_pollen / sum(free_pollen) OVER () AS share_of_all_free
FROM
(
    SELECT resolved_model_requested AS model, {FREE} AS free_pollen
    FROM {model_totals(TIER)}
    GROUP BY model
)
WHERE free_pollen > 0
ORDER BY free_pollen DESC
LIMIT {TOP_N}"""

DEVELOPER_SCATTER = f"""
SELECT developer, free_pollen, paid_pollen
FROM {developers(tier="1")}
WHERE paid_pollen + free_pollen >= {economics.SCATTER_MIN_PACK_TIER_POLLEN!r}
ORDER BY paid_pollen DESC"""

APP_LEADERBOARD = f"""
SELECT app, developer, paid_share, pollen, paid_pollen, free_pollen, request_count
FROM
(
    SELECT
        argMax(api_key_name, day) AS app,
        argMax({APP_DEVELOPER}, day) AS developer,
        {MONEY},
        sum(requests) AS request_count
    FROM app_daily
    WHERE {daily_rows("app_ranges")} AND is_named_app = 1
    GROUP BY {APP_ID}
    UNION ALL
    SELECT api_key_name, user_github_username, {RANGED_MONEY}, requests
    FROM app_ranges
    WHERE {ranged_rows("app_ranges")}
)
WHERE pollen >= {MIN_APP_POLLEN}
ORDER BY paid_share DESC, pollen DESC
LIMIT {TABLE_ROWS}"""

MOMENTUM = f"""
SELECT
    user_github_username AS developer,
    user_tier AS tier,
    pack_30d AS paid_pollen_30d,
    tier_30d AS free_pollen_30d,
    paid_share_30d,
    active_days_30d,
    momentum,
    enduser_share_30d
FROM user_windows
WHERE {latest_as_of("user_windows")} AND qualifies = 1
ORDER BY momentum DESC, paid_pollen_30d DESC
LIMIT {TOP_N}"""

TIER_OVERLAY = f"""
SELECT
    user_tier AS tier,
    {", ".join(f"paid_share_{name}" for name in QUANTILES)}
FROM tier_overlay_daily
WHERE {latest_as_of("tier_overlay_daily")}
ORDER BY pollen_per_user"""

# All consumption incl. ROUTER: usage_hourly, or the per-day totals of data_quality_daily.
ROUTER_GRAIN = by_range(
    "SELECT hour AS bucket, total_pollen AS all_pollen,\n"
    "        if(is_router = 1, total_pollen, 0) AS router_part\n    FROM usage_hourly",
    "SELECT toDateTime(day, 'UTC') AS bucket, passed_pollen AS all_pollen,\n"
    "        router_pollen AS router_part\n    FROM data_quality_daily",
)

ROUTER_SHARE = f"""
SELECT
    bucket AS time,
    sum(all_pollen) AS total_pollen_incl_router,
    sum(router_part) AS router_pollen,
    sum(router_part) / nullIf(sum(all_pollen), 0) AS router_share
FROM {ROUTER_GRAIN} AS src
GROUP BY time
ORDER BY time"""

# --- Panels -------------------------------------------------------------------------------


def _consumption_panels() -> list[JsonDict]:
    """Seed panels 1 to 3: the north star, the BYOP split and the tier-to-pack cohorts."""
    return [
        timeseries(
            "1. Paid vs free consumption over time",
            PAID_VS_FREE,
            "North star: paid (pack) and free (tier) Pollen stacked, free share on the right "
            "axis. Variables: tier, key type.",
            calcs=("sum", "mean"),
            stacked=True,
        ),
        timeseries(
            "2. BYOP split: developer vs end-user keys (early signal)",
            BYOP_SPLIT,
            "Developer keys (secret + publishable) vs end-user keys (temporary), each paid and "
            "free, with the end-user share = end-user / (developer + end-user) pack + tier "
            "Pollen on the right; keys of any other type are shown apart and stay out of the "
            "share. Early signal: about 3 weeks of BYOP data. Variable: model.",
            calcs=("sum", "mean"),
            bar_fields=BYOP_BARS,
        ),
        *(
            stat(
                f"3. {title}",
                COHORT,
                "Tier-to-pack cohorts, all time (first tier event = signup proxy). The 7D rate "
                "counts cohorts at least 7 days old.",
                field=field,
            )
            for title, field in COHORT_STATS
        ),
    ]


def _model_panels() -> list[JsonDict]:
    """Seed panels 4 to 6: which models pay for themselves and which burn the subsidy."""
    return [
        table(
            "4. Model economics leaderboard",
            MODEL_LEADERBOARD,
            f"Per requested model, at least {MIN_MODEL_REQUESTS} requests; sorted by paid share "
            "(most economically healthy first). Variables: tier, key type, top N.",
            sort_by="paid_share",
        ),
        bars(
            "5. Top models by paid consumption",
            TOP_PAID_MODELS,
            "Pack-funded Pollen per model (paid consumption, not cash-in). Variables: tier, top N.",
            x_field="model",
        ),
        bars(
            "6. Top models by subsidy burn",
            TOP_SUBSIDY_MODELS,
            "Tier (free) Pollen per model and its share of all free Pollen in the range. "
            "Candidates for throttling, pricing or promotion to paid. Variables: tier, top N.",
            x_field="model",
        ),
    ]


def _developer_panels() -> list[JsonDict]:
    """Seed panels 7 to 10: developers and apps, their momentum, and the tiers' fit."""
    return [
        scatter(
            "7. Developer economics scatter",
            DEVELOPER_SCATTER,
            f"One dot per developer with at least {economics.SCATTER_MIN_PACK_TIER_POLLEN:g} "
            "Pollen of pack + tier in the range (other meters do not count): free (tier) on X, "
            "paid (pack) on Y. Bottom-right = subsidy risk, top-left = self-funded.",
            x="free_pollen",
            y="paid_pollen",
            size=(24, 9),
        ),
        table(
            "8. App economy leaderboard",
            APP_LEADERBOARD,
            f"Apps (API keys; a BYOP app's end-user keys as one app, without a developer) with "
            f"at least {MIN_APP_POLLEN} Pollen in the range, unnamed keys excluded; sorted by "
            "paid share.",
            sort_by="paid_share",
        ),
        table(
            "9. Developer economics & momentum",
            MOMENTUM,
            f"Developers with more than {economics.MOMENTUM_MIN_PACK_30D:g} Pollen of pack in 30 "
            "days; momentum = pack 7D / pack 30D (rising stars first). 30-day windows ending on "
            "the latest day in the range. Variable: top N.",
            sort_by="momentum",
        ),
        bars(
            "10. Tier overlay diagnostic: paid share distribution per tier",
            TIER_OVERLAY,
            f"Diagnostic only: {' / '.join(QUANTILES)} of the 30-day paid share of the "
            "developers of each tier. Heavy overlap between tiers = the tiers need redesign.",
            x_field="tier",
        ),
    ]


def dashboard() -> JsonDict:
    """The "Pollen Economics" dashboard (``pollen-economics.json``)."""
    router_share = timeseries(
        "ROUTER share over time (diagnostic)",
        ROUTER_SHARE,
        "All consumption and ROUTER's (left axis) and ROUTER's share (right axis). "
        "Expected trend: down as external usage grows.",
        calcs=("sum", "mean"),
    )
    return envelope(
        "pollen-economics",
        "Pollen Economics",
        ["pollen", "economics"],
        common_variables(),
        [
            *_consumption_panels(),
            *_model_panels(),
            *_developer_panels(),
            router_share,
            data_notes(),
        ],
    )
