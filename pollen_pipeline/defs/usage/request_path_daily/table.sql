-- One row per API route, tier, key type and UTC day (ROUTER excluded), with billed / unbilled and
-- cache-hit request counts.
CREATE TABLE IF NOT EXISTS ${database}.request_path_daily
(
    day Date,
    request_path LowCardinality(String),
    user_tier LowCardinality(String),
    api_key_type LowCardinality(String),
    $meter_columns,
    billed_requests UInt64,
    unbilled_requests UInt64,
    cache_hit_requests UInt64,
    models_used UInt64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, request_path, user_tier, api_key_type)
