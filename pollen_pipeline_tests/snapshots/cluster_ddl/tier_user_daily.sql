-- Per UTC day, GitHub username and the events' own tier: the team's legacy tier-simulation rows
-- (billed, 2xx, the exact slug v1:meter:tier) of every environment, bug window, ROUTER and banned
-- kept. Their simulation caps each username-day-tier's Pollen at a tier's allowance, so its
-- panels are sums over these rows (a username '' is one user, as theirs). Rows with requests
-- only: a user-day of unpriced requests is a row of 0 Pollen, as in theirs.
CREATE TABLE IF NOT EXISTS pollen.tier_user_daily ON CLUSTER pollen_cluster
(
    day Date,
    user_github_username String,
    user_tier LowCardinality(String),
    requests UInt64,
    tier_pollen Float64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/tier_user_daily', '{replica}')
PARTITION BY day
ORDER BY (day, user_tier, user_github_username)
