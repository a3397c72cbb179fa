-- A key's user (app_daily.user_id) is who pays; the owner is whom the app belongs to: users
-- other than the owner are the app's external users (the team's byop_app_payer_daily split).
SELECT
    k.day AS day,
    b.client_id AS client_id,
    b.owner_user_id AS owner_user_id,
    uniqExact(k.api_key_id) AS keys,
    uniqExact(k.user_id) AS users,
    uniqExactIf(k.user_id, k.user_id != b.owner_user_id) AS external_users,
    sumIf(k.total_pollen, k.user_id != b.owner_user_id) AS external_pollen,
    $meter_resums
FROM (SELECT * FROM $app_daily WHERE $days_in_run) AS k
INNER JOIN (SELECT * FROM $byop_key_daily WHERE $days_in_run) AS b
    ON k.day = b.day AND k.api_key_id = b.api_key_id
GROUP BY day, client_id, owner_user_id
