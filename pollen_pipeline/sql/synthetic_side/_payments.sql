-- Pack purchases that fund the events' pack use: a converted user buys its pack (pack_size
-- Pollen for as many dollars) a few minutes after midnight of the day its pack use starts,
-- before the day's grant runs out, and again every 14 days; about one other user in 20 opens
-- a checkout two days after signing up and abandons it.
(
    SELECT
        *,
        NOT converted AS abandoned,
        {first_day_start:DateTime('UTC')} + toIntervalSecond(
            86400 * purchase_day + 300 + cityHash64(hu, purchase_day, 'paid-at') % 900) AS paid_at,
        lower(hex(sipHash128(hu, purchase_day, 'payment'))) AS payment_id,
        toInt32(pack_size * 100) AS cents,
        if(cityHash64(hu, 'currency') % 5 = 0, 'eur', 'usd') AS currency_code
    FROM $users
    ARRAY JOIN arrayFilter(d -> d < {days:UInt32},
        multiIf(converted, range(toUInt64(pack_from_day), toUInt64(pack_from_day) + {days:UInt32}, 14),
                NOT is_router AND cityHash64(hu, 'abandon') % 20 = 0, [toUInt64(signup_day + 2)],
                CAST([], 'Array(UInt64)'))) AS purchase_day
)
