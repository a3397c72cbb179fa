-- Per named app (contract.app_id: a developer key, or a BYOP app's temporary keys as one), for
-- each as_of of the run: sums over 7/30/90 days of its named app_daily rows, its name, type and
-- developer on its latest named day, the most models one of its keys used on a day (rules.py:
-- APP) and its distinct referrer domains over the range (REFERRERS), then one row per range.
-- On long runs (defs.yaml) both are running sums instead of a fan-out.
WITH
    daily AS (
        SELECT *, $app_id AS app_id, $app_developer AS app_developer
        FROM $app_daily
        WHERE $lookback_rows AND is_named_app = 1
    ),
    -- for $listed_app_id (contract.LISTED_APP_ID): referrer_daily has no key type
    enduser_keys AS (SELECT api_key_id FROM $app_daily WHERE $lookback_rows AND $enduser_key),
    referrers AS (
        SELECT day, referrer_domain, $listed_app_id AS app_id
        FROM $referrer_daily
        WHERE $lookback_rows
    )
SELECT
    as_of,
    window_days,
    app_id,
    key_name AS api_key_name,
    key_type AS api_key_type,
    owner_username AS user_github_username,
    last_named_day AS last_day,
    $range_columns,
    models_max_per_day,
    referrer_domains
FROM ($ranges) AS named_apps
LEFT JOIN
(
    SELECT as_of, app_id, $referrer_domain_columns FROM ($referrer_domains)
) AS domains USING (as_of, app_id)
$ranges_join
WHERE active_days > 0
