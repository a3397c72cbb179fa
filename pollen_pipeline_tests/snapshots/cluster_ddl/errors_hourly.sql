-- Production errors (4xx, 5xx, or a status outside 100..599) per hour by provider, requested
-- model, exact status, error code and error source. Users are not kept: a distinct count does
-- not add up over hours or codes.
CREATE TABLE IF NOT EXISTS pollen.errors_hourly ON CLUSTER pollen_cluster
(
    hour DateTime('UTC'),
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
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/errors_hourly', '{replica}')
PARTITION BY toDate(hour)
ORDER BY (hour, model_provider_used, resolved_model_requested, response_status)
