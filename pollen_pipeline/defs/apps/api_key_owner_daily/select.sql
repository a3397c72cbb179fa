-- The day's last snapshot only (a day synced twice counts once, as in byop_key_daily). Every key,
-- not only the apps' parent keys: any key id an event names as its client id joins its row, as
-- theirs. A key listed twice with one owner is one row; with two owners, two (theirs joins both).
SELECT
    toDate(synced_at, 'UTC') AS day,
    id AS api_key_id,
    user_id
FROM $d1_apikey
WHERE synced_at IN (
    SELECT max(synced_at) FROM $d1_apikey
    WHERE synced_at >= {start:DateTime('UTC')} AND synced_at < {end:DateTime('UTC')}
    GROUP BY toDate(synced_at, 'UTC')
)
GROUP BY day, api_key_id, user_id
