-- Usage per category: a key is its app owner's (its user's unless minted for a BYOP app), and
-- one matching no listing joins nothing (listed = 0, category ''). Then the listings per
-- category beside it, so a category listed but unused that day keeps its row. Inserts match
-- columns by name.
SELECT *
FROM
(
    SELECT
        k.day AS day,
        toUInt8(d.listed) AS in_directory,
        d.category AS category,
        uniqExactIf(d.app_key, d.listed = 1) AS apps_used,
        uniqExact(k.api_key_id) AS keys,
        $meter_resums,
        total_pollen - provider_cost AS margin_pollen
    FROM
    (
        -- a key minted for a BYOP app is its owner's (byop_key_daily), whoever pays through it
        SELECT a.*, if(b.owner_user_id != '', b.owner_user_id, a.user_id) AS app_owner,
            $key_app_key AS app_key
        FROM (SELECT * FROM $app_daily WHERE $days_in_run) AS a
        LEFT JOIN (SELECT * FROM $byop_key_daily WHERE $days_in_run) AS b
            ON a.day = b.day AND a.api_key_id = b.api_key_id
    ) AS k
    LEFT JOIN
    (
        SELECT day, owner_user_id, app_key, category, 1 AS listed
        FROM $directory_app_daily
        WHERE $days_in_run AND owner_user_id != ''
    ) AS d ON k.day = d.day AND k.app_owner = d.owner_user_id AND k.app_key = d.app_key
    GROUP BY day, in_directory, category
) AS used
FULL OUTER JOIN
(
    SELECT day, toUInt8(1) AS in_directory, category, count() AS apps_listed
    FROM $directory_app_daily
    WHERE $days_in_run
    GROUP BY day, category
) AS listed USING (day, in_directory, category)
