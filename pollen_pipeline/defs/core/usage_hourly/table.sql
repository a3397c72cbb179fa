-- Hourly economics by model, tier and key type; ROUTER kept and flagged (is_router = 1).
CREATE TABLE IF NOT EXISTS ${database}.usage_hourly
(
    hour DateTime('UTC'),
    resolved_model_requested LowCardinality(String),
    user_tier LowCardinality(String),
    api_key_type LowCardinality(String),
    is_router UInt8,
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64,
    users UInt64
)
ENGINE = MergeTree
PARTITION BY toDate(hour)
ORDER BY (hour, is_router, resolved_model_requested, user_tier, api_key_type)
