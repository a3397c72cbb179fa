-- The developer-days of scoped_user_key_daily joined to every listing of the latest directory
-- sync before the run's end (Tinybird holds one sync, replaced daily): a developer with k
-- listings is k joined rows, as in the team's LEFT JOIN; one with none keeps one row, ''.
SELECT
    o.day AS day,
    o.is_router AS is_router,
    o.d1_banned AS d1_banned,
    d.category AS category,
    d.platform AS platform,
    o.legacy_byop AS legacy_byop,
    $meter_resums,
    uniqStateIf(o.user_github_id, o.user_github_id != '') AS users
FROM
(
    SELECT
        day, is_router, d1_banned, user_github_id, $legacy_byop AS legacy_byop,
        $meter_resums
    FROM $scoped_user_key_daily
    WHERE $days_in_run
    GROUP BY day, is_router, d1_banned, user_github_id, legacy_byop
) AS o
LEFT JOIN
(
    SELECT github_user_id, category, platform
    FROM $app_directory
    WHERE synced_at = (
        SELECT max(synced_at) FROM $app_directory WHERE synced_at < {end:DateTime('UTC')}
    )
) AS d ON o.user_github_id = d.github_user_id
GROUP BY day, is_router, d1_banned, category, platform, legacy_byop
