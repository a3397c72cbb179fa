-- Platform health by hour, provider, model and event type over every production event, whatever
-- its status (usage_hourly holds billable ones only), grouped from load_minutely. Latency is stored as a bucket histogram so
-- that p50/p95/p99 over any set of rows are read from sumMap(latency_histogram) (see
-- pollen_pipeline/defs/health/rules.py); the per-row latency_p*_ms are that reading for the row itself.
CREATE TABLE IF NOT EXISTS pollen.health_hourly ON CLUSTER pollen_cluster
(
    hour DateTime('UTC'),
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
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/health_hourly', '{replica}')
PARTITION BY toDate(hour)
ORDER BY (hour, model_provider_used, resolved_model_requested, event_type)
