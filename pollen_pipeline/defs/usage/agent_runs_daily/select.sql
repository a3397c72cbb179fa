-- Agent runs from the events relation (event_source.py): each step is a request of its own, a
-- final row naming its run's parent_request_id. Per day of the steps: the runs with a step that
-- day, the steps, and what they cost (Pollen charged, provider cost); Pollen per run is
-- run_pollen / runs. Without v2 (the seed's v1 schema) there are no runs.
SELECT
    toDate(start_time, 'UTC') AS day,
    environment,
    user_id,
    uniqExact(parent_request_id) AS runs,
    count() AS steps,
    sum(total_price) AS run_pollen,
    sum(total_cost) AS run_cost
FROM
(
    SELECT start_time, environment, user_id, total_price, total_cost, $optional_columns
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
)
WHERE parent_request_id != ''
GROUP BY day, environment, user_id
