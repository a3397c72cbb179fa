-- Per app (contract.app_id: a developer key, or a BYOP app's temporary keys as one) and as_of,
-- from the 90 days of app_daily up to each as_of of the run; name, type and owner are the latest
-- seen (no owner for a BYOP app: its keys are its end users').
WITH daily AS (
    SELECT *, $app_id AS app_id, $app_owner_id AS app_owner_id, $app_developer AS app_developer
    FROM $app_daily
    WHERE $lookback_rows
)
SELECT
    as_of,
    app_id,
    key_name AS api_key_name,
    key_type AS api_key_type,
    named AS is_named_app,
    owner_id AS user_id,
    owner_username AS user_github_username,
    $window_columns,
    $paid_share_30d AS paid_share_30d,
    $momentum AS momentum
FROM ($windows)
