-- One row per requested model used in the 90 days up to as_of (ROUTER excluded). paid_share,
-- requests and avg_pollen_per_request cover the 30-day window; cost_share_1d vs cost_share_30d
-- shows which model suddenly takes more of the budget.
CREATE TABLE IF NOT EXISTS ${database}.model_windows
(
    as_of Date,
    resolved_model_requested LowCardinality(String),
    $window_column_definitions,
    requests UInt64,
    paid_share Nullable(Float64),
    avg_pollen_per_request Nullable(Float64),
    momentum Nullable(Float64),
    cost_share_1d Nullable(Float64),
    cost_share_30d Nullable(Float64),
    cost_share_change Nullable(Float64)
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, resolved_model_requested)
