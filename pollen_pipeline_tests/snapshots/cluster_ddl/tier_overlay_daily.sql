-- Per as_of and current tier: developers with Pollen in the 30 days up to as_of, their Pollen,
-- and the spread of their paid share (seed panel 10: if the tiers overlap heavily, they do not
-- reflect economic reality). Quantiles are NULL when no user of the tier has pack or tier use.
CREATE TABLE IF NOT EXISTS pollen.tier_overlay_daily ON CLUSTER pollen_cluster
(
    as_of Date,
    user_tier LowCardinality(String),
    users UInt64,
    pollen_30d Float64,
    pack_30d Float64,
    tier_30d Float64,
    pollen_per_user Float64,
    users_with_share UInt64,
    paid_share_p10 Nullable(Float64),
    paid_share_p25 Nullable(Float64),
    paid_share_p50 Nullable(Float64),
    paid_share_p75 Nullable(Float64),
    paid_share_p90 Nullable(Float64)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/tier_overlay_daily', '{replica}')
PARTITION BY as_of
ORDER BY (as_of, user_tier)
