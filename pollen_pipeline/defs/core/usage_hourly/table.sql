-- Hourly economics by model, tier and key type; ROUTER kept and flagged (is_router = 1).
CREATE TABLE IF NOT EXISTS ${database}.usage_hourly
(
    hour DateTime('UTC'),
    resolved_model_requested LowCardinality(String),
    user_tier LowCardinality(String),
    api_key_type LowCardinality(String),
    is_router UInt8,
    $meter_columns,
    users UInt64
)
ENGINE = MergeTree
PARTITION BY toDate(hour)
ORDER BY (hour, is_router, resolved_model_requested, user_tier, api_key_type)
