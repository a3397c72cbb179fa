-- Per UTC day, provider, webhook type, status and currency: packs sold. Only counts and amounts
-- leave stripe_event and polar_event (never an e-mail or a payload).
CREATE TABLE IF NOT EXISTS pollen.payments_daily ON CLUSTER pollen_cluster
(
    day Date,
    provider LowCardinality(String),
    event_type LowCardinality(String),
    status LowCardinality(String),
    currency LowCardinality(String),
    payments UInt64,
    payers UInt64,
    amount Float64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/payments_daily', '{replica}')
PARTITION BY day
ORDER BY (day, provider, event_type, status, currency)
