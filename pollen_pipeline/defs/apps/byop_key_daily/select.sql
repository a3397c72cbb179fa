-- The day's last snapshot only (a day synced twice counts once); keys without a client id are
-- the developers' own keys, not minted for an app. A key listed twice in one snapshot is one.
SELECT
    toDate(synced_at, 'UTC') AS day,
    id AS api_key_id,
    any(JSONExtractString(ifNull(metadata, ''), 'clientId')) AS client_id,
    any(JSONExtractString(ifNull(metadata, ''), 'createdForUserId')) AS owner_user_id
FROM $d1_apikey
WHERE synced_at IN (
    SELECT max(synced_at) FROM $d1_apikey
    WHERE synced_at >= {start:DateTime('UTC')} AND synced_at < {end:DateTime('UTC')}
    GROUP BY toDate(synced_at, 'UTC')
)
    AND JSONExtractString(ifNull(metadata, ''), 'clientId') NOT IN ('', 'undefined')
GROUP BY day, api_key_id
