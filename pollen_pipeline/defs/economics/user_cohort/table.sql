-- The tier-to-pack cohort as known on each as_of day: one row per user whose first tier (free)
-- event under the contract is on or before as_of (the signup proxy), all-time. Every partition
-- is a full snapshot; readers take the latest as_of.
CREATE TABLE IF NOT EXISTS ${database}.user_cohort
(
    as_of Date,
    user_id String,
    user_github_id String,
    user_github_username String,
    cohort_day Date,
    first_tier_at DateTime('UTC'),
    first_pack_at Nullable(DateTime('UTC')),
    days_to_first_pack Nullable(Int32),
    pack_before_tier UInt8,
    converted_7d UInt8,
    converted_30d UInt8
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, cohort_day, user_id)
