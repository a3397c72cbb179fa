-- Per UTC day: the directory's apps as ids (owner's D1 user id, hashed name) and category, what
-- app_category_daily matches against app_daily's keys. '' owner: no D1 account has the listing's
-- GitHub id, so no key can be matched to it.
CREATE TABLE IF NOT EXISTS pollen.directory_app_daily ON CLUSTER pollen_cluster
(
    day Date,
    owner_user_id String,
    app_key UInt64,
    category LowCardinality(String)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/directory_app_daily', '{replica}')
PARTITION BY day
ORDER BY (day, owner_user_id, app_key)
