-- Per UTC day, the requests of every environment and status with the dimensions the team's
-- legacy dashboards filter on, so each of their scopes is a WHERE here (contract.py names them:
-- TEAM_LEGACY_*): the exact meter slug (v1:meter:* apart from local:*), is_billed_usage, the
-- exact status, priced (total_price > 0), inside the meter:combined bug window, ROUTER, D1's
-- banned accounts by GitHub username (any snapshot: d1_banned, decided when the day is built,
-- so a later ban needs the days re-materialized), and the event's own tier, key type and
-- requested model. users is a uniq state of GitHub usernames, as their panels count users.
CREATE TABLE IF NOT EXISTS ${database}.scoped_usage_daily
(
    day Date,
    environment LowCardinality(String),
    selected_meter_slug LowCardinality(String),
    is_billed_usage UInt8,
    response_status UInt32,
    is_priced UInt8,
    in_bug_window UInt8,
    is_router UInt8,
    d1_banned UInt8,
    user_tier LowCardinality(String),
    api_key_type LowCardinality(String),
    resolved_model_requested LowCardinality(String),
    requests UInt64,
    total_pollen Float64,
    provider_cost Float64,
    users AggregateFunction(uniq, String)
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, environment, selected_meter_slug, is_billed_usage, response_status, user_tier,
    resolved_model_requested)
