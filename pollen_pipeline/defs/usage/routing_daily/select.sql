-- Per requested model x model actually used x provider x day: routing integrity (what was asked
-- for vs what served it, and what that cost).
SELECT
    toDate(hour) AS day,
    resolved_model_requested,
    model_used,
    model_provider_used,
    toUInt8(model_used != resolved_model_requested) AS is_rerouted,
    $meter_sums
FROM $event_facts_hourly
WHERE hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')} AND $economics_rows
GROUP BY day, resolved_model_requested, model_used, model_provider_used
