-- Synthetic generation_event_v2 rows, made from the synthetic v1 events inside ClickHouse, as
-- the team's populate pipe made v2 from v1: the authenticated, non-cached requests from v2's
-- first day on (v1 keeps them too, and stays the only home of cache hits and anonymous calls).
--
-- Python substitutes the database name and the shared pieces (string.Template) and binds:
--   v2_from, until    DateTime('UTC')  the v1 events copied: start_time in [v2_from, until)
--   seed, events, total_days           the population's (synthetic_population.sql), so the
--                                      developers and model owners named are its users
--
-- Each v1 request expands (ARRAY JOIN) into its v2 rows, k = 0 first:
--   k = 0            the request's final row: v1's columns plus what v2 added (key origin, BYOP
--                    client id, developer price and markup, community-model reward, adjustments,
--                    cache-write tokens, video seconds);
--   k = 1..attempts  fallback attempts: v1 records 'openai' served by 'openai-fast' as one row;
--                    v2 also writes the calls that failed before it (non-final, no price);
--   then, for ~1% of developers' served text requests, an agent run the same key started: a
--   free parent row and 2..4 priced steps naming it in parent_request_id (model steps, code
--   tool calls charged by container runtime, speech steps charged by audio seconds).
-- Adjustments and rewards are parts of a row's price, never added to it: a request costs the
-- same in v1 and v2, so reading v2 instead of v1 changes no total but the agent runs'.

INSERT INTO ${database}.generation_event_v2
(
    event_id, event_processing_id, request_id, request_path, start_time, end_time,
    response_time, response_status, environment, event_type,
    user_id, user_tier, user_github_id, user_github_username,
    api_key_id, api_key_name, api_key_type, api_key_created_via, api_key_created_for_app,
    api_key_created_for_user_id, api_key_client_id,
    selected_meter_id, selected_meter_slug, balances, adjustment_costs, adjustment_units,
    referrer_url, referrer_domain,
    model_requested, resolved_model_requested, model_used, model_provider_used,
    fallback_used, is_final, is_billed_usage,
    token_price_prompt_text, token_price_prompt_cached, token_price_prompt_cache_write,
    token_price_prompt_audio, token_price_prompt_image, token_price_completion_text,
    token_price_completion_reasoning, token_price_completion_audio,
    token_price_completion_audio_seconds, token_price_completion_image,
    token_price_completion_video_seconds,
    token_count_prompt_text, token_count_prompt_audio, token_count_prompt_cached,
    token_count_prompt_cache_write, token_count_prompt_image, token_count_completion_text,
    token_count_completion_reasoning, token_count_completion_audio,
    token_count_completion_image, token_count_completion_audio_seconds,
    token_count_completion_video_seconds,
    total_cost, total_price, dev_price, markup_rate,
    community_model_reward_user_id, community_model_reward_rate, community_model_reward_amount,
    moderation_prompt_hate_severity, moderation_prompt_self_harm_severity,
    moderation_prompt_sexual_severity, moderation_prompt_violence_severity,
    moderation_prompt_jailbreak_detected,
    moderation_completion_hate_severity, moderation_completion_self_harm_severity,
    moderation_completion_sexual_severity, moderation_completion_violence_severity,
    moderation_completion_protected_material_code_detected,
    moderation_completion_protected_material_text_detected,
    error_response_code, error_source, error_message, error_stack, error_details,
    parent_request_id
)
WITH
    $population,
    -- BYOP apps' developers and community models' owners: users of the population (its base
    -- users, there from day 0), by the shared profile's ids.
    (
        SELECT arraySort(groupArray(uid))
        FROM
        (
            SELECT *, $user_columns
            FROM
            (
                SELECT number AS user_rank, false AS is_router, false AS is_anon
                FROM numbers(n_base_users)
            )
        )
    ) AS base_uids,
    -- ~20% of Gemini's calls ground on web searches, every Perplexity call searches; Claude's
    -- cached prompts pay cache storage: the rule's USD is a share of the request's cost.
    map('gemini', 'google.gemini.search_query.v1', 'gemini-fast', 'google.gemini.search_query.v1',
        'perplexity-fast', 'perplexity.search_request.v1',
        'claude', 'anthropic.cache_storage.v1', 'claude-large', 'anthropic.cache_storage.v1')
        AS model_rule,
    [0.1, 0.2, 0.25, 0.5] AS markup_rates,
    0.3 AS community_reward_rate,
    0.0001 AS container_usd_per_second,
    0.0002 AS speech_pollen_per_second
