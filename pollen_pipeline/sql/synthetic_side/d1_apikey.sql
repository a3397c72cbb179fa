-- Synthetic d1_apikey (synthetic.py): one snapshot a day, at 23:50 UTC, of every account's own
-- keys, with the events' key ids, types and app names (key names are the app names).
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
