-- Per UTC day and tier: the gateway's tier events (registrations, moves into the tier, refills)
-- and the day's tier scoring (users scored at the tier, and those the score moves out or in).
-- Ids never leave tier_event and scoring_snapshot: only counts and sums.
CREATE TABLE IF NOT EXISTS pollen.tier_moves_daily ON CLUSTER pollen_cluster
(
    day Date,
    tier LowCardinality(String),
    registrations UInt64,
    tier_changes UInt64,
    refills UInt64,
    refilled_accounts UInt64,
    refill_pollen Float64,
    scored UInt64,
    score_moves_out UInt64,
    score_moves_in UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/tier_moves_daily', '{replica}')
PARTITION BY day
ORDER BY (day, tier)
