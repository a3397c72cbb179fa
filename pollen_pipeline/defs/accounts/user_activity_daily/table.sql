-- Per UTC day and tier: D1's accounts beside the developers active that day and in the 7 days
-- to it, and the D1 balances of the active accounts. Counts and quantiles only.
CREATE TABLE IF NOT EXISTS ${database}.user_activity_daily
(
    day Date,
    tier LowCardinality(String),
    accounts UInt64,
    active_users UInt64,
    active_accounts UInt64,
    weekly_active_users UInt64,
    negative_balances UInt64,
    tier_balance_p95 Nullable(Float64),
    tier_balance_p99 Nullable(Float64),
    pack_balance_p95 Nullable(Float64),
    pack_balance_p99 Nullable(Float64)
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, tier)
