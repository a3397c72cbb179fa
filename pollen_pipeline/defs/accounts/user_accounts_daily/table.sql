-- Per UTC day and tier: D1's accounts as that day's last snapshot holds them. Ids never leave
-- d1_user: only counts and sums are here.
CREATE TABLE IF NOT EXISTS ${database}.user_accounts_daily
(
    day Date,
    tier LowCardinality(String),
    accounts UInt64,
    signups UInt64,
    banned_accounts UInt64,
    accounts_with_pack UInt64,
    tier_balance Float64,
    pack_balance Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, tier)
