-- What each contract filter removed per day, in the seed's filter order, and the events that
-- repeat an event id already seen that day. Its own narrow scan of raw events (the wide facts
-- hold no event ids): the inner query names each raw event as a one-event facts row, so the
-- contract's fragments apply as they do to event_facts_daily.
SELECT
    day,
    count() AS raw_events,
    sum(price_sum) AS raw_pollen,
    countIf(filter_status != $label_non_production) AS production_events,
    countIf(filter_status = $label_non_2xx) AS non_2xx_events,
    sumIf(price_sum, filter_status = $label_non_2xx) AS non_2xx_pollen,
    countIf(filter_status = $label_zero_price) AS zero_price_events,
    countIf(filter_status = $label_bug_window) AS bug_window_events,
    sumIf(price_sum, filter_status = $label_bug_window) AS bug_window_pollen,
    countIf(filter_status = $label_excluded) AS excluded_events,
    sumIf(price_sum, filter_status = $label_excluded) AS excluded_pollen,
    countIf($usage_rows) AS passed_events,
    sumIf(price_sum, $usage_rows) AS passed_pollen,
    countIf($usage_rows AND is_router = 1) AS router_events,
    sumIf(price_sum, $usage_rows AND is_router = 1) AS router_pollen,
    countIf($economics_rows AND meter_class = $label_other) AS other_meter_events,
    sumIf(price_sum, $economics_rows AND meter_class = $label_other) AS other_meter_pollen,
    countIf($economics_rows AND NOT $is_named_app) AS unnamed_app_events,
    sumIf(price_sum, $economics_rows AND NOT $is_named_app) AS unnamed_app_pollen,
    countIf($economics_rows) AS economics_events,
    sumIf(price_sum, $economics_rows) AS economics_pollen,
    -- ids are unique per event: a repeat is a duplicate delivery ('' is no id). Distinct ids
    -- are counted by their 64-bit hash, 8 bytes each whatever the id's length: a day of 100M
    -- events holds under 1 GB, and two different ids collide with a chance of ~3e-4 a day.
    toUInt64(countIf(event_id != '') - uniqExactIf(sipHash64(event_id), event_id != ''))
        AS duplicate_event_ids
FROM
(
    SELECT
        toDate(start_time, 'UTC') AS day,
        event_id,
        api_key_name,
        $raw_filter_status AS filter_status,
        $raw_is_router AS is_router,
        $raw_meter_class AS meter_class,
        total_price AS price_sum
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
)
GROUP BY day
