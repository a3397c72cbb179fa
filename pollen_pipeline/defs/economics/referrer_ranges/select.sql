-- Per referrer domain, for each as_of of the run: the domain's apps (API keys) with their sums
-- over 7/30/90 days of referrer_daily and their latest name (one row per app and range), then
-- per domain and range their sums, how many apps and the app with the most Pollen.
SELECT
    as_of,
    window_days,
    referrer_domain,
    $summed_range_columns,
    count() AS apps,
    argMax(app_name, app_pollen) AS top_app
FROM
(
    SELECT
        as_of,
        referrer_domain,
        api_key_id,
        argMax(api_key_name, day) AS app_name,
        $range_arrays
    FROM (SELECT *, $as_of_fanout AS as_of FROM $referrer_daily WHERE $lookback_rows)
    GROUP BY as_of, referrer_domain, api_key_id
)
$range_join,
    -- the app's Pollen under its own name: total_pollen is the domain's sum in this SELECT
    total_pollen_per_range AS app_pollen
WHERE active_days > 0
GROUP BY as_of, window_days, referrer_domain
