-- Platform health per UTC day, provider, requested model and event type: health_hourly's hours
-- summed, the latency histogram merged (sumMap, exact). Health panels read it for the days a
-- range covers whole (pollen_pipeline/dashboards/grafana.py: health_rows).
CREATE TABLE IF NOT EXISTS pollen.health_daily ON CLUSTER pollen_cluster
(
    day Date,
    model_provider_used LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    event_type LowCardinality(String),
    -- the measures, as both health tables declare them: defs/health/rules.py (SUMMED)
    requests UInt64,
    status_2xx UInt64,
    status_4xx UInt64,
    status_429 UInt64,
    status_5xx UInt64,
    errors UInt64,
    latency_histogram Map(UInt16, UInt64),
    latency_p50_ms Float64,
    latency_p95_ms Float64,
    latency_p99_ms Float64,
    latency_max_ms Float32,
    response_time_sum Float64,
    tokens_in UInt64,
    tokens_out UInt64,
    cache_hits UInt64,
    cache_savings_pollen Float64,
    total_pollen Float64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/health_daily', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (day, model_provider_used, resolved_model_requested, event_type)
