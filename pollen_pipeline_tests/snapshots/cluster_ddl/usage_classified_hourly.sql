-- Per hour and the team's classification (environment, traffic group, model, workload, funding
-- source, BYOP, community model, business stream): their generation_usage_hourly's measures, so
-- each of their current dashboards' scopes is a WHERE here. users and apps are uniq states, as
-- theirs: a range's users are uniqMerge(users), the number their panels show. v1_only = 1: the
-- cache hits and anonymous requests only v1 holds, which the team's summary (v2) does not count.
-- users and apps count requests'; users_with_attempts and apps_with_attempts, as the team's,
-- every v2 row's, v2's fallback attempts in their own row's classification (a row of only
-- attempts has no calls).
CREATE TABLE IF NOT EXISTS pollen.usage_classified_hourly ON CLUSTER pollen_cluster
(
    hour DateTime('UTC'),
    -- keys, calls and amounts as usage_classified_daily declares them too: defs/usage/rules.py
    environment LowCardinality(String),
    traffic_group LowCardinality(String),
    model LowCardinality(String),
    workload LowCardinality(String),
    funding_source LowCardinality(String),
    is_byop UInt8,
    is_community UInt8,
    business_stream LowCardinality(String),
    v1_only UInt8,
    all_calls UInt64,
    successful_calls UInt64,
    billed_calls UInt64,
    users AggregateFunction(uniq, String),
    users_with_attempts AggregateFunction(uniq, String),
    apps AggregateFunction(uniqIf, String, UInt8),
    apps_with_attempts AggregateFunction(uniqIf, String, UInt8),
    total_pollen Float64,
    gross_consumption Float64,
    byop_reward Float64,
    community_reward Float64,
    prompt_text_tokens UInt64,
    prompt_cached_tokens UInt64,
    prompt_cache_write_tokens UInt64,
    completion_text_tokens UInt64,
    completion_reasoning_tokens UInt64,
    prompt_image_tokens UInt64,
    completion_image_tokens UInt64,
    completion_video_tokens UInt64,
    prompt_audio_seconds Float64,
    completion_audio_seconds Float64,
    completion_video_seconds Float64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/usage_classified_hourly', '{replica}')
PARTITION BY toDate(hour)
ORDER BY (hour, environment, traffic_group, funding_source, business_stream, model, workload)
