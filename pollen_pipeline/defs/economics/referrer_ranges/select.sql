-- Per referrer domain, for each as_of of the run: the domain's apps (contract.app_id: a
-- developer key, or a BYOP app's temporary keys as one) with their sums over 7/30/90 days of
-- referrer_daily and their latest name (rules.py: APP_OF_DOMAIN, one row per app and range),
-- then per domain and range their sums, how many apps and the app with the most Pollen. On long
-- runs (defs.yaml) running sums instead of a fan-out.
WITH
    -- for $listed_app_id (contract.LISTED_APP_ID): referrer_daily has no key type
    enduser_keys AS (SELECT api_key_id FROM $app_daily WHERE $lookback_rows AND $enduser_key),
    daily AS (
        SELECT *, $listed_app_id AS app_id
        FROM $referrer_daily
        WHERE $lookback_rows
    )
SELECT
    as_of,
    window_days,
    referrer_domain,
    $summed_range_columns,
    count() AS apps,
    argMax(app_name, app_pollen) AS top_app
FROM ($ranges)
$ranges_join,
    -- the app's Pollen under its own name: total_pollen is the domain's sum in this SELECT
    $app_pollen AS app_pollen
WHERE active_days > 0
GROUP BY as_of, window_days, referrer_domain
