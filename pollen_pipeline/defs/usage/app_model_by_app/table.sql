-- One row per app (API key), requested model and UTC day, as app_model_daily's, by month and
-- app: what the app drill-down reads for any range.
CREATE TABLE IF NOT EXISTS ${database}.app_model_by_app
(
    day Date,
    api_key_id String,
    resolved_model_requested LowCardinality(String),
    $meter_columns
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (api_key_id, day, resolved_model_requested)
