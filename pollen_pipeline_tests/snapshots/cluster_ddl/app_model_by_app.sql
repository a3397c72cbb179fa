-- One row per app (API key), requested model and UTC day, as app_model_daily's, by month and
-- app: what the app drill-down reads for any range.
CREATE TABLE IF NOT EXISTS pollen.app_model_by_app ON CLUSTER pollen_cluster
(
    day Date,
    api_key_id String,
    resolved_model_requested LowCardinality(String),
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/app_model_by_app', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (api_key_id, day, resolved_model_requested)
