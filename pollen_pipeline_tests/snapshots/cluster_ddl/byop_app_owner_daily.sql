-- Per UTC day, BYOP app (client id) and its owner: the usage of the keys minted for it.
CREATE TABLE IF NOT EXISTS pollen.byop_app_owner_daily ON CLUSTER pollen_cluster
(
    day Date,
    client_id String,
    owner_user_id String,
    keys UInt64,
    users UInt64,
    external_users UInt64,
    external_pollen Float64,
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/byop_app_owner_daily', '{replica}')
PARTITION BY day
ORDER BY (day, client_id, owner_user_id)
