-- Synthetic stripe_event (synthetic.py): the pack purchases from 2025-12-01 on (Polar's before),
-- as Stripe checkout webhooks with their payload.
INSERT INTO ${database}.stripe_event
(
    timestamp, event_type, event_id, session_id, user_id, amount_cents, currency,
    payment_status, payment_method, customer_email, livemode, payload
)
WITH $population
SELECT
    paid_at,
    if(abandoned, 'checkout.session.expired', 'checkout.session.completed') AS event_kind,
    concat('evt_', substring(payment_id, 1, 24)) AS webhook_id,
    concat('cs_live_', substring(payment_id, 9, 24)) AS session,
    uid,
    cents,
    currency_code,
    if(abandoned, 'unpaid', 'paid') AS status,
    if(abandoned, '', 'card') AS method,
    email,
    toUInt8(1) AS livemode,
    toJSONString(CAST(
        (session, 'checkout.session', cents, currency_code, tuple(email), status, tuple(uid)),
        'Tuple(id String, object String, amount_total Int32, currency String, customer_details Tuple(email String), payment_status String, metadata Tuple(userId String))'
    )) AS payload
FROM $payments
WHERE paid_at >= toDateTime('2025-12-01 00:00:00', 'UTC')
