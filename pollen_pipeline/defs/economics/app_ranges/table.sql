-- One row per named app and standard range (the 7, 30 or 90 UTC days up to as_of) in which it
-- had named days: what the app rankings sum over such a range, read from one as_of instead of a
-- partition of app_daily per day. Unnamed days are left out, as the rankings do. An app is a
-- developer key (app_id its key id) or a BYOP app's temporary keys ('byop:' and the app's
-- name; user_github_username empty: the keys are its end users'), contract.app_id.
CREATE TABLE IF NOT EXISTS ${database}.app_ranges
(
    as_of Date,
    window_days UInt8,
    app_id String,
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
ORDER BY (as_of, window_days, app_id)
