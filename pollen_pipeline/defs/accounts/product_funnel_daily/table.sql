-- Per UTC day, origin, environment, event, page, the visit's source, whether the event falls
-- after the day's last whole second (23:59:59.000) and the account: product events (their count,
-- the first one's moment and a uniq state of their flow ids) and the accounts of paid Stripe
-- checkouts. Ids only leave the raw tables: D1 user ids, never an e-mail, a payload or a flow id.
CREATE TABLE IF NOT EXISTS ${database}.product_funnel_daily
(
    day Date,
    origin LowCardinality(String),
    environment LowCardinality(String),
    event LowCardinality(String),
    page LowCardinality(String),
    source String,
    via_website Bool,
    after_last_whole_second Bool,
    user_id String,
    events UInt64,
    first_at DateTime64(3, 'UTC'),
    flows AggregateFunction(uniq, String)
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, origin, environment, event, page, source, via_website, after_last_whole_second, user_id)
