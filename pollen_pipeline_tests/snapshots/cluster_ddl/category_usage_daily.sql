-- Per UTC day, ROUTER, category and platform of the APPS.md map (app_category_map, the latest
-- load as of the build): the Pollen of the legacy scope of scoped_user_key_daily (production,
-- 2xx, priced, outside the bug window), each request in the one category and platform the
-- team's category-economics gives it (category '' and platform '' when the map has none), so the
-- rows add up to scoped_user_key_daily. users is a uniqExact state of the GitHub ids, as their
-- count(DISTINCT); apps the map's apps in the row's category (0 for '').
CREATE TABLE IF NOT EXISTS pollen.category_usage_daily ON CLUSTER pollen_cluster
(
    day Date,
    is_router UInt8,
    category LowCardinality(String),
    platform LowCardinality(String),
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64,
    users AggregateFunction(uniqExact, String),
    apps UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/category_usage_daily', '{replica}')
PARTITION BY day
ORDER BY (day, is_router, category, platform)
