-- Per developer and tier of the day, for each as_of of the run: sums over 7/30/90 days of
-- user_daily, the latest day and name in the tier, the most models on one day (rules.py:
-- DEVELOPER) and the developer's active apps over the range (ACTIVE_APPS, every tier's days),
-- then one row per range. On long runs (defs.yaml) both are running sums instead of a fan-out.
WITH
    daily AS (SELECT * FROM $user_daily WHERE $lookback_rows),
    keys AS (SELECT * FROM $app_daily WHERE $lookback_rows)
SELECT
    as_of,
    window_days,
    user_id,
    user_tier,
    last_tier_day AS last_day,
    username AS user_github_username,
    $range_columns,
    models_max_per_day,
    active_apps
FROM ($ranges) AS per_tier
LEFT JOIN
(
    SELECT as_of, user_id, $active_apps_columns FROM ($active_apps)
) AS per_developer USING (as_of, user_id)
$ranges_join
WHERE active_days > 0
