-- Per UTC day, provider and model served: provider cost and Pollen charged over every
-- production event (any status, ROUTER and the bug window included), and the margin. pack_pollen
-- and tier_pollen follow the economics contract (successful, billable, ROUTER and excluded out).
CREATE TABLE IF NOT EXISTS ${database}.provider_daily
(
    day Date,
    model_provider_used LowCardinality(String),
    model_used LowCardinality(String),
    requests UInt64,
    failed_requests UInt64,
    provider_cost Float64,
    pollen_charged Float64,
    router_cost Float64,
    margin_pollen Float64,
    pack_pollen Float64,
    tier_pollen Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, model_provider_used, model_used)
