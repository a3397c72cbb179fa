-- One row per referrer domain and standard range (the 7, 30 or 90 UTC days up to as_of) in which
-- it had traffic: the "Referrer domains" panel's sums, apps and top app over such a range, read
-- from one as_of instead of a partition of referrer_daily per day.
CREATE TABLE IF NOT EXISTS pollen.referrer_ranges ON CLUSTER pollen_cluster
(
    as_of Date,
    window_days UInt8,
    referrer_domain LowCardinality(String),
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64,
    apps UInt64,
    top_app String
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/referrer_ranges', '{replica}')
PARTITION BY as_of
ORDER BY (as_of, window_days, referrer_domain)
