-- Per UTC day of the window: Stripe's checkout webhooks by everything the legacy Stripe panels
-- filter or group on. The amount is a key because their pack mix buckets amount_cents itself (a
-- revenue is sum(amount_cents * checkouts)); pack_usd and pack_pollen are the payload's metadata
-- packAmount and packPollenGrant (0 when absent), from which their Pollen issued follows;
-- country is the customer's billing country code. Test-mode webhooks are kept (livemode): each
-- panel chooses.
SELECT
    toDate(timestamp, 'UTC') AS day,
    livemode,
    event_type,
    payment_status,
    payment_method,
    JSONExtractString(payload, 'data', 'object', 'customer_details', 'address', 'country') AS country,
    amount_cents,
    toInt32OrZero(JSONExtractString(payload, 'data', 'object', 'metadata', 'packAmount')) AS pack_usd,
    toFloat64OrZero(JSONExtractString(payload, 'data', 'object', 'metadata', 'packPollenGrant'))
        AS pack_pollen,
    count() AS checkouts
FROM $stripe_event
WHERE timestamp >= {start:DateTime('UTC')} AND timestamp < {end:DateTime('UTC')}
GROUP BY day, livemode, event_type, payment_status, payment_method, country, amount_cents,
    pack_usd, pack_pollen
