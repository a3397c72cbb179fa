-- The team's first-party product events (product_event.datasource, SCHEMA > block): column for
-- column, type for type. pollen init creates it only when missing and never alters it. Monthly
-- partitions like the other event sources (theirs names none); no TTL: the store keeps what is
-- loaded (Tinybird drops rows after 24 months). Ids only: user_id is D1's, flow_id a per-tab or
-- device-code row id, client_id a public app key.
CREATE TABLE IF NOT EXISTS ${database}.product_event
(
    timestamp DateTime64(3),
    event_id String,
    event LowCardinality(String),
    user_id String,
    environment LowCardinality(String),
    page LowCardinality(String) DEFAULT '',
    pack_key LowCardinality(String) DEFAULT '',
    flow_id String DEFAULT '',
    client_id String DEFAULT '',
    referrer_host String DEFAULT '',
    utm_source String DEFAULT '',
    utm_medium String DEFAULT '',
    utm_campaign String DEFAULT '',
    amount_usd Float64 DEFAULT 0
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(timestamp)
PRIMARY KEY (environment, timestamp)
ORDER BY (environment, timestamp, event, user_id)
