-- The one wide scan of raw events: every event of a UTC day lands here at the finest grain any
-- daily summary needs, tagged with the contract filter that removed it ('ok' when none did).
-- The daily tables roll up from this one, so raw events are read once per day of data. A day
-- scanned in several queries (over max_events_per_query) holds a group once per query:
-- every reader aggregates (sum, min, max, argMax), so that changes no number.
CREATE TABLE IF NOT EXISTS ${database}.event_facts_daily
(
    day Date,
    filter_status LowCardinality(String),
    -- every environment apart (filter_status folds them into one): the team's scopes keep two
    environment LowCardinality(String),
    is_router UInt8,
    meter_class LowCardinality(String),
    user_id String,
    user_tier LowCardinality(String),
    api_key_id String,
    api_key_type LowCardinality(String),
    key_origin LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    model_used LowCardinality(String),
    model_provider_used LowCardinality(String),
    referrer_domain LowCardinality(String),
    request_path LowCardinality(String),
    -- the team's classification (contract.RAW_TRAFFIC_GROUP ...): their scopes are WHEREs here
    traffic_group LowCardinality(String),
    funding_source LowCardinality(String),
    workload LowCardinality(String),
    is_byop UInt8,
    is_community UInt8,
    v1_only UInt8,  -- cache hits and anonymous requests: v1 holds them, v2 (the team's) does not
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
    last_event_at DateTime('UTC'),
    -- the team's observed balances: the group's last successful billed event (0 and 1970 if none)
    observed_events UInt64,
    observed_at DateTime('UTC'),
    observed_quest_balance Float64,
    observed_paid_balance Float64,
    -- the legacy tier-simulation rows (billed, 2xx, slug v1:meter:tier), of any environment:
    -- filter_status and meter_class alone cannot pick them out
    legacy_tier_events UInt64,
    legacy_tier_pollen Float64
)
ENGINE = MergeTree
PARTITION BY day
-- Readers scan whole days: a short sort key keeps the scan's insert cheap (measured ~1 s of a
-- 5M-event day against the five-column key).
ORDER BY (day, filter_status)
