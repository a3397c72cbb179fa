-- Synthetic generation_event rows for ONE UTC day, generated entirely inside ClickHouse.
--
-- Python substitutes the database name (string.Template) and binds the values as
-- server-side query parameters:
--   day_start   DateTime('UTC')  start of the UTC day being generated
--   events      UInt64           rows to insert for that day
--   seed        UInt64           makes the whole data set reproducible
--   day_index   UInt32           0-based day number since the start of generation
--   total_days  UInt32           length of the generated range (drives user sign-ups)
--
-- Every pseudo-random draw is cityHash64 of (seed, day, row, salt); the same seed always
-- yields the same rows and no rand() is used. Per-user and per-app attributes hash only
-- stable identifiers, so a user keeps its tier, GitHub id, keys and apps across days.
-- Times are epoch arithmetic on the bound UTC day start, so the server time zone never
-- matters. Layers, read inside out: raw draws -> who is calling -> user profile -> app,
-- key and model -> what was called -> cost and meters -> the table's columns. Each layer
-- materialises its columns for the next one, which keeps the statement cheap to plan.

INSERT INTO ${database}.generation_event
(
    event_id, event_processing_id, request_id, request_path, start_time, end_time,
    response_time, response_status, environment, event_type,
    user_id, user_tier, user_github_id, user_github_username,
    api_key_id, api_key_name, api_key_type, selected_meter_id, selected_meter_slug, balances,
    referrer_url, referrer_domain,
    model_requested, resolved_model_requested, model_used, model_provider_used, is_billed_usage,
    token_price_prompt_text, token_price_prompt_cached, token_price_prompt_audio,
    token_price_prompt_image, token_price_completion_text, token_price_completion_reasoning,
    token_price_completion_audio, token_price_completion_image,
    token_count_prompt_text, token_count_prompt_audio, token_count_prompt_cached,
    token_count_prompt_image, token_count_completion_text, token_count_completion_reasoning,
    token_count_completion_audio, token_count_completion_image,
    total_cost, total_price,
    moderation_prompt_hate_severity, moderation_prompt_self_harm_severity,
    moderation_prompt_sexual_severity, moderation_prompt_violence_severity,
    moderation_prompt_jailbreak_detected,
    moderation_completion_hate_severity, moderation_completion_self_harm_severity,
    moderation_completion_sexual_severity, moderation_completion_violence_severity,
    moderation_completion_protected_material_code_detected,
    moderation_completion_protected_material_text_detected,
    cache_hit, cache_type, cache_semantic_similarity, cache_semantic_threshold, cache_key,
    error_response_code, error_source, error_message, error_stack, error_details
)
WITH
    -- Model catalogue (parallel arrays, 1-based). Prices are Pollen per 1M tokens for text,
    -- per image for images and per second for video. Weights are integer request shares
    -- per 100000 so the cumulative lookup is exact: text dominates, video is rare.
    ['openai', 'openai-fast', 'openai-large', 'gemini', 'gemini-fast', 'deepseek',
     'claude-fast', 'claude', 'claude-large', 'mistral', 'qwen-coder', 'perplexity-fast',
     'nova-fast', 'flux', 'zimage', 'turbo', 'seedream', 'kontext', 'veo'] AS model_name,
    ['azure', 'azure', 'azure', 'google', 'google', 'fireworks',
     'aws', 'anthropic', 'anthropic', 'scaleway', 'ovhcloud', 'perplexity',
     'aws', 'io.net', 'community', 'community', 'bytedance', 'replicate', 'google'] AS model_provider,
    ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text',
     'text', 'text', 'image', 'image', 'image', 'image', 'image', 'video'] AS model_kind,
    [0.15, 0.06, 1.75, 0.5, 0.1, 0.56, 1., 3., 5., 0.1, 0.06, 1., 0.035,
     0., 0., 0., 0., 0., 0.] AS price_in_per_m,
    [0.6, 0.44, 14., 3., 0.4, 1.68, 5., 15., 25., 0.3, 0.22, 1., 0.14,
     0., 0., 0., 0., 0., 0.] AS price_out_per_m,
    [0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0.,
     0.0002, 0.0002, 0.0003, 0.03, 0.04, 0.15] AS price_per_unit,
    [0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0,
     0, 0, 0, 0, 0, 0] AS model_reasons,
    [28000, 17000, 1500, 4000, 9000, 6000, 3000, 1500, 500, 7000, 3000, 2000, 2500,
     8500, 2500, 2000, 1100, 850, 50] AS model_weight,
    arrayCumSum(model_weight) AS model_cdf,
    -- Word lists for readable usernames and app names.
    ['alex', 'sam', 'nova', 'pixel', 'luna', 'kai', 'zen', 'echo', 'river', 'sky',
     'max', 'leo', 'mia', 'ivy', 'finn', 'aria', 'jade', 'orion', 'sage', 'milo'] AS name_first,
    ['dev', 'codes', 'ai', 'labs', 'maker', 'builder', 'art', 'hq', 'studio', 'bot'] AS name_second,
    ['pixel', 'story', 'dream', 'chat', 'magic', 'quick', 'lunar', 'neon', 'tiny', 'deep',
     'cosmic', 'happy'] AS app_first,
    ['forge', 'bot', 'canvas', 'buddy', 'writer', 'lab', 'studio', 'tutor', 'quest',
     'gen', 'mate', 'verse'] AS app_second,
    -- Calendar facts of the real system.
    toDateTime('2025-12-01 00:00:00', 'UTC') AS local_meters_from,
    toDateTime('2025-12-15 00:00:00', 'UTC') AS undefined_key_names_until,
    toDateTime('2026-01-01 00:00:00', 'UTC') AS temporary_keys_from,
    toDateTime('2025-12-30 16:59:45', 'UTC') AS combined_bug_from,
    toDateTime('2026-01-08 18:19:58', 'UTC') AS combined_bug_until,
    -- User base: scales with the daily volume; 40% exist from day 0, the rest sign up
    -- evenly over the range. Users are ranked by sign-up, so the users signed up by
    -- the end of a day are the ranks below users_today.
    greatest(20, intDiv({events:UInt64}, 50)) AS n_users,
    intDiv(n_users * 2, 5) AS n_base_users,
    least(n_users, n_base_users + intDiv(({day_index:UInt32} + 1) * (n_users - n_base_users)
        + {total_days:UInt32} - 1, {total_days:UInt32})) AS users_today,
    least(n_users, n_base_users + intDiv({day_index:UInt32} * (n_users - n_base_users)
        + {total_days:UInt32} - 1, {total_days:UInt32})) AS users_ending_yesterday,
    if({day_index:UInt32} = 0, 0, users_ending_yesterday) AS users_before
