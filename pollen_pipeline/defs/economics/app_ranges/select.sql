-- Per named app, for each as_of of the run: sums over 7/30/90 days of its named app_daily rows
-- (one array element per range, then one row per range), its name, type and owner on its latest
-- named day, and its distinct referrer domains over the range (every referrer_daily row of the
-- key, as the ranking joins them).
SELECT
    as_of,
    window_days,
    api_key_id,
    latest.1 AS api_key_name,
    latest.2 AS api_key_type,
    latest.3 AS user_github_username,
    latest.4 AS last_day,
    $range_columns,
    models_max_per_day,
    referrer_domains
FROM
(
    SELECT
        as_of,
        api_key_id,
        argMax((api_key_name, api_key_type, user_github_username, day), day) AS latest,
        $range_arrays,
        $models_max_per_range AS models_max_per_range
    FROM
    (
        SELECT *, $as_of_fanout AS as_of
        FROM $app_daily
        WHERE $lookback_rows AND is_named_app = 1
    )
    GROUP BY as_of, api_key_id
) AS named_apps
LEFT JOIN
(
    SELECT as_of, api_key_id, $referrer_domains_per_range AS referrer_domains_per_range
    FROM
    (
        SELECT api_key_id, day, referrer_domain, $as_of_fanout AS as_of
        FROM $referrer_daily
        WHERE $lookback_rows
    )
    GROUP BY as_of, api_key_id
) AS referrers USING (as_of, api_key_id)
$range_join,
    models_max_per_range AS models_max_per_day,
    $referrer_domains
WHERE active_days > 0
