-- Per UTC day, whether in the directory, and category: the apps' P&L. in_directory = 0 is the
-- usage of keys matching no listing (category ''); apps_listed counts a category's listings,
-- apps_used those with a matched key that day.
CREATE TABLE IF NOT EXISTS pollen.app_category_daily ON CLUSTER pollen_cluster
(
    day Date,
    in_directory UInt8,
    category LowCardinality(String),
    apps_listed UInt64,
    apps_used UInt64,
    keys UInt64,
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64,
    margin_pollen Float64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/app_category_daily', '{replica}')
PARTITION BY day
ORDER BY (day, in_directory, category)
