-- Per requested model, tier and key type, for each as_of of the run: sums over 7/30/90 days of
-- model_daily (rules.py: MODEL), then one row per range. On long runs (defs.yaml) the windows
-- are running sums instead of a fan-out: the same columns, the same numbers.
WITH daily AS (SELECT * FROM $model_daily WHERE $lookback_rows)
SELECT
    as_of,
    window_days,
    resolved_model_requested,
    user_tier,
    api_key_type,
    $range_columns
FROM ($ranges)
$ranges_join
WHERE active_days > 0
