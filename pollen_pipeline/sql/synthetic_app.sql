-- SELECT items shared by the synthetic events and side sources: an app's name and its key,
-- derived only from the app hash (app_h) and its user (hu; is_byop, is_router, is_anon).
                concat(app_first[1 + cityHash64(app_h, 'a1') % length(app_first)], '-',
                       app_second[1 + cityHash64(app_h, 'a2') % length(app_second)]) AS app_name,
                -- One key per (user, app); a BYOP key also depends on the end user. The first
                -- apps of two shared accounts (ranks 5, 6) are the legacy public APIs', of three
                -- (7..9) the team's own dev and monitoring keys: the key ids of their traffic
                -- groups (traffic_groups.yaml), as many as the lists hold.
                multiIf(is_anon, 'undefined',
                        is_router OR is_byop OR app_index > 0,
                        lower(hex(sipHash128(app_h, if(is_byop, hu, 0), 'key'))),
                        user_rank IN (5, 6) AND user_rank - 4 <= length({legacy_keys:Array(String)}),
                        {legacy_keys:Array(String)}[user_rank - 4],
                        user_rank IN (7, 8, 9)
                            AND user_rank - 6 <= length({internal_keys:Array(String)}),
                        {internal_keys:Array(String)}[user_rank - 6],
                        lower(hex(sipHash128(app_h, 0, 'key')))) AS key_id,
                multiIf(is_anon, 'undefined', is_byop, 'temporary', is_router, 'secret',
                        cityHash64(app_h, 'key-type') % 10 < 6, 'secret', 'publishable') AS key_type
