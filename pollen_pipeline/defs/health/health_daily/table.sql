-- Platform health per UTC day, provider, requested model and event type: health_hourly's hours
-- summed, the latency histogram merged (sumMap, exact). Health panels read it for the days a
-- range covers whole (pollen_pipeline/dashboards/grafana.py: health_rows).
CREATE TABLE IF NOT EXISTS ${database}.health_daily
(
    day Date,
    model_provider_used LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    event_type LowCardinality(String),
    -- the measures, as both health tables declare them: defs/health/rules.py (SUMMED)
    $health_measure_columns
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, model_provider_used, resolved_model_requested, event_type)
