-- Per UTC day, BYOP app (client id) and its owner: the usage of the keys minted for it.
CREATE TABLE IF NOT EXISTS ${database}.byop_app_owner_daily
(
    day Date,
    client_id String,
    owner_user_id String,
    keys UInt64,
    users UInt64,
    external_users UInt64,
    external_pollen Float64,
    $meter_columns
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, client_id, owner_user_id)
