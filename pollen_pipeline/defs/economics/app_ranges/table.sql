-- One row per named app (API key) and standard range (the 7, 30 or 90 UTC days up to as_of) in
-- which it had named days: what the app rankings sum over such a range, read from one as_of
-- instead of a partition of app_daily per day. Unnamed days are left out, as the rankings do.
CREATE TABLE IF NOT EXISTS ${database}.app_ranges
(
    as_of Date,
    window_days UInt8,
    api_key_id String,
    api_key_name String,
    api_key_type LowCardinality(String),
    user_github_username String,
    last_day Date,
    $range_column_definitions,
    models_max_per_day UInt64,
    referrer_domains UInt64
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, window_days, api_key_id)
