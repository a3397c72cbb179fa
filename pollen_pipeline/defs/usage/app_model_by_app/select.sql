-- app_model_daily's rows of the run's days, each counted for its app: a BYOP app's end-user
-- keys are one app, as in the app rankings. app_model_daily has no key type: app_daily's
-- end-user keys of the same days say which keys are end users' ($listed_app_id).
WITH enduser_keys AS (SELECT api_key_id FROM $app_daily WHERE $days_in_run AND $enduser_key)
SELECT
    day,
    $listed_app_id AS app_id,
    resolved_model_requested,
    $meter_resums
FROM $app_model_daily
WHERE $days_in_run
GROUP BY day, app_id, resolved_model_requested
