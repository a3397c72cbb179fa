-- A key's origin was classified in the facts scan (contract.RAW_KEY_ORIGIN_*); keys with none
-- are not BYOP and stay out.
SELECT
    day,
    key_origin,
    api_key_name AS app_name,
    api_key_type,
    uniqExact(user_id) AS users,
    uniqExact(api_key_id) AS keys,
    $meter_sums,
    toUInt8($key_columns) AS key_columns
FROM $event_facts_daily
WHERE $days_in_run
    AND $economics_rows AND key_origin IN {byop_key_origins:Array(String)}
GROUP BY day, key_origin, app_name, api_key_type
