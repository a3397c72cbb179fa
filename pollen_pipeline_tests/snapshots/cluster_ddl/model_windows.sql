-- One row per requested model used in the 90 days up to as_of (ROUTER excluded). paid_share,
-- requests and avg_pollen_per_request cover the 30-day window; cost_share_1d vs cost_share_30d
-- shows which model suddenly takes more of the budget.
CREATE TABLE IF NOT EXISTS pollen.model_windows ON CLUSTER pollen_cluster
(
    as_of Date,
    resolved_model_requested LowCardinality(String),
    pack_1d Float64,
    pack_7d Float64,
    pack_30d Float64,
    pack_90d Float64,
    tier_1d Float64,
    tier_7d Float64,
    tier_30d Float64,
    tier_90d Float64,
    total_1d Float64,
    total_7d Float64,
    total_30d Float64,
    total_90d Float64,
    requests_1d UInt64,
    requests_7d UInt64,
    requests_30d UInt64,
    requests_90d UInt64,
    active_days_7d UInt64,
    active_days_30d UInt64,
    active_days_90d UInt64,
    requests UInt64,
    paid_share Nullable(Float64),
    avg_pollen_per_request Nullable(Float64),
    momentum Nullable(Float64),
    cost_share_1d Nullable(Float64),
    cost_share_30d Nullable(Float64),
    cost_share_change Nullable(Float64)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/model_windows', '{replica}')
PARTITION BY as_of
ORDER BY (as_of, resolved_model_requested)
