-- A daily snapshot's apps: each account's own apps and keys, as the events number them
-- (app_index 0 .. hu % 3, ROUTER one), never a BYOP app's temporary end-user keys.
(
    SELECT
        *,
        false AS is_byop,
        cityHash64(hu, 'app', app_index) AS app_h,
        $app_columns,
        app_index AS app_number
    FROM $snapshot_users
    ARRAY JOIN arrayMap(i -> toUInt64(i), range(if(is_router, 1, 1 + hu % 3))) AS app_index
)
