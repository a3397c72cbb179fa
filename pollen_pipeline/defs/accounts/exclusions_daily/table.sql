-- Per UTC day and developer on an exclusion list (the hand-kept excluded_users, D1's banned
-- accounts, or both): which list names them, whether the contract removed them, and the events
-- and Pollen at stake. Ids only.
CREATE TABLE IF NOT EXISTS ${database}.exclusions_daily
(
    day Date,
    user_id String,
    listed_by LowCardinality(String),
    removed UInt8,
    events UInt64,
    total_pollen Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, user_id)
