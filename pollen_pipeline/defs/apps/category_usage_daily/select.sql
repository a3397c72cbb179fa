-- The rows of scoped_user_key_daily in the category and platform the latest APPS.md map gives
-- them, looked up as the team's category-economics looks them up: a secret key named like a
-- host by its name alone (a hostname the map lacks is '', the owner's GitHub id is not tried),
-- any other key by the owner's GitHub id; the platform by GitHub id whatever the key. A key the
-- map lists twice takes its smallest category (the check names it): a join row per listing
-- would count its requests twice.
WITH apps_md AS (
    SELECT * FROM $app_category_map
    WHERE loaded_at = (SELECT max(loaded_at) FROM $app_category_map)
)
SELECT
    c.day AS day,
    c.is_router AS is_router,
    c.category AS category,
    c.platform AS platform,
    $meter_resums,
    uniqExactState(c.user_github_id) AS users,
    any(a.apps) AS apps
FROM
(
    SELECT
        o.*,
        if(o.api_key_type = 'secret' AND o.api_key_name LIKE '%.%', h.host_category,
            tupleElement(g.listed, 1)) AS category,
        tupleElement(g.listed, 2) AS platform
    FROM (SELECT * FROM $scoped_user_key_daily WHERE $days_in_run) AS o
    LEFT JOIN
    (
        SELECT hostname, min(category) AS host_category
        FROM apps_md
        WHERE hostname != ''
        GROUP BY hostname
    ) AS h ON o.api_key_name = h.hostname
    LEFT JOIN
    (
        SELECT github_user_id, min((category, platform)) AS listed
        FROM apps_md
        WHERE github_user_id != ''
        GROUP BY github_user_id
    ) AS g ON o.user_github_id = g.github_user_id
) AS c
LEFT JOIN
(
    SELECT category, count() AS apps
    FROM apps_md
    GROUP BY category
) AS a ON c.category = a.category
GROUP BY day, is_router, category, platform
