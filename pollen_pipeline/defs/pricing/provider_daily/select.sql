-- Cost is counted wherever the provider was called: failed requests and unbilled ones too.
SELECT
    day,
    model_provider_used,
    model_used,
    sum(events) AS requests,
    sumIf(events, filter_status = $label_non_2xx) AS failed_requests,
    sum(cost_sum) AS provider_cost,
    sum(price_sum) AS pollen_charged,
    sumIf(cost_sum, is_router = 1) AS router_cost,
    pollen_charged - provider_cost AS margin_pollen,
    sumIf(price_sum, $economics_rows AND meter_class = $label_pack) AS pack_pollen,
    sumIf(price_sum, $economics_rows AND meter_class = $label_tier) AS tier_pollen
FROM $event_facts_daily
WHERE $days_in_run
    AND filter_status != $label_non_production
GROUP BY day, model_provider_used, model_used