-- (An alias below is visible to the whole list: an expression naming a column this list
-- redefines reads the new value, so derived values come from the layers underneath.)
SELECT
    if(is_request, event_id, UUIDNumToString(sipHash128(event_id, k))) AS event_id,
    event_processing_id,
    multiIf(is_run, run_id, is_step, lower(hex(sipHash128(run_id, step))), request_id)
        AS request_id,
    multiIf(step_kind = 'code', '/api/tools/code', step_kind = 'audio', '/api/generate/audio',
            request_path) AS request_path,
    row_start AS start_time,
    if(is_request, end_time, row_start + toIntervalSecond(1)) AS end_time,
    if(is_request, response_time, toFloat32(100 + cityHash64(hk, 'rt') % 1900)) AS response_time,
    multiIf(NOT is_attempt, response_status, k = 1 AND hk % 2 = 0, 429, k = 1, 500, 502)
        AS response_status,
    environment,
    multiIf(is_video, 'generate.video',
            step_kind = 'code', 'tool.code', step_kind = 'audio', 'generate.audio', event_type)
        AS event_type,
    user_id, user_tier, user_github_id, user_github_username,
    api_key_id, api_key_name, api_key_type,
    -- BYOP keys are minted by an app's redirect flow; the others on the dashboard
    multiIf(is_byop, 'redirect-auth', api_key_type IN ('secret', 'publishable'), 'dashboard',
            'undefined') AS api_key_created_via,
    if(is_byop, api_key_name, 'undefined') AS api_key_created_for_app,
    if(is_byop, base_uids[1 + cityHash64({seed:UInt64}, 'byop-developer', api_key_name)
                               % length(base_uids)], 'undefined') AS api_key_created_for_user_id,
    if(is_byop, concat('cl_', hex(cityHash64({seed:UInt64}, 'client-id', api_key_name))),
       'undefined') AS api_key_client_id,
    selected_meter_id, selected_meter_slug, balances,
    mapFromArrays(if(rule = '', [], [rule]), if(rule = '', [], [round(row_cost * rule_share, 9)]))
        AS adjustment_costs,
    mapFromArrays(if(rule = '', [], [rule]), if(rule = '', [], [rule_units])) AS adjustment_units,
    referrer_url, referrer_domain,
    multiIf(step_kind = 'code', 'code-interpreter', step_kind = 'audio', 'openai-audio',
            model_requested) AS model_requested,
    multiIf(step_kind = 'code', 'code-interpreter', step_kind = 'audio', 'openai-audio',
            resolved_model_requested) AS resolved_model_requested,
    multiIf(step_kind = 'code', 'code-interpreter', step_kind = 'audio', 'openai-audio',
            is_attempt AND k = 1, resolved_model_requested, is_attempt, 'gemini-fast',
            model_used) AS model_used,
    multiIf(step_kind = 'code', 'e2b', step_kind = 'audio', 'azure', is_attempt AND k > 1,
            'google', model_provider_used) AS model_provider_used,
    is_request AND attempts > 0 AS fallback_used,
    NOT is_attempt AS is_final,
    if(is_request, is_billed_usage, row_price > 0) AS is_billed_usage,
    token_price_prompt_text, token_price_prompt_cached,
    if(cache_write > 0, token_price_prompt_text * 1.25, 0.) AS token_price_prompt_cache_write,
    token_price_prompt_audio, token_price_prompt_image, token_price_completion_text,
    token_price_completion_reasoning, token_price_completion_audio,
    if(step_kind = 'audio', speech_pollen_per_second, 0.) AS token_price_completion_audio_seconds,
    token_price_completion_image * NOT is_video AS token_price_completion_image,
    video_second_price AS token_price_completion_video_seconds,
    multiIf(is_request, token_count_prompt_text, step_kind = 'model', step_prompt, 0)
        AS token_count_prompt_text,
    token_count_prompt_audio * is_request AS token_count_prompt_audio,
    token_count_prompt_cached * is_request AS token_count_prompt_cached,
    cache_write AS token_count_prompt_cache_write,
    token_count_prompt_image * is_request AS token_count_prompt_image,
    multiIf(is_request, token_count_completion_text, step_kind = 'model', step_completion, 0)
        AS token_count_completion_text,
    token_count_completion_reasoning * is_request AS token_count_completion_reasoning,
    token_count_completion_audio * is_request AS token_count_completion_audio,
    token_count_completion_image * (is_request AND NOT is_video) AS token_count_completion_image,
    if(step_kind = 'audio', step_seconds, 0.) AS token_count_completion_audio_seconds,
    video_seconds AS token_count_completion_video_seconds,
    row_cost AS total_cost,
    row_price AS total_price,
    if(is_byop, round(row_price / (1 + markup), 9), 0.) AS dev_price,
    if(is_byop, markup, 0.) AS markup_rate,
    if(is_community, base_uids[1 + cityHash64({seed:UInt64}, 'model-owner', model_used)
                                  % length(base_uids)], 'undefined')
        AS community_model_reward_user_id,
    if(is_community, community_reward_rate, 0.) AS community_model_reward_rate,
    if(is_community AND is_billed_usage, round(row_price * community_reward_rate, 9), 0.)
        AS community_model_reward_amount,
    moderation_prompt_hate_severity, moderation_prompt_self_harm_severity,
    moderation_prompt_sexual_severity, moderation_prompt_violence_severity,
    moderation_prompt_jailbreak_detected,
    moderation_completion_hate_severity, moderation_completion_self_harm_severity,
    moderation_completion_sexual_severity, moderation_completion_violence_severity,
    moderation_completion_protected_material_code_detected,
    moderation_completion_protected_material_text_detected,
    if(is_attempt, transform(response_status, [429, 500, 502],
                             ['RATE_LIMITED', 'INTERNAL_ERROR', 'BAD_GATEWAY'], 'undefined'),
       error_response_code) AS error_response_code,
    if(is_attempt, 'provider', error_source) AS error_source,
    if(is_attempt, 'Provider request failed, trying the next target', error_message)
        AS error_message,
    if(is_attempt, 'undefined', error_stack) AS error_stack,
    if(is_attempt, 'undefined', error_details) AS error_details,
    if(is_step, run_id, '') AS parent_request_id
