-- Per UTC day, Stripe mode, webhook type, status, payment method, the customer's country, the
-- amount and the pack's metadata: checkout webhooks. Only codes and amounts leave stripe_event
-- (never an e-mail, a user id or a payload).
CREATE TABLE IF NOT EXISTS ${database}.checkout_daily
(
    day Date,
    livemode UInt8,
    event_type LowCardinality(String),
    payment_status LowCardinality(String),
    payment_method LowCardinality(String),
    country LowCardinality(String),
    amount_cents Int32,
    pack_usd Int32,
    pack_pollen Float64,
    checkouts UInt64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, livemode, event_type, payment_status, payment_method, country, amount_cents,
    pack_usd, pack_pollen)
