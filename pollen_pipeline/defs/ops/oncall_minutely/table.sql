-- The on-call minute of the team's legacy errors, platform-load and overview dashboards: per UTC
-- minute, environment (every one, not production only), event type, exact status, provider,
-- model used and requested model, over every raw event. request_ids is an exact distinct state
-- (uniqExact, what their count(DISTINCT request_id) is), so distinct requests stay exact over
-- any grouping of these rows; first_start and last_start keep the seconds their "per second of
-- data" panels divide by. Statuses are kept apart, so 403 in or out is a WHERE.
CREATE TABLE IF NOT EXISTS ${database}.oncall_minutely
(
    minute DateTime('UTC'),
    environment LowCardinality(String),
    event_type LowCardinality(String),
    response_status UInt32,
    model_provider_used LowCardinality(String),
    model_used LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    requests UInt64,
    request_ids AggregateFunction(uniqExact, String),
    first_start DateTime('UTC'),
    last_start DateTime('UTC'),
    cache_hits UInt64,
    tokens_in UInt64,  -- the four prompt token counts added
    tokens_out UInt64,  -- the four completion token counts added
    timed_requests UInt64,  -- end_time after start_time
    duration_ms_sum UInt64,  -- end_time - start_time of the timed requests, ms
    provider_cost Float64,
    total_pollen Float64
)
ENGINE = MergeTree
PARTITION BY toDate(minute)
ORDER BY (minute, environment, event_type, response_status, model_provider_used, model_used,
    resolved_model_requested)
