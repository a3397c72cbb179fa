-- The team's Polar webhooks: payments, subscriptions, benefits (polar_event.datasource, SCHEMA >
-- block): column for column, type for type. pollen init creates it only when missing and never
-- alters it. Personal data (payload: the whole webhook; customer_id) stays here.
CREATE TABLE IF NOT EXISTS ${database}.polar_event
(
    timestamp DateTime DEFAULT now(),
    event_type LowCardinality(String) DEFAULT '',
    user_id String DEFAULT '',
    customer_id String DEFAULT '',
    product_id String DEFAULT '',
    data_id String DEFAULT '',
    payload String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(timestamp)
PRIMARY KEY (timestamp, event_type)
ORDER BY (timestamp, event_type, user_id)
