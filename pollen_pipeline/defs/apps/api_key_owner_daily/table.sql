-- Per UTC day, every key of that day's last d1_apikey snapshot and the D1 user owning it, by id
-- only (no name, fragment or metadata). A BYOP app's client id is its parent key's id: the team's
-- legacy byop-devshare panels take an app's owner from the latest snapshot's row of that key,
-- so its owners are a WHERE day = max(day) here, joined to devshare_daily's client ids.
CREATE TABLE IF NOT EXISTS ${database}.api_key_owner_daily
(
    day Date,
    api_key_id String,
    user_id String
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, api_key_id)
