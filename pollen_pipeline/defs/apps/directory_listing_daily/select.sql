-- The latest directory sync before the run's end (Tinybird holds one sync, replaced daily),
-- its listings counted once per owner, category and platform, then stamped on each day of the
-- run: every listing, used or not, as their panels count the live table.
SELECT day, owner_key, category, platform, listings
FROM
(
    SELECT $listing_owner_key AS owner_key, d.category AS category, d.platform AS platform,
        count() AS listings
    FROM $app_directory AS d
    WHERE d.synced_at = (
        SELECT max(synced_at) FROM $app_directory WHERE synced_at < {end:DateTime('UTC')}
    )
    GROUP BY owner_key, category, platform
)
ARRAY JOIN $run_days AS day
