-- Per requested model, tier and key type, for each as_of of the run: sums over 7/30/90 days of
-- model_daily (one array element per range, then one row per range).
SELECT
    as_of,
    window_days,
    resolved_model_requested,
    user_tier,
    api_key_type,
    $range_columns
FROM
(
    SELECT
        as_of,
        resolved_model_requested,
        user_tier,
        api_key_type,
        $range_arrays
    FROM (SELECT *, $as_of_fanout AS as_of FROM $model_daily WHERE $lookback_rows)
    GROUP BY as_of, resolved_model_requested, user_tier, api_key_type
)
$range_join
WHERE active_days > 0
