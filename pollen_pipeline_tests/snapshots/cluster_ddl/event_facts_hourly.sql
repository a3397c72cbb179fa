-- The one scan of raw events: every event of an hour lands here at the finest grain any summary
-- needs, tagged with the contract filter that removed it ('ok' when none did). Every other
-- table rolls up from this one, so raw events are read once per hour of data.
CREATE TABLE IF NOT EXISTS pollen.event_facts_hourly ON CLUSTER pollen_cluster
(
    hour DateTime('UTC'),
    filter_status LowCardinality(String),
    is_router UInt8,
    meter_class LowCardinality(String),
    selected_meter_slug LowCardinality(String),
    user_id String,
    user_tier LowCardinality(String),
    api_key_id String,
    api_key_type LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    model_used LowCardinality(String),
    model_provider_used LowCardinality(String),
    referrer_domain LowCardinality(String),
    request_path LowCardinality(String),
    user_github_id String,
    user_github_username String,
    api_key_name String,
    events UInt64,
    billed_events UInt64,
    cache_hit_events UInt64,
    price_sum Float64,
    cost_sum Float64,
    token_sum UInt64,
    implied_free_sum Float64,
    first_event_at DateTime('UTC'),
    last_event_at DateTime('UTC')
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/event_facts_hourly', '{replica}')
PARTITION BY toDate(hour)
ORDER BY (hour, filter_status, user_id, api_key_id, resolved_model_requested)
