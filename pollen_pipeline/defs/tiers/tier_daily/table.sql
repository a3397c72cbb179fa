-- Per UTC day and tier: how the tier's developers used their free grant. grant_per_user is the
-- configured grant (POLLEN_TIER_GRANTS) at the time of the run; NULL shares mean no grant.
CREATE TABLE IF NOT EXISTS ${database}.tier_daily
(
    day Date,
    user_tier LowCardinality(String),
    users UInt64,
    requests UInt64,
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    grant_per_user Float64,
    grant_pollen Float64,
    grant_used_share Nullable(Float64),
    users_at_grant UInt64,
    tier_pollen_per_user Float64,
    pack_pollen_per_user Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, user_tier)
