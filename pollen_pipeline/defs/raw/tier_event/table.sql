-- The team's tier events: refills, tier changes, registrations (tier_event.datasource, SCHEMA >
-- block): column for column, type for type. pollen init creates it only when missing and never
-- alters it. Ids only, no personal data.
CREATE TABLE IF NOT EXISTS ${database}.tier_event
(
    event_type String,
    environment LowCardinality(String) DEFAULT 'undefined',
    user_id Nullable(String),
    tier Nullable(String),
    pollen_amount Nullable(Int32),
    previous_balance Nullable(Float64),
    user_count Nullable(Int32),
    timestamp DateTime
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (timestamp, environment, event_type)
