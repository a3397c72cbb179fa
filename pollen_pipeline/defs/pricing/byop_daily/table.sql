-- Per UTC day, key origin and app (key name): BYOP traffic under the economics contract.
-- key_origin: redirect_auth / client_id (newer raw columns) or hostname_key (the heuristic);
-- key_columns = 1 when the raw table had the newer columns at the time of the run.
CREATE TABLE IF NOT EXISTS ${database}.byop_daily
(
    day Date,
    key_origin LowCardinality(String),
    app_name String,
    api_key_type LowCardinality(String),
    users UInt64,
    keys UInt64,
    $meter_columns,
    key_columns UInt8
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, key_origin, app_name)
