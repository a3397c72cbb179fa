-- One row per referrer domain, app (API key) and UTC day (ROUTER excluded). Unnamed keys stay in
-- (they count in totals) with is_named_app = 0.
CREATE TABLE IF NOT EXISTS ${database}.referrer_daily
(
    day Date,
    referrer_domain LowCardinality(String),
    api_key_id String,
    api_key_name String,
    is_named_app UInt8,
    $meter_columns,
    models_used UInt64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, referrer_domain, api_key_id)
