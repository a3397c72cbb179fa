-- One row per app (API key), requested model and UTC day (ROUTER excluded): the app drill-down.
CREATE TABLE IF NOT EXISTS ${database}.app_model_daily
(
    day Date,
    api_key_id String,
    resolved_model_requested LowCardinality(String),
    api_key_name String,
    is_named_app UInt8,
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, api_key_id, resolved_model_requested)
