-- One row per developer and UTC day, as user_daily's (without its id arrays), by month and
-- developer: what developer panels of any range read.
CREATE TABLE IF NOT EXISTS pollen.user_daily_by_user ON CLUSTER pollen_cluster
(
    day Date,
    user_id String,
    user_github_username String,
    user_tier LowCardinality(String),
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64,
    models_used UInt64,
    named_apps UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/user_daily_by_user', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (user_id, day)
