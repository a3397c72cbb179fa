-- Demand per UTC day, tier (the event's own) and requested model, over every production event:
-- what was served, what was refused for lack of balance (402) or rate limited (429). The users
-- refused are kept as a sorted id array, merged exactly over any rows with uniqExactArray
-- (a per-row distinct count would not add up over days or models).
CREATE TABLE IF NOT EXISTS pollen.demand_daily ON CLUSTER pollen_cluster
(
    day Date,
    user_tier LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    requests UInt64,
    served UInt64,
    refused_402 UInt64,
    insufficient_balance_messages UInt64,
    rate_limited_429 UInt64,
    refused_user_ids Array(String),
    total_pollen Float64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/demand_daily', '{replica}')
PARTITION BY day
ORDER BY (day, user_tier, resolved_model_requested)
