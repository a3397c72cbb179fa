-- Synthetic product_event (synthetic.py): what Enter records of the same accounts' visits (not
-- ROUTER's: a service account never browses). On about a third of its days (and its sign-up
-- day) an account views a few Enter pages, each view from a source of its own (a referring host,
-- a campaign tag, some with a link's markdown leftovers, or none); about half the accounts of a
-- day bring a signed-out visitor of Enter or pollinations.ai (one website visitor in five signed
-- in). Sign-ins: started and back from GitHub signed out, completed signed in, some retried,
-- left at GitHub or back without a session, a sign-up on the account's sign-up day. CLI device
-- flows: a code shown, approved in the browser (some twice, some never), the token collected
-- (some never), a third of them minutes before midnight so their stages fall on two days. Every payment (Stripe's and
-- Polar's) follows a view of the Pollen page and a checkout start minutes before it (often the
-- evening before), and some accounts start checkouts they never pay. Events outside the range
-- are left out. One event in 25 (one flow in 25) is from staging.
INSERT INTO ${database}.product_event
(timestamp, event_id, event, user_id, environment, page, flow_id, referrer_host, utm_source)
WITH $population,
    ['/', '/pollen', '/top-up', '/_dashboard/pollen', '/_dashboard/news', '/keys', '/docs',
     '/_dashboard'] AS enter_pages,
    ['/', '/models', '/apps', '/docs', '/play'] AS website_pages,
    ['/pollen', '/top-up', '/_dashboard/pollen'] AS pollen_pages,
    ['', '', 'pollinations.ai', 'www.pollinations.ai', 'github.com', 'www.google.com',
     'news.ycombinator.com'] AS referrers,
    ['', '', '', '', 'twitter', 'newsletter', 'github)', 'discord], launch', 'reddit thread']
        AS campaigns
SELECT
    at,
    UUIDNumToString(sipHash128({seed:UInt64}, h, kind, at)) AS id,
    kind,
    user,
    if(h % 25 = 0, 'staging', 'production') AS environment,
    page,
    flow,
    referrer,
    utm
FROM
(
    -- signed-in Enter views
    SELECT
        day_start + toIntervalMillisecond(cityHash64(hu, day_index, nth, 'view-at') % 86400000)
            AS at,
        'page_viewed' AS kind,
        uid AS user,
        enter_pages[1 + cityHash64(hu, day_index, nth, 'page') % length(enter_pages)] AS page,
        '' AS flow,
        referrers[1 + cityHash64(hu, day_index, nth, 'referrer') % length(referrers)] AS referrer,
        campaigns[1 + cityHash64(hu, day_index, nth, 'utm') % length(campaigns)] AS utm,
        cityHash64(hu, day_index, nth, 'view') AS h
    FROM $snapshot_users
    ARRAY JOIN range(1 + cityHash64(hu, day_index, 'views') % 4) AS nth
    WHERE NOT is_router AND (cityHash64(hu, day_index, 'visit') % 3 = 0 OR day_index = signup_day)
    UNION ALL
    -- signed-out visitors (a website visitor signed in now and then)
    SELECT
        day_start + toIntervalMillisecond(cityHash64(hu, day_index, 'anon-at') % 86400000),
        if(website, 'website_page_viewed', 'page_viewed'),
        if(website AND cityHash64(hu, day_index, 'anon-signed-in') % 5 = 0, uid, ''),
        if(website, website_pages[1 + cityHash64(hu, day_index, 'anon-page') % length(website_pages)],
           enter_pages[1 + cityHash64(hu, day_index, 'anon-page') % length(enter_pages)]),
        '',
        referrers[1 + cityHash64(hu, day_index, 'anon-referrer') % length(referrers)],
        campaigns[1 + cityHash64(hu, day_index, 'anon-utm') % length(campaigns)],
        cityHash64(hu, day_index, 'anon')
    FROM (SELECT *, cityHash64(hu, day_index, 'site') % 3 != 0 AS website FROM $snapshot_users)
    WHERE NOT is_router AND cityHash64(hu, day_index, 'anon') % 2 = 0
    UNION ALL
    -- sign-in and device-flow stages, each at its offset from the flow's start
    SELECT
        step.1 + toIntervalMillisecond(step.3),
        step.2,
        step.4,
        '',
        flow,
        '',
        '',
        cityHash64(hu, day_index, 'flow')  -- a flow's stages share their environment
    FROM
    (
        SELECT
            *,
            signed_up_in_range AND day_index = signup_day AS new_account,
            cityHash64(hu, day_index, 'sign-in') % 5 = 0 OR new_account AS signs_in,
            cityHash64(hu, day_index, 'device') % 6 = 0 AS uses_cli,
            if(new_account, signed_up_at - toIntervalSecond(30),
               day_start + toIntervalSecond(cityHash64(hu, day_index, 'sign-in-at') % 86000))
                AS sign_in_at,
            -- 0: left at GitHub, 1: back without a session (a new account always completes)
            if(new_account, 2, cityHash64(hu, day_index, 'sign-in-fate') % 8) AS sign_in_fate,
            lower(hex(sipHash128(hu, day_index, 'device'))) AS flow,
            -- a third of the device flows start in the last 15 minutes of the day
            day_start + toIntervalSecond(if(cityHash64(hu, day_index, 'late') % 3 = 0,
                85500 + cityHash64(hu, day_index, 'device-at') % 900,
                cityHash64(hu, day_index, 'device-at') % 80000)) AS code_at,
            60000 + cityHash64(hu, day_index, 'approve') % 840000 AS approve_ms,
            cityHash64(hu, day_index, 'cli-fate') % 12 AS cli_fate
        FROM $snapshot_users
        WHERE NOT is_router
    )
    -- (flow start, stage or '' for none, offset in ms, user id)
    ARRAY JOIN
        arrayFilter(s -> s.2 != '', arrayConcat(
            if(signs_in, [
                (toDateTime64(sign_in_at, 3, 'UTC'), 'sign_in_started', 0, ''),
                (toDateTime64(sign_in_at, 3, 'UTC'),
                 if(cityHash64(hu, day_index, 'retry') % 8 = 0, 'sign_in_started', ''), 9000, ''),
                (toDateTime64(sign_in_at, 3, 'UTC'),
                 if(sign_in_fate = 0, '', 'sign_in_returned'), 15000, ''),
                (toDateTime64(sign_in_at, 3, 'UTC'),
                 if(sign_in_fate < 2, '', 'sign_in_completed'), 16000, uid),
                (toDateTime64(sign_in_at, 3, 'UTC'), if(new_account, 'signup_completed', ''),
                 17000, uid)], []),
            if(uses_cli, [
                (toDateTime64(code_at, 3, 'UTC'), 'device_code_issued', 0, ''),
                (toDateTime64(code_at, 3, 'UTC'), if(cli_fate < 2, '', 'device_approved'),
                 approve_ms, uid),
                (toDateTime64(code_at, 3, 'UTC'), if(cli_fate = 2, 'device_approved', ''),
                 approve_ms + 30000, uid),
                (toDateTime64(code_at, 3, 'UTC'), if(cli_fate < 5, '', 'device_token_issued'),
                 approve_ms + 2000, '')], [])
        )) AS step
    UNION ALL
    -- a view of the Pollen page, then a checkout start: before each payment, and by some
    -- accounts that never pay
    SELECT
        started - toIntervalMillisecond(if(stage = 'checkout_started', 0, 20000)),
        stage,
        uid,
        if(stage = 'checkout_started', '',
           pollen_pages[1 + cityHash64(checkout, 'page') % length(pollen_pages)]),
        '',
        referrers[1 + cityHash64(checkout, 'referrer') % length(referrers)],
        campaigns[1 + cityHash64(checkout, 'utm') % length(campaigns)],
        cityHash64(checkout, stage)
    FROM
    (
        SELECT uid, payment_id AS checkout,
            toDateTime64(paid_at, 3, 'UTC')
                - toIntervalMillisecond(300000 + cityHash64(payment_id, 'start') % 2400000)
                AS started
        FROM $payments
        UNION ALL
        SELECT uid, toString(cityHash64(hu, day_index, 'unpaid')),
            day_start + toIntervalMillisecond(cityHash64(hu, day_index, 'unpaid-at') % 86400000)
        FROM $snapshot_users
        WHERE NOT is_router AND cityHash64(hu, day_index, 'unpaid') % 12 = 0
    )
    ARRAY JOIN ['page_viewed', 'checkout_started'] AS stage
)
WHERE at >= {first_day_start:DateTime('UTC')}
    AND at < {first_day_start:DateTime('UTC')} + toIntervalDay({days:UInt32})
