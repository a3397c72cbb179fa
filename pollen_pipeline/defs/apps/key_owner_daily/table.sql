-- Per UTC day, key name and owner: the d1_apikey rows of the day's snapshots. The name is kept
-- as its cityHash64 only (as a uniq state keeps its values' hashes): no key name leaves
-- d1_apikey, and a name the events carry still finds its owners.
CREATE TABLE IF NOT EXISTS ${database}.key_owner_daily
(
    day Date,
    name_hash UInt64,
    user_id String,
    keys UInt64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, name_hash, user_id)
