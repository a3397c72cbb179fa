-- Per UTC day, provider, webhook type, status and currency of the window: payments, paying
-- users, and the amount in the currency's units. Stripe: live-mode webhooks only (test-mode
-- checkouts are no sales), amount_cents. Polar: its columns carry no amount, so it is the
-- order's data.total_amount (cents), data.currency and data.status of the payload.
SELECT
    day,
    provider,
    event_type,
    status,
    currency,
    count() AS payments,
    uniqExact(user_id) AS payers,
    sum(cents) / 100 AS amount
FROM
(
    SELECT
        toDate(timestamp, 'UTC') AS day,
        'stripe' AS provider,
        toString(event_type) AS event_type,
        toString(payment_status) AS status,
        lower(toString(currency)) AS currency,
        user_id,
        toInt64(amount_cents) AS cents
    FROM $stripe_event
    WHERE livemode = 1
        AND timestamp >= {start:DateTime('UTC')} AND timestamp < {end:DateTime('UTC')}
    UNION ALL
    SELECT
        toDate(timestamp, 'UTC'),
        'polar',
        toString(event_type),
        JSONExtractString(payload, 'data', 'status'),
        lower(JSONExtractString(payload, 'data', 'currency')),
        user_id,
        JSONExtractInt(payload, 'data', 'total_amount')
    FROM $polar_event
    WHERE timestamp >= {start:DateTime('UTC')} AND timestamp < {end:DateTime('UTC')}
)
GROUP BY day, provider, event_type, status, currency
