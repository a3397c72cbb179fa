-- Per requested model x model actually used x provider x day: routing integrity (what was asked
-- for vs what served it, and what that cost).
SELECT
    day,
    resolved_model_requested,
    model_used,
    model_provider_used,
    toUInt8(model_used != resolved_model_requested) AS is_rerouted,
    $meter_sums
FROM $event_facts_daily
WHERE $days_in_run AND $economics_rows
GROUP BY day, resolved_model_requested, model_used, model_provider_used
