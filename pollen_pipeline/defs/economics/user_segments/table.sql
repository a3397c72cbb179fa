-- Implicit tiers from behaviour: developers with Pollen in the 30 days up to as_of, ranked by
-- 30-day total Pollen into top 5, next 15, middle 60 and bottom 20 percent, next to the tier they
-- hold today, to show how the tiers spread over what people actually spend.
CREATE TABLE IF NOT EXISTS ${database}.user_segments
(
    as_of Date,
    user_id String,
    user_github_username String,
    user_tier LowCardinality(String),
    total_30d Float64,
    pack_30d Float64,
    tier_30d Float64,
    paid_share_30d Nullable(Float64),
    pollen_rank UInt64,
    ranked_users UInt64,
    segment LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, pollen_rank)
