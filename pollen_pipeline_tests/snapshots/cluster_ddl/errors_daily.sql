-- Production errors per UTC day by provider, requested model, exact status, error code and error
-- source: errors_hourly's hours summed. The error panels read it for the days a range covers
-- whole (pollen_pipeline/dashboards/grafana.py: hours_and_whole_days).
CREATE TABLE IF NOT EXISTS pollen.errors_daily ON CLUSTER pollen_cluster
(
    day Date,
    -- keys and measures, as both error tables declare them: defs/ops/rules.py
    model_provider_used LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    response_status UInt32,
    error_response_code LowCardinality(String),
    error_source LowCardinality(String),
    events UInt64,
    total_pollen Float64,
    first_at DateTime('UTC'),
    last_at DateTime('UTC')
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/errors_daily', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (day, model_provider_used, resolved_model_requested, response_status)