FROM
(
    -- What each v2 row costs and is charged, and what it is made of.
    SELECT
        *,
        is_request AND api_key_type = 'temporary' AS is_byop,
        is_request AND model_provider_used = 'community' AS is_community,
        is_request AND resolved_model_requested = 'veo' AS is_video,
        -- v1 counts a video's seconds as image units; v2 has columns for them
        if(is_video, toFloat64(token_count_completion_image), 0.) AS video_seconds,
        if(is_video, token_price_completion_image, 0.) AS video_second_price,
        markup_rates[1 + cityHash64({seed:UInt64}, 'markup', api_key_name) % length(markup_rates)]
            AS markup,
        toUInt32(floor(300 + (cityHash64(hk, 'prompt') % 3000))) AS step_prompt,
        toUInt32(floor(20 + (cityHash64(hk, 'completion') % 400))) AS step_completion,
        toFloat64(2 + cityHash64(hk, 'seconds') % 40) AS step_seconds,
        multiIf(is_request, total_price,
                step_kind = 'model',
                round(step_prompt * token_price_prompt_text
                      + step_completion * token_price_completion_text, 9),
                step_kind = 'code', round(step_seconds * container_usd_per_second, 9),
                step_kind = 'audio', round(step_seconds * speech_pollen_per_second, 9),
                0.) AS row_price,
        if(is_request, total_cost, row_price) AS row_cost,
        -- Claude's prompt caching writes part of some prompts to the cache
        toUInt32(if(is_request AND model_provider_used = 'anthropic' AND hk % 10 < 3,
                    intDiv(token_count_prompt_text, 2), 0)) AS cache_write,
        multiIf(step_kind = 'code', 'e2b.container_runtime.v1',
                NOT is_request OR row_cost <= 0, '',
                model_rule[resolved_model_requested] LIKE '%.search_%'
                    AND (resolved_model_requested = 'perplexity-fast' OR hk % 5 = 0),
                model_rule[resolved_model_requested],
                model_rule[resolved_model_requested] LIKE '%.cache_storage.%'
                    AND token_count_prompt_cached > 0,
                model_rule[resolved_model_requested], '') AS rule,
        -- the code step's runtime is all of its cost; a search or cache storage part of it
        if(step_kind = 'code', 1., 0.1 + (cityHash64(hk, 'share') % 50) / 100) AS rule_share,
        multiIf(step_kind = 'code', step_seconds, rule LIKE '%.cache_storage.%',
                toFloat64(token_count_prompt_cached), toFloat64(1 + hk % 3)) AS rule_units
    FROM
    (
        -- Which of a request's v2 rows this is.
        SELECT
            *,
            k,  -- the ARRAY JOIN's: not in *
            k = 0 AS is_request,
            k BETWEEN 1 AND attempts AS is_attempt,
            run_rows > 0 AND k = attempts + 1 AS is_run,
            k > attempts + 1 AS is_step,
            k - attempts - 1 AS step,
            lower(hex(sipHash128({seed:UInt64}, request_id, 'agent-run'))) AS run_id,
            cityHash64(h2, k) AS hk,
            multiIf(NOT is_step, '', hk % 100 < 60, 'model', hk % 100 < 85, 'code', 'audio')
                AS step_kind,
            -- a run's rows follow its start by a few seconds, inside the request's UTC day
            if(is_request OR is_attempt, start_time,
               least(start_time + toIntervalSecond(3 * (k - attempts)),
                     toStartOfDay(start_time, 'UTC') + toIntervalSecond(86399))) AS row_start
        FROM
        (
            SELECT
                *,
                cityHash64({seed:UInt64}, request_id, 'v2') AS h2,
                -- v1's 'openai' served by 'openai-fast': one or two failed calls before it
                toUInt64(if(model_used NOT IN (resolved_model_requested, 'undefined'),
                            1 + (h2 % 3 = 0), 0)) AS attempts,
                toUInt64(if(response_status BETWEEN 200 AND 299 AND event_type = 'generate.text'
                                AND api_key_type = 'secret' AND user_tier != 'router'
                                AND cityHash64(h2, 'agent') % 100 = 0,
                            3 + cityHash64(h2, 'steps') % 3, 0)) AS run_rows
            FROM ${database}.generation_event
            WHERE start_time >= {v2_from:DateTime('UTC')} AND start_time < {until:DateTime('UTC')}
                AND user_id NOT IN ('', 'undefined') AND NOT cache_hit
        )
        ARRAY JOIN range(1 + attempts + run_rows) AS k
    )
)
SETTINGS short_circuit_function_evaluation = 'disable', compile_expressions = 0
