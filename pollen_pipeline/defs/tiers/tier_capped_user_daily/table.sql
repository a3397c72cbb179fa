-- One row per UTC day, scenario and developer the scenario caps (free Pollen above its grant);
-- by month, scenario and developer: the panel reads one scenario's rows of a range.
CREATE TABLE IF NOT EXISTS ${database}.tier_capped_user_daily
(
    day Date,
    scenario LowCardinality(String),
    user_id String,
    user_tier LowCardinality(String),
    tier_pollen Float64,
    grant_per_user Float64,
    cut_pollen Float64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (scenario, user_id, day)
