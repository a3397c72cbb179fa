-- Per hour and the team's classification (environment, traffic group, model, workload, funding
-- source, BYOP, community model, business stream): their generation_usage_hourly's measures, so
-- each of their current dashboards' scopes is a WHERE here. users and apps are uniq states, as
-- theirs: a range's users are uniqMerge(users), the number their panels show. v1_only = 1: the
-- cache hits and anonymous requests only v1 holds, which the team's summary (v2) does not count.
-- users and apps count requests'; users_with_attempts and apps_with_attempts, as the team's,
-- every v2 row's, v2's fallback attempts in their own row's classification (a row of only
-- attempts has no calls).
CREATE TABLE IF NOT EXISTS ${database}.usage_classified_hourly
(
    hour DateTime('UTC'),
    -- keys, calls and amounts as usage_classified_daily declares them too: defs/usage/rules.py
    $classified_key_columns,
    $classified_call_columns,
    users AggregateFunction(uniq, String),
    users_with_attempts AggregateFunction(uniq, String),
    apps AggregateFunction(uniqIf, String, UInt8),
    apps_with_attempts AggregateFunction(uniqIf, String, UInt8),
    $classified_amount_columns
)
ENGINE = MergeTree
PARTITION BY toDate(hour)
ORDER BY (hour, environment, traffic_group, funding_source, business_stream, model, workload)
