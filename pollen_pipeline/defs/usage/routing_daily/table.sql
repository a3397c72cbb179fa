-- One row per requested model, model used, provider and UTC day (ROUTER excluded);
-- is_rerouted = 1 when the model used is not the one requested.
CREATE TABLE IF NOT EXISTS ${database}.routing_daily
(
    day Date,
    resolved_model_requested LowCardinality(String),
    model_used LowCardinality(String),
    model_provider_used LowCardinality(String),
    is_rerouted UInt8,
    $meter_columns
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, resolved_model_requested, model_used, model_provider_used)
