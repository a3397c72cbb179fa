-- SELECT items shared by the synthetic events and side sources: an app's name and its key,
-- derived only from the app hash (app_h) and its user (hu; is_byop, is_router, is_anon).
                concat(app_first[1 + cityHash64(app_h, 'a1') % length(app_first)], '-',
                       app_second[1 + cityHash64(app_h, 'a2') % length(app_second)]) AS app_name,
                -- One key per (user, app); a BYOP key also depends on the end user.
                if(is_anon, 'undefined',
                   lower(hex(sipHash128(app_h, if(is_byop, hu, 0), 'key')))) AS key_id,
                multiIf(is_anon, 'undefined', is_byop, 'temporary', is_router, 'secret',
                        cityHash64(app_h, 'key-type') % 10 < 6, 'secret', 'publishable') AS key_type
