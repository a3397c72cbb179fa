-- Per UTC day, tier and grant scale: free Pollen as used and as capped at scale x today's grant;
-- by month and scale: the panel reads one scale's rows of a range.
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
PARTITION BY toYYYYMM(day)
ORDER BY (grant_scale, day, user_tier)
