-- One row per requested model, tier, key type and standard range (the 7, 30 or 90 UTC days up to
-- as_of) with rows of them: model_daily's grain summed over such a range, so the model panels
-- that total a range read one as_of instead of a partition of model_daily per day.
CREATE TABLE IF NOT EXISTS ${database}.model_ranges
(
    as_of Date,
    window_days UInt8,
    resolved_model_requested LowCardinality(String),
    user_tier LowCardinality(String),
    api_key_type LowCardinality(String),
    $range_column_definitions
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, window_days, resolved_model_requested, user_tier, api_key_type)
