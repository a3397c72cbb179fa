-- load_minutely's rows of the run's months summed per minute (an outer query names the sums:
-- the image count reads the requests column, which an aggregate alias would shadow).
SELECT
    minute,
    minute_requests AS requests,
    minute_tokens AS tokens,
    minute_image_requests AS image_requests
FROM
(
    SELECT
        minute,
        sum(requests) AS minute_requests,
        sum(tokens_in + tokens_out) AS minute_tokens,
        sumIf(requests, event_type = {image_event_type:String}) AS minute_image_requests
    FROM $load_minutely
    WHERE minute >= {start:DateTime('UTC')} AND minute < {end:DateTime('UTC')}
    GROUP BY minute
)
