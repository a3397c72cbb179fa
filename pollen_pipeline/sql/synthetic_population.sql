-- WITH items shared by the synthetic events and the synthetic side sources
-- (synthetic_events.sql, synthetic_side/*.sql): the user base and the word lists names are
-- made of, so every source names the same users and apps.
    -- Word lists for readable usernames and app names.
    ['alex', 'sam', 'nova', 'pixel', 'luna', 'kai', 'zen', 'echo', 'river', 'sky',
     'max', 'leo', 'mia', 'ivy', 'finn', 'aria', 'jade', 'orion', 'sage', 'milo'] AS name_first,
    ['dev', 'codes', 'ai', 'labs', 'maker', 'builder', 'art', 'hq', 'studio', 'bot'] AS name_second,
    ['pixel', 'story', 'dream', 'chat', 'magic', 'quick', 'lunar', 'neon', 'tiny', 'deep',
     'cosmic', 'happy'] AS app_first,
    ['forge', 'bot', 'canvas', 'buddy', 'writer', 'lab', 'studio', 'tutor', 'quest',
     'gen', 'mate', 'verse'] AS app_second,
    -- User base: scales with the daily volume; 40% exist from day 0, the rest sign up
    -- evenly over the range. Users are ranked by sign-up.
    greatest(20, intDiv({events:UInt64}, 50)) AS n_users,
    intDiv(n_users * 2, 5) AS n_base_users
