-- One row per app (contract.app_id: a developer key, or a BYOP app's end-user keys as one),
-- requested model and UTC day, app_model_daily's rows by month and app: what the app
-- drill-down reads for any range, for the apps the rankings list.
CREATE TABLE IF NOT EXISTS pollen.app_model_by_app ON CLUSTER pollen_cluster
(
    day Date,
    app_id String,
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
ORDER BY (app_id, day, resolved_model_requested)
