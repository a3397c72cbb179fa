-- One row per developer and UTC day, as user_daily's (without its id arrays), by month and
-- developer: what developer panels of any range read.
CREATE TABLE IF NOT EXISTS ${database}.user_daily_by_user
(
    day Date,
    user_id String,
    user_github_username String,
    user_tier LowCardinality(String),
    $meter_columns,
    models_used UInt64,
    named_apps UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (user_id, day)
