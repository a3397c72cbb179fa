-- Synthetic d1_apikey (synthetic.py): one snapshot a day, at 23:50 UTC, of every account's own
-- keys, with the events' key ids, types and app names (key names are the app names), and of the
-- BYOP end-user keys the v2 events name.
INSERT INTO ${database}.d1_apikey
(id, name, start, prefix, user_id, enabled, created_at, updated_at, metadata, synced_at)
WITH $population
SELECT
    key_id,
    if(is_router, 'pollen-router', app_name) AS key_name,
    substring(key_id, 1, 6) AS key_start,
    if(key_type = 'secret', 'sk_', 'pk_') AS key_prefix,
    uid,
    toUInt8(1) AS enabled,
    toUnixTimestamp(signed_up_at) + 3600 * app_number AS created,
    created AS updated,
    toJSONString(map('keyType', key_type, 'createdVia', 'dashboard', 'createdForApp', app_name))
        AS metadata,
    day_start + toIntervalMinute(23 * 60 + 50) AS synced_at
FROM $user_apps
UNION ALL
-- BYOP end-user keys, as the v2 events of the range name them (v1 does not carry a key's app
-- client id or developer): each in every snapshot taken after its first call, a
-- temporary key owned by its end user, its app's client id and developer in its metadata.
SELECT
    api_key_id,
    key_name,
    substring(api_key_id, 1, 6),
    'pk_',
    end_user_id,
    toUInt8(1),
    toUnixTimestamp(first_call),
    toUnixTimestamp(first_call),
    toJSONString(map('keyType', 'temporary', 'createdVia', 'redirect-auth',
                     'createdForApp', key_name, 'clientId', client_id,
                     'createdForUserId', developer_id)),
    synced_at
FROM
(
    SELECT
        api_key_id,
        any(api_key_name) AS key_name,
        any(user_id) AS end_user_id,
        any(api_key_client_id) AS client_id,
        any(api_key_created_for_user_id) AS developer_id,
        min(start_time) AS first_call
    FROM ${database}.generation_event_v2
    WHERE api_key_client_id NOT IN ('', 'undefined')
        AND start_time >= {first_day_start:DateTime('UTC')}
        AND start_time < {first_day_start:DateTime('UTC')} + toIntervalDay({days:UInt32})
    GROUP BY api_key_id
) AS byop_keys
ARRAY JOIN arrayMap(d -> {first_day_start:DateTime('UTC')} + toIntervalDay(d)
                         + toIntervalMinute(23 * 60 + 50), range({days:UInt32})) AS synced_at
WHERE synced_at > first_call
