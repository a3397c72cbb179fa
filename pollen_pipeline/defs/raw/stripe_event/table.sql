-- The team's Stripe checkout webhooks (stripe_event.datasource, SCHEMA > block): column for
-- column, type for type. pollen init creates it only when missing and never alters it.
-- Personal data (customer_email, payload: the whole webhook) stays here.
CREATE TABLE IF NOT EXISTS ${database}.stripe_event
(
    timestamp DateTime DEFAULT now(),
    event_type LowCardinality(String) DEFAULT '',
    event_id String DEFAULT '',
    session_id String DEFAULT '',
    user_id String DEFAULT '',
    amount_cents Int32 DEFAULT 0,
    currency LowCardinality(String) DEFAULT '',
    payment_status LowCardinality(String) DEFAULT '',
    payment_method LowCardinality(String) DEFAULT '',
    customer_email String DEFAULT '',
    livemode UInt8 DEFAULT 0,
    payload String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(timestamp)
PRIMARY KEY (timestamp, event_type)
ORDER BY (timestamp, event_type, user_id)
