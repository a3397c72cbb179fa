-- Platform load per UTC minute by event type, provider and requested model, over every
-- production event of any status. resolved_model_requested is beyond the issue's grain on
-- purpose: the 5xx alert rules are per model x provider over 10 minutes. health_hourly is
-- these rows grouped by hour.
CREATE TABLE IF NOT EXISTS pollen.load_minutely ON CLUSTER pollen_cluster
(
    minute DateTime('UTC'),
    event_type LowCardinality(String),
    model_provider_used LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    requests UInt64,
    status_2xx UInt64,
    status_4xx UInt64,
    errors UInt64,  -- status >= 400 or outside 100..599, as errors_hourly counts them
    status_5xx UInt64,
    status_429 UInt64,
    latency_histogram Map(UInt16, UInt64),  -- health_hourly's buckets (defs/health/rules.py)
    latency_max_ms Float32,
    tokens_in UInt64,  -- the four prompt token counts added
    tokens_out UInt64,  -- the four completion token counts added
    response_time_sum Float64,  -- ms; / requests = mean response time
    cache_hits UInt64,
    cache_savings_pollen Float64,  -- list price of the cache hits
    total_pollen Float64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/load_minutely', '{replica}')
PARTITION BY toDate(minute)
ORDER BY (minute, event_type, model_provider_used, resolved_model_requested)
