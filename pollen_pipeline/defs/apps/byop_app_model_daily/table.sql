-- Per UTC day, BYOP app (client id, its name) and owner x model x community x funding source,
-- every environment and traffic group a dimension (the team's scope is a WHERE): the team's
-- byop_app_daily. users_with_attempts is a uniq state over every v2 row, fallback attempts
-- included, as theirs: a range's users are uniqMerge, the number their panel shows.
CREATE TABLE IF NOT EXISTS ${database}.byop_app_model_daily
(
    day Date,
    environment LowCardinality(String),
    traffic_group LowCardinality(String),
    v1_only UInt8,
    client_id String,
    app_name String,
    owner_user_id String,
    model LowCardinality(String),
    is_community UInt8,
    funding_source LowCardinality(String),
    all_calls UInt64,
    successful_calls UInt64,
    billed_calls UInt64,
    users_with_attempts AggregateFunction(uniq, String),
    gross_consumption Float64,
    byop_reward Float64,
    community_reward Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, environment, traffic_group, client_id, owner_user_id, model)
