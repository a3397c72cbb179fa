-- Every snapshot of the day, not only its last: the legacy app-leaderboard panels match event key
-- names against every d1_apikey row they hold. keys counts the rows (a key synced twice in a
-- day twice); a key without a name matches no name and is left out.
SELECT
    toDate(synced_at, 'UTC') AS day,
    cityHash64(assumeNotNull(name)) AS name_hash,
    user_id,
    count() AS keys
FROM $d1_apikey
WHERE synced_at >= {start:DateTime('UTC')} AND synced_at < {end:DateTime('UTC')}
    AND name IS NOT NULL
GROUP BY day, name_hash, user_id
