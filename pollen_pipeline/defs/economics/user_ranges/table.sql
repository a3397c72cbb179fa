-- One row per developer, tier of the day and standard range (the 7, 30 or 90 UTC days up to
-- as_of) in which the developer had rows of that tier: what the developer panels sum over such a
-- range, read from one as_of instead of a partition of user_daily per day.
CREATE TABLE IF NOT EXISTS ${database}.user_ranges
(
    as_of Date,
    window_days UInt8,
    user_id String,
    user_tier LowCardinality(String),
    last_day Date,
    user_github_username String,
    $range_column_definitions,
    models_max_per_day UInt64,
    active_apps UInt64
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, window_days, user_id, user_tier)
