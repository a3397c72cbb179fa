-- One row per tier and standard range (the 7, 30 or 90 UTC days up to as_of) with demand in it:
-- the distinct users refused (402) over the range, so the refused-demand panel reads one as_of
-- instead of merging a range's id arrays of demand_daily.
CREATE TABLE IF NOT EXISTS ${database}.demand_ranges
(
    as_of Date,
    window_days UInt8,
    user_tier LowCardinality(String),
    refused_users UInt64,
    active_days UInt64
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, window_days, user_tier)
