-- Per UTC day, whether in the directory, and category: the apps' P&L. in_directory = 0 is the
-- usage of keys matching no listing (category ''); apps_listed counts a category's listings,
-- apps_used those with a matched key that day.
CREATE TABLE IF NOT EXISTS ${database}.app_category_daily
(
    day Date,
    in_directory UInt8,
    category LowCardinality(String),
    apps_listed UInt64,
    apps_used UInt64,
    keys UInt64,
    $meter_columns,
    margin_pollen Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, in_directory, category)
