-- One row per API key (an app) and UTC day (ROUTER excluded). Keys named 'undefined' or ''
-- stay in (they count in totals) with is_named_app = 0 so rankings can drop them.
CREATE TABLE IF NOT EXISTS ${database}.app_daily
(
    day Date,
    api_key_id String,
    api_key_name String,
    api_key_type LowCardinality(String),
    is_named_app UInt8,
    user_id String,
    user_github_username String,
    $meter_columns,
    referrer_domains UInt64,
    models_used UInt64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, api_key_id)
