-- Per UTC day, environment and adjustment rule (a versioned rule id: search queries, tool calls,
-- cache storage, container runtime): the requests it applied to, its cost in USD and its units.
-- Adjustments are already inside total_cost and total_price: this says what they were.
CREATE TABLE IF NOT EXISTS ${database}.adjustments_daily
(
    day Date,
    environment LowCardinality(String),
    rule_id LowCardinality(String),
    requests UInt64,
    cost_usd Float64,
    units Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, environment, rule_id)
