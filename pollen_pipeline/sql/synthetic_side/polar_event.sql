-- Synthetic polar_event (synthetic.py): the pack purchases before 2025-12-01 (Stripe's after),
-- as Polar webhooks: paid orders, and abandoned checkouts; amounts only in the payload, as in
-- Polar's own (data.total_amount in cents, data.currency, data.status).
INSERT INTO ${database}.polar_event
(timestamp, event_type, user_id, customer_id, product_id, data_id, payload)
WITH $population
SELECT
    paid_at,
    if(abandoned, 'checkout.updated', 'order.paid') AS event_kind,
    uid,
    UUIDNumToString(sipHash128(hu, 'polar-customer')) AS customer,
    UUIDNumToString(sipHash128('polar-product', pack_size)) AS product,
    UUIDNumToString(sipHash128(payment_id, 'polar-order')) AS order_id,
    toJSONString(CAST(
        (event_kind, (order_id, cents, currency_code, if(abandoned, 'expired', 'paid'), product,
                tuple(email), tuple(uid))),
        'Tuple(type String, data Tuple(id String, total_amount Int32, currency String, status String, product_id String, customer Tuple(email String), metadata Tuple(userId String)))'
    )) AS payload
FROM $payments
WHERE paid_at < toDateTime('2025-12-01 00:00:00', 'UTC')
