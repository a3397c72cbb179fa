-- One row per requested model, tier, key type and UTC day (ROUTER excluded).
CREATE TABLE IF NOT EXISTS pollen.model_daily ON CLUSTER pollen_cluster
(
    day Date,
    resolved_model_requested LowCardinality(String),
    user_tier LowCardinality(String),
    api_key_type LowCardinality(String),
    model_provider_used LowCardinality(String),
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64,
    users UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/model_daily', '{replica}')
PARTITION BY day
ORDER BY (day, resolved_model_requested, user_tier, api_key_type)
