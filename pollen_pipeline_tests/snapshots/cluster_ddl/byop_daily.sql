-- Per UTC day, key origin and app (key name): BYOP traffic under the economics contract.
-- key_origin: redirect_auth / client_id (newer raw columns) or hostname_key (the heuristic);
-- key_columns = 1 when the raw table had the newer columns at the time of the run.
CREATE TABLE IF NOT EXISTS pollen.byop_daily ON CLUSTER pollen_cluster
(
    day Date,
    key_origin LowCardinality(String),
    app_name String,
    api_key_type LowCardinality(String),
    users UInt64,
    keys UInt64,
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64,
    key_columns UInt8
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/byop_daily', '{replica}')
PARTITION BY day
ORDER BY (day, key_origin, app_name)
