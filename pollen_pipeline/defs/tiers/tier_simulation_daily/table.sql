-- Per UTC day, scenario and tier: actual free Pollen and the same capped at the scenario's grant
-- per developer. budget_pollen = users x grant_per_user; for 'dynamic' scenarios it is the tier's
-- share of the day's bounded budget, derived from r7_pack_pollen (pack Pollen of the 7 days
-- before the day).
CREATE TABLE IF NOT EXISTS ${database}.tier_simulation_daily
(
    day Date,
    scenario LowCardinality(String),
    user_tier LowCardinality(String),
    users UInt64,
    actual_tier_pollen Float64,
    simulated_tier_pollen Float64,
    users_capped UInt64,
    grant_per_user Float64,
    budget_pollen Float64,
    r7_pack_pollen Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, scenario, user_tier)
