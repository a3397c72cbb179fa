-- Synthetic app_category_map (synthetic.py): the APPS.md map as loaded once, at the end of the
-- range: two apps in three of every account but ROUTER, under the events' app names, each in a
-- category and on a platform; half looked up by the app's host (the events name some secret
-- keys <app>.app; a name's first app only, so a hostname names one app), each account's first
-- app also by its owner's GitHub id (one app per id).
INSERT INTO ${database}.app_category_map
(app, category, platform, hostname, github_user_id, loaded_at)
WITH $population
SELECT
    app_name,
    ['image', 'chat', 'writing', 'games', 'build'][1 + cityHash64(app_h, 'category') % 5],
    ['web', 'discord', 'telegram', 'api', 'android'][1 + cityHash64(app_h, 'platform') % 5],
    if(first_of_name AND cityHash64(app_h, 'host') % 2 = 0, concat(app_name, '.app'), '')
        AS hostname,
    if(app_number = 0, github_id, '') AS github_user_id,
    {first_day_start:DateTime('UTC')} + toIntervalDay({days:UInt32} - 1)
        + toIntervalMinute(23 * 60 + 55) AS loaded_at
FROM
(
    SELECT
        *,
        row_number() OVER (PARTITION BY app_name ORDER BY user_rank, app_number) = 1
            AS first_of_name
    FROM
    (
        SELECT
            *,
            false AS is_byop,
            cityHash64(hu, 'app', app_index) AS app_h,
            $app_columns,
            app_index AS app_number  -- SELECT * above does not carry an ARRAY JOIN's alias
        FROM $users
        ARRAY JOIN arrayMap(i -> toUInt64(i), range(1 + hu % 3)) AS app_index
        WHERE NOT is_router
    )
)
WHERE cityHash64(app_h, 'apps-md') % 3 != 0
