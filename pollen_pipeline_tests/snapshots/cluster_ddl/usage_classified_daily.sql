-- Per UTC day and the team's classification: usage_classified_hourly's calls, Pollen, rewards
-- and usage summed (its uniq states of users and apps stay hourly). The workspace's call and
-- Pollen panels read it for the days a range covers whole (pollen_pipeline/dashboards/grafana.py:
-- hours_and_whole_days).
CREATE TABLE IF NOT EXISTS pollen.usage_classified_daily ON CLUSTER pollen_cluster
(
    day Date,
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
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/usage_classified_daily', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (day, environment, traffic_group, funding_source, business_stream, model, workload)
