-- One row per app active in the 90 days up to as_of (ROUTER excluded), with its latest name,
-- type and owner. An app is a developer key (app_id its key id) or a BYOP app's temporary keys
-- ('byop:' and the app's name, no owner: the keys are its end users'), contract.app_id.
-- Unnamed keys stay in, flagged is_named_app = 0 for rankings.
CREATE TABLE IF NOT EXISTS pollen.app_windows ON CLUSTER pollen_cluster
(
    as_of Date,
    app_id String,
    api_key_name String,
    api_key_type LowCardinality(String),
    is_named_app UInt8,
    user_id String,
    user_github_username String,
    pack_1d Float64,
    pack_7d Float64,
    pack_30d Float64,
    pack_90d Float64,
    tier_1d Float64,
    tier_7d Float64,
    tier_30d Float64,
    tier_90d Float64,
    total_1d Float64,
    total_7d Float64,
    total_30d Float64,
    total_90d Float64,
    requests_1d UInt64,
    requests_7d UInt64,
    requests_30d UInt64,
    requests_90d UInt64,
    active_days_7d UInt64,
    active_days_30d UInt64,
    active_days_90d UInt64,
    paid_share_30d Nullable(Float64),
    momentum Nullable(Float64)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/app_windows', '{replica}')
PARTITION BY as_of
ORDER BY (as_of, app_id)
