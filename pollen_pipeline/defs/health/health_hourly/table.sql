-- Platform health by hour, provider, model and event type over every production event, whatever
-- its status (usage_hourly holds billable ones only), grouped from load_minutely. Latency is stored as a bucket histogram so
-- that p50/p95/p99 over any set of rows are read from sumMap(latency_histogram) (see
-- pollen_pipeline/defs/health/rules.py); the per-row latency_p*_ms are that reading for the row itself.
CREATE TABLE IF NOT EXISTS ${database}.health_hourly
(
    hour DateTime('UTC'),
    model_provider_used LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    event_type LowCardinality(String),
    -- the measures, as both health tables declare them: defs/health/rules.py (SUMMED)
    $health_measure_columns
)
ENGINE = MergeTree
PARTITION BY toDate(hour)
ORDER BY (hour, model_provider_used, resolved_model_requested, event_type)
