-- Per developer and tier of the day, for each as_of of the run: sums over 7/30/90 days of
-- user_daily (one array element per range, then one row per range). Rows are kept per tier so
-- the tier variable filters the days as it does on user_daily; last_day and the name on it give
-- the developer's latest name and tier. active_apps is per developer (every tier's days): the
-- distinct keys the developer owned in app_daily over the range.
SELECT
    as_of,
    window_days,
    user_id,
    user_tier,
    last_day,
    username AS user_github_username,
    $range_columns,
    models_max_per_day,
    active_apps
FROM
(
    SELECT
        as_of,
        user_id,
        user_tier,
        max(day) AS last_day,
        argMax(user_github_username, day) AS username,
        $range_arrays,
        $models_max_per_range AS models_max_per_range
    FROM (SELECT *, $as_of_fanout AS as_of FROM $user_daily WHERE $lookback_rows)
    GROUP BY as_of, user_id, user_tier
) AS per_tier
LEFT JOIN
(
    SELECT
        as_of,
        user_id,
        $active_apps_per_range AS active_apps_per_range
    FROM (SELECT user_id, day, api_key_id, $as_of_fanout AS as_of FROM $app_daily WHERE $lookback_rows)
    GROUP BY as_of, user_id
) AS per_developer USING (as_of, user_id)
$range_join,
    models_max_per_range AS models_max_per_day,
    $active_apps
WHERE active_days > 0
