-- Per UTC day, tier and grant scale: free Pollen as used and as capped at scale x today's grant.
CREATE TABLE IF NOT EXISTS ${database}.tier_grant_scale_daily
(
    day Date,
    user_tier LowCardinality(String),
    grant_scale Float64,
    users UInt64,
    actual_tier_pollen Float64,
    scaled_tier_pollen Float64,
    users_capped UInt64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, grant_scale, user_tier)
