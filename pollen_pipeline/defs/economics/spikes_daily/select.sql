-- Spikes per as_of from the *_windows tables of the same as_of. The system is the sum over
-- developers (ROUTER is out of economics). Entities idle for the last 30 days are left out.
SELECT
    as_of,
    entity_type,
    entity_id,
    entity_name,
    day_pollen AS pollen_1d,
    week_pollen / 7 AS avg_daily_7d,
    month_pollen / 30 AS avg_daily_30d,
    pollen_1d / nullIf(avg_daily_7d, 0) AS ratio_7d,
    pollen_1d / nullIf(avg_daily_30d, 0) AS ratio_30d,
    day_paid AS paid_1d,
    day_free AS free_1d,
    $is_spike AS is_spike
FROM
(
    SELECT
        as_of, 'system' AS entity_type, 'system' AS entity_id, 'all developers' AS entity_name,
        sum(total_1d) AS day_pollen, sum(total_7d) AS week_pollen, sum(total_30d) AS month_pollen,
        sum(pack_1d) AS day_paid, sum(tier_1d) AS day_free
    FROM $user_windows
    WHERE $as_of_in_run
    GROUP BY as_of
    HAVING month_pollen > 0
    UNION ALL
    SELECT as_of, 'user', user_id, user_github_username,
        total_1d, total_7d, total_30d, pack_1d, tier_1d
    FROM $user_windows
    WHERE $as_of_in_run AND total_30d > 0
    UNION ALL
    SELECT as_of, 'app', app_id, api_key_name,
        total_1d, total_7d, total_30d, pack_1d, tier_1d
    FROM $app_windows
    WHERE $as_of_in_run AND total_30d > 0
    UNION ALL
    SELECT as_of, 'model', toString(resolved_model_requested), toString(resolved_model_requested),
        total_1d, total_7d, total_30d, pack_1d, tier_1d
    FROM $model_windows
    WHERE $as_of_in_run AND total_30d > 0
)
