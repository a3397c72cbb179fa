-- Per requested model x tier x key type and day; the provider is the one that served the most
-- requests of the group.
SELECT
    day,
    resolved_model_requested,
    user_tier,
    api_key_type,
    argMax(model_provider_used, provider_requests) AS model_provider_used,
    sum(pack_pollen) AS pack_pollen,
    sum(tier_pollen) AS tier_pollen,
    sum(other_pollen) AS other_pollen,
    sum(total_pollen) AS total_pollen,
    sum(provider_cost) AS provider_cost,
    sum(requests) AS requests,
    sum(tokens) AS tokens,
    uniqExactMerge(users_state) AS users
FROM
(
    SELECT
        day,
        resolved_model_requested,
        user_tier,
        api_key_type,
        model_provider_used,
        $meter_sums,
        sum(events) AS provider_requests,
        uniqExactState(user_id) AS users_state
    FROM $event_facts_daily
    WHERE $days_in_run AND $economics_rows
    GROUP BY day, resolved_model_requested, user_tier, api_key_type, model_provider_used
)
GROUP BY day, resolved_model_requested, user_tier, api_key_type
