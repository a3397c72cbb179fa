-- One row per requested model, tier, key type and UTC day (ROUTER excluded).
CREATE TABLE IF NOT EXISTS ${database}.model_daily
(
    day Date,
    resolved_model_requested LowCardinality(String),
    user_tier LowCardinality(String),
    api_key_type LowCardinality(String),
    model_provider_used LowCardinality(String),
    $meter_columns,
    users UInt64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, resolved_model_requested, user_tier, api_key_type)
