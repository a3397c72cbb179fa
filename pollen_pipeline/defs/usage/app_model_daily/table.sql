-- One row per app (API key), requested model and UTC day (ROUTER excluded): the app drill-down.
CREATE TABLE IF NOT EXISTS ${database}.app_model_daily
(
    day Date,
    api_key_id String,
    resolved_model_requested LowCardinality(String),
    api_key_name String,
    is_named_app UInt8,
    $meter_columns
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, api_key_id, resolved_model_requested)
