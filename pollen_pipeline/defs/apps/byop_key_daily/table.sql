-- Per UTC day: each BYOP key of the day's last d1_apikey snapshot, its app (client id) and the
-- app's owner; byop_app_owner_daily joins it to app_daily's keys.
CREATE TABLE IF NOT EXISTS ${database}.byop_key_daily
(
    day Date,
    api_key_id String,
    client_id String,
    owner_user_id String
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, api_key_id)