-- The table's columns, in its order; missing strings are 'undefined', missing numbers 0.
SELECT
    UUIDNumToString(sipHash128({seed:UInt64}, {day_index:UInt32}, n, 'event')) AS event_id,
    '' AS event_processing_id,
    lower(hex(sipHash128({seed:UInt64}, {day_index:UInt32}, n, 'request'))) AS request_id,
    if(kind = 'text', '/api/generate/v1/chat/completions', '/api/generate/image') AS request_path,
    ts AS start_time,
    ts + toIntervalSecond(intDiv(toUInt32(rt_ms), 1000)) AS end_time,
    toFloat32(rt_ms) AS response_time,
    status AS response_status,
    env AS environment,
    if(kind = 'text', 'generate.text', 'generate.image') AS event_type,
    uid AS user_id,
    tier AS user_tier,
    github_id AS user_github_id,
    github_username AS user_github_username,
    key_id AS api_key_id,
    key_name AS api_key_name,
    key_type AS api_key_type,
    if(meter_slug = 'undefined', 'undefined',
       UUIDNumToString(sipHash128('polar-meter', meter_slug))) AS selected_meter_id,
    meter_slug AS selected_meter_slug,
    meter_balances AS balances,
    ref_url AS referrer_url,
    ref_domain AS referrer_domain,
    model AS model_requested,
    model AS resolved_model_requested,
    used_model AS model_used,
    used_provider AS model_provider_used,
    served AND price > 0 AS is_billed_usage,
    p_in AS token_price_prompt_text,
    p_in * 0.1 AS token_price_prompt_cached,
    0. AS token_price_prompt_audio,
    0. AS token_price_prompt_image,
    p_out AS token_price_completion_text,
    if(reasons, p_out, 0.) AS token_price_completion_reasoning,
    0. AS token_price_completion_audio,
    p_unit AS token_price_completion_image,
    tok_prompt_text AS token_count_prompt_text,
    toUInt32(0) AS token_count_prompt_audio,
    tok_prompt_cached AS token_count_prompt_cached,
    toUInt32(0) AS token_count_prompt_image,
    tok_completion_text AS token_count_completion_text,
    tok_reasoning AS token_count_completion_reasoning,
    toUInt32(0) AS token_count_completion_audio,
    tok_units AS token_count_completion_image,
    price AS total_cost,
    price AS total_price,
    mod_prompt AS moderation_prompt_hate_severity,
    mod_prompt AS moderation_prompt_self_harm_severity,
    mod_prompt AS moderation_prompt_sexual_severity,
    mod_prompt AS moderation_prompt_violence_severity,
    moderated AND u_mod < 0.001 AS moderation_prompt_jailbreak_detected,
    mod_completion AS moderation_completion_hate_severity,
    mod_completion AS moderation_completion_self_harm_severity,
    mod_completion AS moderation_completion_sexual_severity,
    mod_completion AS moderation_completion_violence_severity,
    moderated AND u_mod > 0.9995 AS moderation_completion_protected_material_code_detected,
    moderated AND u_mod BETWEEN 0.5 AND 0.5005 AS moderation_completion_protected_material_text_detected,
    is_cache_hit AS cache_hit,
    multiIf(NOT is_cache_hit, 'undefined', u_semantic < 0.2, 'semantic', 'exact') AS cache_type,
    if(is_cache_hit AND u_semantic < 0.2,
       toFloat32(round(0.9 + u_semantic / 2, 4)), NULL) AS cache_semantic_similarity,
    if(is_cache_hit AND u_semantic < 0.2, toFloat32(0.9), NULL) AS cache_semantic_threshold,
    -- Keys repeat: a hit reuses one of a few hundred popular prompts per model.
    if(is_cache_hit, lower(hex(cityHash64({seed:UInt64}, 'cache', model, h % 500))), '') AS cache_key,
    transform(status, [400, 401, 402, 429, 500, 502],
              ['BAD_REQUEST', 'UNAUTHORIZED', 'PAYMENT_REQUIRED', 'RATE_LIMITED',
               'INTERNAL_ERROR', 'BAD_GATEWAY'], 'undefined') AS error_response_code,
    transform(status, [400, 401, 402, 429, 500, 502],
              ['validation', 'auth', 'billing', 'rate-limit', 'provider', 'provider'],
              'undefined') AS error_source,
    error_text AS error_message,
    if(status >= 500,
       concat('Error: ', error_text, '\n    at callProvider (src/providers/', used_provider,
              '.ts:88:11)\n    at generate (src/routes/generate.ts:214:19)'),
       'undefined') AS error_stack,
    if(ok, 'undefined',
       toJSONString(map('status', toString(status), 'model', model,
                        'provider', provider))) AS error_details
