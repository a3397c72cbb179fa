-- The rows of a daily snapshot: every account signed up by a day, once per day of the range
-- (the same accounts the events of that day come from), with the day's start.
(
    SELECT
        *,
        toUInt32(day_number) AS day_index,
        {first_day_start:DateTime('UTC')} + toIntervalDay(day_index) AS day_start
    FROM $users
    ARRAY JOIN range({days:UInt32}) AS day_number
    WHERE signup_day <= day_index
)
