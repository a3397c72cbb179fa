-- One row per requested model, model used, provider and UTC day (ROUTER excluded);
-- is_rerouted = 1 when the model used is not the one requested.
CREATE TABLE IF NOT EXISTS pollen.routing_daily ON CLUSTER pollen_cluster
(
    day Date,
    resolved_model_requested LowCardinality(String),
    model_used LowCardinality(String),
    model_provider_used LowCardinality(String),
    is_rerouted UInt8,
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/routing_daily', '{replica}')
PARTITION BY day
ORDER BY (day, resolved_model_requested, model_used, model_provider_used)