FROM
(
    -- Cost and bookkeeping of the call: price, latency, meter and balances.
    SELECT
        *,
        -- Cache hits and errors are free.
        if(served, tok_prompt_text * p_in + tok_prompt_cached * p_in * 0.1
                   + (tok_completion_text + tok_reasoning) * p_out + tok_units * p_unit,
           0.) AS price,
        -- Latency follows the work done: cache hits are instant, 4xx fail fast, 5xx time out.
        round(multiIf(is_cache_hit, 5 + 145 * u_rt,
                      status >= 500, 1000 + 29000 * u_rt,
                      NOT ok, 20 + 400 * u_rt,
                      kind = 'text',
                      least(20000., 300 + (tok_completion_text + tok_reasoning) * 8 * (0.5 + u_rt)),
                      kind = 'image', 1000 + 29000 * u_rt * u_rt,
                      30000 + 90000 * u_rt)) AS rt_ms,
        multiIf(meter_kind = 'undefined', 'undefined',
                meter_kind = 'dev', 'local:dev',
                ts < local_meters_from, concat('v1:meter:', meter_kind),
                ts BETWEEN combined_bug_from AND combined_bug_until, 'local:combined',
                concat('local:', meter_kind)) AS meter_slug,
        -- Balances hold the tier and pack meters of the era. The tier balance sits near
        -- the daily grant, or around zero (slightly negative after overspend) once the
        -- pack is in use.
        if(meter_kind = 'pack', round(-0.0005 + 0.001 * u_bal, 6),
           round(tier_grant * (0.3 + 0.7 * u_bal), 6)) AS tier_balance,
        if(converted AND {day_index:UInt32} >= pack_from_day,
           round(pack_size * (0.05 + 0.95 * u_bal2), 4), 0.) AS pack_balance,
        mapFromArrays(
            multiIf(meter_kind = 'undefined', [], ts < local_meters_from,
                    ['v1:meter:tier', 'v1:meter:pack'], ['local:tier', 'local:pack']),
            if(meter_kind = 'undefined', [], [tier_balance, pack_balance])) AS meter_balances
    FROM
    (
        -- What was called: model, outcome, tokens, meter kind and referrer.
        SELECT
            *,
            model_name[model_idx] AS model,
            model_kind[model_idx] AS kind,
            model_provider[model_idx] AS provider,
            model_reasons[model_idx] = 1 AS reasons,
            -- 'openai' is sometimes served by the cheaper sibling (fallback routing);
            -- requests rejected by the gateway never reach a model.
            multiIf(status IN (400, 401, 402, 429), 'undefined',
                    model = 'openai' AND u_fallback < 0.1, 'openai-fast', model) AS used_model,
            if(used_model = 'undefined', 'undefined', provider) AS used_provider,
            price_in_per_m[model_idx] / 1e6 AS p_in,
            price_out_per_m[model_idx] / 1e6 AS p_out,
            price_per_unit[model_idx] AS p_unit,
            status BETWEEN 200 AND 299 AS ok,
            ok AND NOT is_cache_hit AS served,
            -- Tokens: log-uniform prompt 50..4000 (part of it cached on providers with
            -- prompt caching) and completion 20..2000; reasoning models add hidden tokens.
            -- Failed requests carry no usage.
            toUInt32(if(ok AND kind = 'text', floor(50 * exp(u_prompt * log(80))), 0)) AS tok_prompt_all,
            toUInt32(if(u_cached < 0.3 AND provider IN ('azure', 'google', 'anthropic'),
                        floor(tok_prompt_all * (0.2 + 2 * u_cached)), 0)) AS tok_prompt_cached,
            tok_prompt_all - tok_prompt_cached AS tok_prompt_text,
            toUInt32(if(ok AND kind = 'text', floor(20 * exp(u_completion * log(100))), 0))
                AS tok_completion_text,
            toUInt32(if(ok AND reasons, floor(u_reasoning * 1500), 0)) AS tok_reasoning,
            -- Images count one unit; video counts seconds (mostly 8).
            toUInt32(multiIf(NOT ok, 0, kind = 'image', 1, u_reasoning < 0.8, 8, 4)) AS tok_units,
            -- Meter: anonymous calls have none; ~0.25% hit the dev meter (local:* era only),
            -- so a normal day stays under the 1% "other meter" alarm of data_quality_daily;
            -- converted users burn the daily tier grant first, then the pack.
            multiIf(is_anon OR u_meter < 0.0005, 'undefined',
                    ts >= local_meters_from AND u_meter < 0.003, 'dev',
                    uses_pack, 'pack', 'tier') AS meter_kind,
            -- Azure content filters only run on text requests that reached azure.
            kind = 'text' AND ok AND NOT is_cache_hit AND provider = 'azure' AS moderated,
            multiIf(NOT moderated, 'undefined',
                    u_mod < 0.003, 'medium', u_mod < 0.02, 'low', 'safe') AS mod_prompt,
            multiIf(NOT moderated, 'undefined',
                    u_mod > 0.998, 'medium', u_mod > 0.985, 'low', 'safe') AS mod_completion,
            transform(status, [400, 401, 402, 429, 500, 502],
                      ['Invalid request: messages must be a non-empty array',
                       'Invalid or missing API key',
                       'Insufficient pollen balance',
                       'Rate limit exceeded, retry later',
                       'Provider request failed',
                       'Upstream provider returned an invalid response'], 'undefined') AS error_text,
            -- Referrer: server-side apps send none; web apps use their own domain
            -- (localhost while developing).
            multiIf(web_kind < 4, 'undefined',
                    env = 'development', 'localhost',
                    web_kind < 7, concat(app_name, '.example'),
                    web_kind < 9, concat(app_name, '.vercel.app'),
                    concat(github_username, '.github.io')) AS ref_domain,
            multiIf(ref_domain = 'undefined', 'undefined',
                    ref_domain = 'localhost', 'http://localhost:3000/',
                    concat('https://', ref_domain, '/',
                           ['', 'chat', 'create', 'gallery'][1 + h % 4])) AS ref_url
        FROM
        (
            -- The app (and so the key) behind the call and the model it asks for.
            SELECT
                *,
                transform(tier, ['microbe', 'spore', 'seed', 'flower', 'nectar', 'router'],
                          [0.1, 1., 3., 10., 20., 500.], 0.) AS tier_grant,
                concat(app_first[1 + cityHash64(app_h, 'a1') % length(app_first)], '-',
                       app_second[1 + cityHash64(app_h, 'a2') % length(app_second)]) AS app_name,
                -- One key per (user, app); a BYOP key also depends on the end user.
                if(is_anon, 'undefined',
                   lower(hex(sipHash128(app_h, if(is_byop, hu, 0), 'key')))) AS key_id,
                multiIf(is_anon, 'undefined', is_byop, 'temporary', is_router, 'secret',
                        cityHash64(app_h, 'key-type') % 10 < 6, 'secret', 'publishable') AS key_type,
                cityHash64(app_h, 'key-name') % 100 AS key_name_roll,
                multiIf(is_anon, 'undefined', is_router, 'pollen-router', is_byop, app_name,
                        key_name_roll < 4, if(ts < undefined_key_names_until, 'undefined', ''),
                        key_name_roll < 7, '', app_name) AS key_name,
                -- 0..3 server-side, 4..9 web; BYOP apps are always web apps.
                multiIf(is_anon OR is_router, 0, is_byop, 4 + cityHash64(app_h, 'web') % 6,
                        cityHash64(app_h, 'web') % 10) AS web_kind,
                -- Model: 70% of an app's calls go to its favourite model (never video),
                -- the rest follow the global mix.
                arrayFirstIndex(c -> c > if(NOT is_router AND NOT is_anon AND u_primary < 0.7,
                                            cityHash64(app_h, 'favourite-model') % 99950,
                                            cityHash64(h, 'model') % 100000),
                                model_cdf) AS model_idx
            FROM
            (
                -- Stable per-user profile, derived only from the user hash.
                SELECT
                    *,
                    cityHash64(hu, 'tier') % 100 AS tier_roll,
                    -- The five heaviest users cover the paying tiers so even tiny data
                    -- sets contain every tier.
                    multiIf(is_anon, 'anonymous', is_router, 'router',
                            user_rank < 5,
                            ['nectar', 'flower', 'seed', 'spore', 'microbe'][user_rank + 1],
                            tier_roll < 10, 'microbe', tier_roll < 45, 'spore',
                            tier_roll < 75, 'seed', tier_roll < 93, 'flower', 'nectar') AS tier,
                    if(is_anon, 'undefined', lower(hex(sipHash128(hu, 'user-id')))) AS uid,
                    multiIf(is_anon, 'undefined', is_router, '241978997',
                            toString(100000 + cityHash64(hu, 'github') % 250000000)) AS github_id,
                    multiIf(is_anon, 'undefined', is_router, 'pollen-router',
                            concat(name_first[1 + cityHash64(hu, 'n1') % length(name_first)],
                                   name_second[1 + cityHash64(hu, 'n2') % length(name_second)],
                                   toString(cityHash64(hu, 'n3') % 1000))) AS github_username,
                    -- ~25% of users buy a pack 1..40 days after sign-up; on those days the
                    -- tier grant runs out at a random time of day and later calls use the pack.
                    -- Three of the heaviest users always do, so even a small demo has
                    -- developers above the seed's 10-Pollen momentum threshold.
                    NOT is_router AND NOT is_anon
                        AND (user_rank BETWEEN 1 AND 3 OR cityHash64(hu, 'convert') % 100 < 25)
                        AS converted,
                    signup_day + 1 + cityHash64(hu, 'delay') % 40 AS pack_from_day,
                    [5., 10., 25., 50., 100.][1 + cityHash64(hu, 'pack') % 5] AS pack_size,
                    converted AND {day_index:UInt32} >= pack_from_day
                        AND sec > 86400 * (0.02 + 0.33
                            * (cityHash64(hu, {day_index:UInt32}, 'exhaust') % 1000) / 1000)
                        AS uses_pack,
                    -- Apps: 1..3 per user. From 2026-01-01 some calls come through another
                    -- developer's BYOP app with a temporary end-user key.
                    if(is_router, 0, toUInt64(floor((1 + hu % 3) * u_app * u_app))) AS app_index,
                    NOT is_router AND NOT is_anon AND ts >= temporary_keys_from
                        AND u_byop < 0.12 AS is_byop,
                    if(is_byop,
                       cityHash64({seed:UInt64}, 'byop-app',
                                  toUInt64(floor(8 * u_byop_app * u_byop_app))),
                       cityHash64(hu, 'app', app_index)) AS app_h
                FROM
                (
                    -- Who is calling: the ROUTER service account (~12% of calls; it relays the
                    -- global model mix, video included, so ~16% of Pollen), anonymous (~1%) or a
                    -- user. Users are heavily skewed (rank = R * u^3) among the R users signed
                    -- up by today; ~4% of calls come from users signing up today, so sign-up
                    -- is (mostly) the first activity.
                    SELECT
                        *,
                        u_actor < 0.12 AS is_router,
                        u_actor >= 0.12 AND u_actor < 0.122 AS is_anon,  -- 0.2% of calls
                        toUInt64(if(u_new < 0.04 AND users_today > users_before,
                                    users_before + floor(u_user * (users_today - users_before)),
                                    floor(users_today * pow(u_user, 3)))) AS user_rank,
                        if(is_router, cityHash64({seed:UInt64}, 'router'),
                           cityHash64({seed:UInt64}, 'user', user_rank)) AS hu,
                        if(user_rank < n_base_users, 0,
                           intDiv((user_rank - n_base_users) * {total_days:UInt32},
                                  n_users - n_base_users)) AS signup_day,
                        multiIf(is_router OR u_env < 0.92, 'production',
                                u_env < 0.97, 'development', 'test') AS env,
                        multiIf(u_status < 0.905, 200, u_status < 0.91, 201, u_status < 0.94, 400,
                                u_status < 0.95, 401, u_status < 0.965, 402, u_status < 0.98, 429,
                                u_status < 0.992, 500, 502) AS status,
                        status = 200 AND u_cache < 0.055 AS is_cache_hit
                    FROM
                    (
                        -- Raw per-event draws, uniform in [0, 1) unless noted.
                        SELECT
                            number AS n,
                            cityHash64({seed:UInt64}, {day_index:UInt32}, number) AS h,
                            -- Time of day with a daily cycle (peak ~15:00 UTC, 3x the trough).
                            (cityHash64(h, 'time') % 4294967296) / 4294967296 AS u_time,
                            u_time - 0.5 * sin(2 * pi() * u_time) / (2 * pi()) + 0.62 AS t_warped,
                            toUInt32(floor(86400 * (t_warped - floor(t_warped)))) AS sec,
                            {day_start:DateTime('UTC')} + toIntervalSecond(sec) AS ts,
                            (cityHash64(h, 'actor') % 4294967296) / 4294967296 AS u_actor,
                            (cityHash64(h, 'new') % 4294967296) / 4294967296 AS u_new,
                            (cityHash64(h, 'user') % 4294967296) / 4294967296 AS u_user,
                            (cityHash64(h, 'app') % 4294967296) / 4294967296 AS u_app,
                            (cityHash64(h, 'byop') % 4294967296) / 4294967296 AS u_byop,
                            (cityHash64(h, 'byop-app') % 4294967296) / 4294967296 AS u_byop_app,
                            (cityHash64(h, 'primary') % 4294967296) / 4294967296 AS u_primary,
                            (cityHash64(h, 'status') % 4294967296) / 4294967296 AS u_status,
                            (cityHash64(h, 'cache') % 4294967296) / 4294967296 AS u_cache,
                            (cityHash64(h, 'semantic') % 4294967296) / 4294967296 AS u_semantic,
                            (cityHash64(h, 'env') % 4294967296) / 4294967296 AS u_env,
                            (cityHash64(h, 'prompt') % 4294967296) / 4294967296 AS u_prompt,
                            (cityHash64(h, 'cached') % 4294967296) / 4294967296 AS u_cached,
                            (cityHash64(h, 'completion') % 4294967296) / 4294967296 AS u_completion,
                            (cityHash64(h, 'reasoning') % 4294967296) / 4294967296 AS u_reasoning,
                            (cityHash64(h, 'fallback') % 4294967296) / 4294967296 AS u_fallback,
                            (cityHash64(h, 'rt') % 4294967296) / 4294967296 AS u_rt,
                            (cityHash64(h, 'meter') % 4294967296) / 4294967296 AS u_meter,
                            (cityHash64(h, 'balance') % 4294967296) / 4294967296 AS u_bal,
                            (cityHash64(h, 'balance2') % 4294967296) / 4294967296 AS u_bal2,
                            (cityHash64(h, 'moderation') % 4294967296) / 4294967296 AS u_mod
                        FROM numbers_mt({events:UInt64})
                    )
                )
            )
        )
    )
)
-- Planner/executor settings measured on this statement (chdb 4.4 / ClickHouse 26.9):
-- every if/multiIf branch here is cheap and safe, and short-circuit evaluation would re-run
-- the argument chains per branch (3-5x slower); JIT compilation of these one-off
-- expressions and the AND-comparison-chain rewrite each add 0.1-0.3 s of planning per
-- statement, which dominates when generating many small days.
SETTINGS
    short_circuit_function_evaluation = 'disable',
    compile_expressions = 0,
    optimize_and_compare_chain = 0
