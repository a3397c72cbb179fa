-- One row per API route, tier, key type and UTC day (ROUTER excluded), with billed / unbilled and
-- cache-hit request counts.
CREATE TABLE IF NOT EXISTS pollen.request_path_daily ON CLUSTER pollen_cluster
(
    day Date,
    request_path LowCardinality(String),
    user_tier LowCardinality(String),
    api_key_type LowCardinality(String),
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64,
    billed_requests UInt64,
    unbilled_requests UInt64,
    cache_hit_requests UInt64,
    models_used UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/request_path_daily', '{replica}')
PARTITION BY day
ORDER BY (day, request_path, user_tier, api_key_type)
