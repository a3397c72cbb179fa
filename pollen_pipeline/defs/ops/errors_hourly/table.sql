-- Production errors (4xx, 5xx, or a status outside 100..599) per hour by provider, requested
-- model, exact status, error code and error source. Users are not kept: a distinct count does
-- not add up over hours or codes.
CREATE TABLE IF NOT EXISTS ${database}.errors_hourly
(
    hour DateTime('UTC'),
    -- keys and measures, as both error tables declare them: defs/ops/rules.py
    $error_row_columns
)
ENGINE = MergeTree
PARTITION BY toDate(hour)
ORDER BY (hour, model_provider_used, resolved_model_requested, response_status)
