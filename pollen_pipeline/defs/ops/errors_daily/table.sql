-- Production errors per UTC day by provider, requested model, exact status, error code and error
-- source: errors_hourly's hours summed. The error panels read it for the days a range covers
-- whole (pollen_pipeline/dashboards/grafana.py: hours_and_whole_days).
CREATE TABLE IF NOT EXISTS ${database}.errors_daily
(
    day Date,
    -- keys and measures, as both error tables declare them: defs/ops/rules.py
    $error_row_columns
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, model_provider_used, resolved_model_requested, response_status)
