-- Tier-to-pack conversion per signup cohort (the day of the first tier event), as known on each
-- as_of day; each partition is a full snapshot, readers take the latest as_of. A rate is final
-- once the cohort is old enough that no later pack can still count (7 / 30 days).
CREATE TABLE IF NOT EXISTS ${database}.cohort_conversion_daily
(
    as_of Date,
    cohort_day Date,
    users UInt64,
    converted_7d UInt64,
    converted_30d UInt64,
    conversion_rate_7d Float64,
    conversion_rate_30d Float64,
    is_final_7d UInt8,
    is_final_30d UInt8
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, cohort_day)
