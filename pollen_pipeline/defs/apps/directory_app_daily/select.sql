-- Every listing the source holds (the store keeps every sync, Tinybird only the latest; synced_at
-- is not read because Tinybird has none), collapsed once, then stamped on each day of the run.
-- Owners are the D1 accounts of the listings' GitHub ids in the latest d1_user snapshot before
-- the run's end. An owner listing two apps of one name is one app, in its first category.
SELECT day, owner_user_id, app_key, category
FROM
(
    SELECT u.id AS owner_user_id, $listing_app_key AS app_key, min(d.category) AS category
    FROM $app_directory AS d
    LEFT JOIN
    (
        SELECT toString(github_id) AS github_user_id, any(id) AS id
        FROM $d1_user
        WHERE github_id IS NOT NULL
            AND synced_at = (
                SELECT max(synced_at) FROM $d1_user WHERE synced_at < {end:DateTime('UTC')}
            )
        GROUP BY github_user_id
    ) AS u ON d.github_user_id = u.github_user_id
    GROUP BY owner_user_id, app_key
)
ARRAY JOIN $run_days AS day
