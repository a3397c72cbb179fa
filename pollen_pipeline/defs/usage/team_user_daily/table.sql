-- Per UTC day, environment, traffic group and developer, over the rows v2 holds: what the team's
-- Users & Balances dashboard reads of generation_event_v2 per user. Their observed balance of a
-- day is the last successful billed event's balances['v1:meter:tier'] / ['v1:meter:pack'] over
-- their scope's rows: argMax(quest_balance, observed_at) over this table's rows in that scope.
-- Their first activity is min(first_event_at) over every day. Ids only.
CREATE TABLE IF NOT EXISTS ${database}.team_user_daily
(
    day Date,
    environment LowCardinality(String),
    traffic_group LowCardinality(String),
    user_id String,
    events UInt64,
    total_pollen Float64,
    first_event_at DateTime('UTC'),
    observed_events UInt64,  -- successful billed events: 0 when the day had none (no balance)
    observed_at DateTime('UTC'),
    quest_balance Float64,
    paid_balance Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, environment, traffic_group, user_id)
