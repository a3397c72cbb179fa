-- What each contract filter removed per day, in the seed's filter order.
SELECT
    day,
    sum(events) AS raw_events,
    sum(price_sum) AS raw_pollen,
    sumIf(events, filter_status != $label_non_production) AS production_events,
    sumIf(events, filter_status = $label_non_2xx) AS non_2xx_events,
    sumIf(price_sum, filter_status = $label_non_2xx) AS non_2xx_pollen,
    sumIf(events, filter_status = $label_zero_price) AS zero_price_events,
    sumIf(events, filter_status = $label_bug_window) AS bug_window_events,
    sumIf(price_sum, filter_status = $label_bug_window) AS bug_window_pollen,
    sumIf(events, $usage_rows) AS passed_events,
    sumIf(price_sum, $usage_rows) AS passed_pollen,
    sumIf(events, $usage_rows AND is_router = 1) AS router_events,
    sumIf(price_sum, $usage_rows AND is_router = 1) AS router_pollen,
    sumIf(events, $economics_rows AND meter_class = $label_other) AS other_meter_events,
    sumIf(price_sum, $economics_rows AND meter_class = $label_other) AS other_meter_pollen,
    sumIf(events, $economics_rows AND NOT $is_named_app) AS unnamed_app_events,
    sumIf(price_sum, $economics_rows AND NOT $is_named_app) AS unnamed_app_pollen,
    sumIf(events, $economics_rows) AS economics_events,
    sumIf(price_sum, $economics_rows) AS economics_pollen
FROM $event_facts_daily
WHERE day >= toDate({start:DateTime('UTC')}, 'UTC') AND day < toDate({end:DateTime('UTC')}, 'UTC')
GROUP BY day
