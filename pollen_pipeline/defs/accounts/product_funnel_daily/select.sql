-- Per UTC day of the window: product_event's rows by environment, event, page, the visit's
-- source and the account (user_id, '' when signed out), origin 'product_event'; and the
-- accounts of the day's paid Stripe checkouts (rules.py), origin 'paid_checkout', so a range's
-- payers are its paid_checkout rows whatever day their checkout started. What the Websites
-- dashboard's first-party panels group on or count distinct: views per page and site, each
-- account's first view of a range (first_at, to the millisecond) and its source, sign-in stages
-- (events), device flows (flows: uniq states of flow_id, which merge to their uniq over any
-- days; the ids stay in product_event) and the purchase funnel's accounts. The source is the
-- campaign tag (utm_source, cut at a link's markdown leftovers: ) ] , or a space), else the
-- referring host, else 'direct'; via_website: referred by pollinations.ai;
-- after_last_whole_second: stamped after its day's 23:59:59.000, the rows a range ending that
-- day drops when it compares the millisecond timestamp with a `to` cut to whole seconds, as
-- their Grafana time filter does (contract.TEAM_PRODUCT_SCOPE). Stripe's timestamps are whole
-- seconds: never after it.
SELECT
    toDate(timestamp, 'UTC') AS day,
    'product_event' AS origin,
    environment,
    event,
    page,
    multiIf(utm_source != '', replaceRegexpOne(utm_source, '[)\\],\\s].*$$', ''),
            referrer_host != '', referrer_host,
            'direct') AS source,
    toBool(referrer_host IN ('pollinations.ai', 'www.pollinations.ai')) AS via_website,
    toBool(timestamp > toStartOfDay(timestamp, 'UTC') + INTERVAL 86399 SECOND)
        AS after_last_whole_second,
    user_id,
    count() AS events,
    min(timestamp) AS first_at,
    uniqState(flow_id) AS flows
FROM $product_event
WHERE timestamp >= {start:DateTime('UTC')} AND timestamp < {end:DateTime('UTC')}
GROUP BY day, environment, event, page, source, via_website, after_last_whole_second, user_id
UNION ALL
SELECT
    toDate(timestamp, 'UTC') AS day,
    'paid_checkout' AS origin,
    '' AS environment,
    event_type AS event,
    '' AS page,
    '' AS source,
    false AS via_website,
    false AS after_last_whole_second,
    user_id,
    count() AS events,
    toDateTime64(min(timestamp), 3, 'UTC') AS first_at,
    uniqState('') AS flows
FROM $stripe_event
WHERE livemode = 1 AND payment_status = {paid_checkout_status:String}
    AND event_type IN {paid_checkout_types:Array(String)}
    AND timestamp >= {start:DateTime('UTC')} AND timestamp < {end:DateTime('UTC')}
GROUP BY day, event_type, user_id
