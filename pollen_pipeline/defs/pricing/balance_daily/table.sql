-- Per UTC day and developer: the balances read by their last production event of the day (any
-- status), before that request was charged. The last event is the latest start_time, ties broken
-- by the largest event_id, so a rerun picks the same one.
CREATE TABLE IF NOT EXISTS ${database}.balance_daily
(
    day Date,
    user_id String,
    user_github_id String,
    user_tier LowCardinality(String),
    tier_balance Float64,
    pack_balance Float64,
    last_event_at DateTime('UTC'),
    last_event_id String,
    events UInt64,
    charged_pollen Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, user_id)
