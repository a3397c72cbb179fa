-- Per UTC day, environment, requested model, the model and provider tried, and how the attempt
-- failed: v2's fallback attempts (rows before a request's final row). Not requests: how often
-- the gateway had to fall back, from which model to which, at what provider cost.
CREATE TABLE IF NOT EXISTS pollen.fallbacks_daily ON CLUSTER pollen_cluster
(
    day Date,
    environment LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    model_tried LowCardinality(String),
    provider_tried LowCardinality(String),
    response_status UInt32,
    error_response_code LowCardinality(String),
    attempts UInt64,
    requests UInt64,
    attempt_cost Float64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/fallbacks_daily', '{replica}')
PARTITION BY day
ORDER BY (day, environment, resolved_model_requested, model_tried, provider_tried)
