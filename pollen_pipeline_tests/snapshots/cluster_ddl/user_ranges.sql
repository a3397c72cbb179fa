-- One row per developer, tier of the day and standard range (the 7, 30 or 90 UTC days up to
-- as_of) in which the developer had rows of that tier: what the developer panels sum over such a
-- range, read from one as_of instead of a partition of user_daily per day.
CREATE TABLE IF NOT EXISTS pollen.user_ranges ON CLUSTER pollen_cluster
(
    as_of Date,
    window_days UInt8,
    user_id String,
    user_tier LowCardinality(String),
    last_day Date,
    user_github_username String,
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64,
    active_days UInt64,
    models_max_per_day UInt64,
    active_apps UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/user_ranges', '{replica}')
PARTITION BY as_of
ORDER BY (as_of, window_days, user_id, user_tier)
