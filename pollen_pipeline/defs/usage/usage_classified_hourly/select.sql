-- The team's generation_usage_hourly over our events relation (event_source.py: v2's final rows,
-- the v1 archive where v2 has none), every environment kept as a dimension. Its measures as
-- theirs (pollinations/pollinations, generation_usage_hourly_mv.pipe @ 776b5d1d): calls are
-- requests; served, billed, Pollen, rewards and usage count 2xx rows; users and apps are uniq
-- states. total_pollen (every status) is ours: it reconciles with raw events. The team's scope is
-- v1_only = 0 (their summary reads v2, which never holds cache hits nor anonymous requests).
-- The scan also reads v2's fallback attempts (fallback_attempts: true): their summary keeps the
-- user states of every v2 row, each attempt in its own row's classification (an attempt of a
-- community-model request served by another provider counts its user as Direct API), so
-- users_with_attempts and apps_with_attempts are theirs; every other measure counts requests
-- (is_final rows), as before.
SELECT
    toStartOfHour(start_time, 'UTC') AS hour,
    environment,
    $raw_traffic_group AS traffic_group,
    $raw_classified_model AS model,
    $raw_workload AS workload,
    $raw_funding_source AS funding_source,
    $raw_is_byop AS is_byop,
    $raw_is_community AS is_community,
    $raw_business_stream AS business_stream,
    toUInt8($raw_v1_only_rows) AS v1_only,
    countIf(is_final) AS all_calls,
    countIf(served) AS successful_calls,
    countIf(billed) AS billed_calls,
    uniqStateIf(user_id, is_final) AS users,
    uniqState(user_id) AS users_with_attempts,
    uniqIfState(api_key_client_id, toUInt8(is_byop AND is_final)) AS apps,
    uniqIfState(api_key_client_id, toUInt8(is_byop)) AS apps_with_attempts,
    sumIf(total_price, is_final) AS total_pollen,
    sumIf(total_price, billed) AS gross_consumption,
    sumIf(total_price - dev_price, is_byop = 1 AND $raw_byop_reward_row) AS byop_reward,
    sumIf(community_model_reward_amount, $raw_community_reward_row) AS community_reward,
    sumIf(toUInt64(token_count_prompt_text), served) AS prompt_text_tokens,
    sumIf(toUInt64(token_count_prompt_cached), served) AS prompt_cached_tokens,
    sumIf(toUInt64(token_count_prompt_cache_write), served) AS prompt_cache_write_tokens,
    sumIf(toUInt64(token_count_completion_text), served) AS completion_text_tokens,
    sumIf(toUInt64(token_count_completion_reasoning), served) AS completion_reasoning_tokens,
    sumIf(toUInt64(token_count_prompt_image), served) AS prompt_image_tokens,
    sumIf(toUInt64(token_count_completion_image), served) AS completion_image_tokens,
    sumIf(toUInt64(token_count_completion_video_tokens), served) AS completion_video_tokens,
    sumIf(token_count_prompt_audio_seconds, served) AS prompt_audio_seconds,
    sumIf(token_count_completion_audio_seconds, served) AS completion_audio_seconds,
    sumIf(token_count_completion_video_seconds, served) AS completion_video_seconds
FROM
(
    SELECT
        start_time,
        environment,
        api_key_id,
        resolved_model_requested,
        model_used,
        model_requested,
        event_type,
        selected_meter_slug,
        model_provider_used,
        cache_hit,
        response_status,
        user_id,
        total_price,
        token_count_prompt_text,
        token_count_prompt_cached,
        token_count_completion_text,
        token_count_completion_reasoning,
        token_count_prompt_image,
        token_count_completion_image,
        $optional_columns,
        is_final AND $raw_success AS served,
        served AND is_billed_usage AS billed
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
)
GROUP BY
    hour, environment, traffic_group, model, workload, funding_source, is_byop, is_community,
    business_stream, v1_only
