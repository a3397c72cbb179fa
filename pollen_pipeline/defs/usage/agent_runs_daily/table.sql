-- Per UTC day, environment and developer: agent runs (v2: the model steps and tool calls one
-- agent call made, grouped by parent_request_id). The parent row is free; a run costs its steps.
CREATE TABLE IF NOT EXISTS ${database}.agent_runs_daily
(
    day Date,
    environment LowCardinality(String),
    user_id String,
    runs UInt64,
    steps UInt64,
    run_pollen Float64,
    run_cost Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, environment, user_id)
