-- Revision 0009: the grid information base (issue 14, first part) — 人进户，户进房，房进网格:
-- every resident in a household, every household in a building, every building in a grid.
--
-- Privacy is the database's: consoles read no table of the base, only functions that keep to
-- the console's street: households and people (names, phones) for operators and grid workers,
-- identity numbers masked (cc.grid_households, cc.resident_card), and counts for everyone, the
-- wall included (cc.base_counts). Raw identity numbers: administrators only.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- limits
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('visits_per_login_day', 400, 'count', 'visits and diary entries one login may record in 24 hours'),
    ('id_searches_per_login_day', 60, 'count',
     'searches by a whole identity number one login may make in 24 hours (each answers "is this the number?")');

-- ---------------------------------------------------------------- reference
CREATE TABLE cc.special_group (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL UNIQUE
);
COMMENT ON TABLE cc.special_group IS
    'The populations grid staff serve one by one (the seeds'' 特殊人群 and key groups).';
INSERT INTO cc.special_group (code, name, name_en, sort) VALUES
    ('low_income', '低保困难户', 'Low-income household', 1),
    ('empty_nest', '空巢老人', 'Elderly living alone', 2),
    ('disabled', '残疾人', 'Person with a disability', 3),
    ('unemployed', '失业家庭', 'Unemployed family', 4),
    ('key_assistance', '重点帮扶家庭', 'Key-assistance family', 5),
    ('serious_illness', '大病患者', 'Serious illness', 6),
    ('dispute', '邻里纠纷当事人', 'Party to a neighbour dispute', 7),
    ('veteran', '军烈属及退役军人', 'Military family or veteran', 8),
    ('party_member', '党员', 'Party member', 9),
    ('deputy', '人大代表', 'People''s congress deputy', 10),
    ('correction', '社区矫正人员', 'Under community correction', 11);
GRANT SELECT ON cc.special_group TO cc_reader, cc_exec;

CREATE TABLE cc.residence_kind (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL UNIQUE
);
INSERT INTO cc.residence_kind (code, name, name_en, sort) VALUES
    ('registered', '户籍人口', 'Registered resident', 1),
    ('permanent', '常住人口（非户籍）', 'Permanent, not registered here', 2),
    ('floating', '流动人口', 'Floating population', 3);
GRANT SELECT ON cc.residence_kind TO cc_reader, cc_exec;

-- ---------------------------------------------------------------- buildings, households, residents
CREATE TABLE cc.building (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grid_id      integer NOT NULL REFERENCES cc.grid,
    street_id    integer NOT NULL REFERENCES cc.street,     -- denormalised for row-level security
    code         text NOT NULL UNIQUE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    kind         text NOT NULL CHECK (kind IN ('residential', 'bungalow', 'commercial', 'public', 'mixed')),
    floors       smallint NOT NULL CHECK (floors BETWEEN 1 AND 120),
    lon          float8 NOT NULL,
    lat          float8 NOT NULL
);
CREATE INDEX ON cc.building (grid_id);
CREATE INDEX building_name_idx ON cc.building (name text_pattern_ops);

CREATE TABLE cc.household (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    building_id  bigint NOT NULL REFERENCES cc.building,
    grid_id      integer NOT NULL REFERENCES cc.grid,
    street_id    integer NOT NULL REFERENCES cc.street,
    door         text NOT NULL CHECK (length(door) BETWEEN 1 AND 40),   -- 3单元502
    tenure       text NOT NULL CHECK (tenure IN ('owned', 'rented', 'public')),
    must_visit   boolean NOT NULL DEFAULT false,                         -- 九必访: a visit duty
    visit_days   smallint CHECK (visit_days BETWEEN 1 AND 366),           -- its cycle (NULL: no duty)
    visit_since  timestamptz,                                             -- the duty's start
    last_visit_at timestamptz,
    CHECK (must_visit = (visit_days IS NOT NULL) AND must_visit = (visit_since IS NOT NULL))
);
CREATE INDEX ON cc.household (building_id);
CREATE INDEX ON cc.household (grid_id);

-- A district holds hundreds of thousands of residents: each foreign key checked row by row
-- cost ~20 µs a row when the base is loaded, so the grid and street of a resident (copies of
-- its household's, kept for row-level security and counts) and the residence kind (a CHECK
-- against the same codes) are not foreign keys.
CREATE TABLE cc.resident (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id bigint NOT NULL REFERENCES cc.household,
    grid_id      integer NOT NULL,
    street_id    integer NOT NULL,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    gender       text NOT NULL CHECK (gender IN ('f', 'm')),
    birth_year   smallint NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
    id_number    text NOT NULL UNIQUE CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
    phone        text CHECK (phone ~ '^1[0-9]{10}$'),
    residence    text NOT NULL CHECK (residence IN ('registered', 'permanent', 'floating')),   -- cc.residence_kind
    head         boolean NOT NULL DEFAULT false,                         -- 户主
    initials     text NOT NULL DEFAULT '' CHECK (initials ~ '^[a-z]*$')  -- pinyin initials of the name, for search
);
CREATE INDEX ON cc.resident (household_id);
CREATE INDEX ON cc.resident (grid_id);
-- the people search (cc.find_people): name and initials by prefix, phone by its ending
CREATE INDEX resident_name_idx ON cc.resident (name text_pattern_ops);
CREATE INDEX resident_initials_idx ON cc.resident (initials text_pattern_ops);
CREATE INDEX resident_phone_end_idx ON cc.resident (reverse(phone) text_pattern_ops);

CREATE TABLE cc.resident_group (
    resident_id  bigint NOT NULL REFERENCES cc.resident ON DELETE CASCADE,
    group_code   text NOT NULL REFERENCES cc.special_group,
    grid_id      integer NOT NULL,          -- the resident's (as above)
    street_id    integer NOT NULL,
    PRIMARY KEY (resident_id, group_code)
);
CREATE INDEX ON cc.resident_group (grid_id, group_code);

-- How often a household with someone of a group is visited (九必访): the shortest cycle of
-- its residents' groups counts.
CREATE TABLE cc.visit_cycle (
    group_code text PRIMARY KEY REFERENCES cc.special_group,
    days       smallint NOT NULL CHECK (days BETWEEN 1 AND 366)
);
INSERT INTO cc.visit_cycle (group_code, days) VALUES
    ('correction', 7), ('empty_nest', 14), ('serious_illness', 14), ('key_assistance', 14),
    ('low_income', 30), ('disabled', 30);
GRANT SELECT ON cc.visit_cycle TO cc_reader, cc_exec;

-- The visit log (走访记录) and the grid worker's diary (民情日志): who, where, when, what; a
-- visit may raise a case (a must-report item, 九必报, found at the door).
CREATE TABLE cc.visit (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id bigint NOT NULL REFERENCES cc.household,
    grid_id      integer NOT NULL,
    street_id    integer NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('visit', 'diary')),
    at           timestamptz NOT NULL,
    visitor      text NOT NULL,                     -- the signed-in login (session_user)
    person_id    integer REFERENCES cc.person,      -- the worker behind a field terminal
    note         text NOT NULL CHECK (length(note) >= 1),     -- at most cc.input_limit note_chars
    case_id      bigint REFERENCES cc."case"
);
CREATE INDEX ON cc.visit (household_id, at);
CREATE INDEX ON cc.visit (grid_id, at);
ALTER TABLE cc.visit ENABLE ROW LEVEL SECURITY;
CREATE POLICY exec_all ON cc.visit FOR ALL TO cc_exec USING (true) WITH CHECK (true);
GRANT SELECT, INSERT ON cc.visit TO cc_exec;
GRANT UPDATE (last_visit_at) ON cc.household TO cc_exec;

-- Whole-identity-number searches per login (cc.find_people): with the masked number and the
-- birth year on screen, an unlimited "is this the number?" rebuilt a resident's number in ~900
-- tries (0.9 s), and its timing told whether a number lived in another street (hostile review).
CREATE TABLE cc.id_search (
    login text NOT NULL,
    at    timestamptz NOT NULL
);
CREATE INDEX ON cc.id_search (login, at);
GRANT SELECT, INSERT ON cc.id_search TO cc_exec;

-- Does a text say anything? At least one letter or digit of a script people write in: a
-- visit note of blanks, ideographic spaces or invisible marks (which _clean_text keeps) is none.
CREATE FUNCTION cc._says_something(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p ~ '[0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]'
$$;
GRANT EXECUTE ON FUNCTION cc._says_something(text) TO cc_exec;
CREATE POLICY exec_update ON cc.household FOR UPDATE TO cc_exec USING (true) WITH CHECK (true);

COMMENT ON TABLE cc.building IS 'The grid information base: buildings (房进网格).';
COMMENT ON TABLE cc.household IS 'The grid information base: households in buildings (户进房).';
COMMENT ON TABLE cc.resident IS
    'The grid information base: residents in households (人进户). Consoles read it only through '
    'cc.grid_households, cc.resident_card (names, phones, masked identity numbers) and cc.base_counts.';
COMMENT ON TABLE cc.resident_group IS 'Residents in the special populations served one by one.';

-- ---------------------------------------------------------------- privacy
-- No console reads these tables: everything goes through the functions below, which scope by
-- street and mask. Row-level security alone was not enough: EXPLAIN ANALYZE reports the rows
-- a policy removed ("Rows Removed by Filter"), so a street console with SELECT on the table
-- could count another street's residents of a household or learn, by resident id, who is
-- under community correction (found by a hostile-console review of this migration).
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['building', 'household', 'resident', 'resident_group'] LOOP
        EXECUTE format('ALTER TABLE cc.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY exec_all ON cc.%I FOR SELECT TO cc_exec USING (true)', t);
        EXECUTE format('GRANT SELECT ON cc.%I TO cc_exec', t);
    END LOOP;
END $$;

-- Who may see people (names, phones): operators, who call back, and grid workers' terminals.
CREATE FUNCTION cc._sees_people() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(session_user, 'cc_operator', 'MEMBER') OR pg_has_role(session_user, 'cc_handler', 'MEMBER')
$$;
GRANT EXECUTE ON FUNCTION cc._sees_people() TO cc_exec;

-- When a household with a visit duty is next due: a cycle after the last visit (or after the
-- duty began). The one definition of "due" and "overdue" for visits.
CREATE FUNCTION cc._visit_due(p_days smallint, p_since timestamptz, p_last timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(p_last, p_since) + p_days * interval '1 day'
$$;
GRANT EXECUTE ON FUNCTION cc._visit_due(smallint, timestamptz, timestamptz) TO cc_exec;

-- The households of a grid of the console's street, with their building, size and visit due.
CREATE FUNCTION cc.grid_households(p_grid integer)
RETURNS TABLE (id bigint, building text, door text, tenure text, must_visit boolean, members bigint,
               visit_due timestamptz, last_visit_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT h.id, b.name, h.door, h.tenure, h.must_visit,
           (SELECT count(*) FROM cc.resident r WHERE r.household_id = h.id),
           cc._visit_due(h.visit_days, h.visit_since, h.last_visit_at), h.last_visit_at
      FROM cc.household h JOIN cc.building b ON b.id = h.building_id
     WHERE h.grid_id = p_grid AND cc._sees_people() AND cc.sees_street(h.street_id)
     ORDER BY b.code, h.door
$$;
COMMENT ON FUNCTION cc.grid_households(integer) IS
    'The households of one grid as an operator''s or a grid worker''s console may see them: its street only.';
GRANT EXECUTE ON FUNCTION cc.grid_households(integer) TO cc_reader;

-- The identity number as consoles see it: the region and the last two (110101**********3X).
-- Not the usual last four: with the birth year shown beside it, the masked birth date and the
-- check character left about 34 candidates (review of this migration); hiding two more digits
-- of the sequence leaves some 3,300.
CREATE FUNCTION cc.mask_id(p_id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT left(p_id, 6) || repeat('*', greatest(length(p_id) - 8, 0)) || right(p_id, 2)
$$;
GRANT EXECUTE ON FUNCTION cc.mask_id(text) TO cc_reader, cc_exec;

-- A resident as a console may see them: the street's own, the number masked. SECURITY
-- DEFINER (the caller cannot read id_number), with the same scope rule as the policies.
CREATE FUNCTION cc.resident_card(p_household bigint)
RETURNS TABLE (id bigint, name text, gender text, birth_year smallint, id_masked text, phone text,
               residence text, head boolean, groups text[])
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT r.id, r.name, r.gender, r.birth_year, cc.mask_id(r.id_number), r.phone, r.residence, r.head,
           coalesce((SELECT array_agg(g.group_code ORDER BY sg.sort) FROM cc.resident_group g
                       JOIN cc.special_group sg ON sg.code = g.group_code WHERE g.resident_id = r.id), '{}')
      FROM cc.resident r
     WHERE r.household_id = p_household AND cc._sees_people() AND cc.sees_street(r.street_id)
     ORDER BY r.head DESC, r.birth_year
$$;
COMMENT ON FUNCTION cc.resident_card(bigint) IS
    'The residents of one household as an operator''s or a grid worker''s console may see them: its street only, '
    'identity numbers masked.';
GRANT EXECUTE ON FUNCTION cc.resident_card(bigint) TO cc_reader;

-- ---------------------------------------------------------------- counts, for everyone
-- Per grid of the caller's scope (the wall: the district): buildings, households, residents by
-- residence, and residents per special population. No names: the wall may call it.
CREATE FUNCTION cc.base_counts(p_grid integer DEFAULT NULL)
RETURNS TABLE (grid_id integer, buildings bigint, households bigint, residents bigint, registered bigint,
               permanent bigint, floating bigint, must_visit bigint, visits_overdue bigint, special jsonb)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    WITH scope AS (SELECT g.id FROM cc.grid g
                    WHERE (p_grid IS NULL OR g.id = p_grid) AND cc.sees_street(g.street_id)),
    b AS (SELECT x.grid_id, count(*) AS n FROM cc.building x JOIN scope s ON s.id = x.grid_id GROUP BY x.grid_id),
    h AS (SELECT x.grid_id, count(*) AS n, count(*) FILTER (WHERE x.must_visit) AS must,
                 count(*) FILTER (WHERE cc._visit_due(x.visit_days, x.visit_since, x.last_visit_at) < cc.clock())
                     AS overdue
            FROM cc.household x JOIN scope s ON s.id = x.grid_id GROUP BY x.grid_id),
    r AS (SELECT x.grid_id, count(*) AS n,
                 count(*) FILTER (WHERE x.residence = 'registered') AS reg,
                 count(*) FILTER (WHERE x.residence = 'permanent') AS perm,
                 count(*) FILTER (WHERE x.residence = 'floating') AS flo
            FROM cc.resident x JOIN scope s ON s.id = x.grid_id GROUP BY x.grid_id),
    sp AS (SELECT q.grid_id, jsonb_object_agg(q.group_code, q.n) AS special
             FROM (SELECT x.grid_id, x.group_code, count(*) AS n FROM cc.resident_group x
                     JOIN scope s ON s.id = x.grid_id GROUP BY x.grid_id, x.group_code) q
            GROUP BY q.grid_id)
    SELECT s.id, coalesce(b.n, 0), coalesce(h.n, 0), coalesce(r.n, 0), coalesce(r.reg, 0), coalesce(r.perm, 0),
           coalesce(r.flo, 0), coalesce(h.must, 0), coalesce(h.overdue, 0), coalesce(sp.special, '{}')
      FROM scope s LEFT JOIN b ON b.grid_id = s.id LEFT JOIN h ON h.grid_id = s.id
      LEFT JOIN r ON r.grid_id = s.id LEFT JOIN sp ON sp.grid_id = s.id
     ORDER BY s.id
$$;
COMMENT ON FUNCTION cc.base_counts(integer) IS
    'Counts of the grid information base per grid of the caller''s scope (one grid, or all it sees); no names.';
GRANT EXECUTE ON FUNCTION cc.base_counts(integer) TO cc_reader;

-- ---------------------------------------------------------------- identity numbers
-- GB 11643: the 18th character is the ISO 7064 MOD 11-2 check of the first 17.
-- One expression (inlined; a CHECK on every row of a district's residents).
CREATE FUNCTION cc.id_check_char(p_first17 text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT substr('10X98765432', (substr(p_first17, 1, 1)::int * 7 + substr(p_first17, 2, 1)::int * 9 + substr(p_first17, 3, 1)::int * 10 +
                                   substr(p_first17, 4, 1)::int * 5 + substr(p_first17, 5, 1)::int * 8 + substr(p_first17, 6, 1)::int * 4 +
                                   substr(p_first17, 7, 1)::int * 2 + substr(p_first17, 8, 1)::int * 1 + substr(p_first17, 9, 1)::int * 6 +
                                   substr(p_first17, 10, 1)::int * 3 + substr(p_first17, 11, 1)::int * 7 + substr(p_first17, 12, 1)::int * 9 +
                                   substr(p_first17, 13, 1)::int * 10 + substr(p_first17, 14, 1)::int * 5 + substr(p_first17, 15, 1)::int * 8 +
                                   substr(p_first17, 16, 1)::int * 4 + substr(p_first17, 17, 1)::int * 2) % 11 + 1, 1)
$$;
ALTER TABLE cc.resident ADD CONSTRAINT resident_id_check
    CHECK (right(id_number, 1) = cc.id_check_char(left(id_number, 17)));
GRANT EXECUTE ON FUNCTION cc.id_check_char(text) TO cc_exec;

-- ---------------------------------------------------------------- visits
-- A grid worker (or an operator of the street) records a visit to a household or a diary entry
-- about it; a visit resets the household's cycle. With p_report_item the visit raises a case of
-- that category item at the household's building, through cc.report (its rules, once).
CREATE FUNCTION cc.record_visit(p_household bigint, p_note text, p_kind text DEFAULT 'visit',
                                p_report_item text DEFAULT NULL)
RETURNS TABLE (visit_id bigint, case_id bigint, visit_due timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    acct cc.console_account := cc._account();
    h cc.household;
    b cc.building;
    v_now timestamptz := cc.clock();
    v_note text := btrim(cc._clean_text(p_note, true), E' \n\u3000');
    v_case bigint;
    v_id bigint;
    v_open text;
BEGIN
    IF NOT cc._sees_people() THEN
        RAISE EXCEPTION 'only grid workers and operators record visits'
            USING ERRCODE = '42501', HINT = 'Sign in as the grid worker''s terminal or a street operator.';
    END IF;
    SELECT * INTO h FROM cc.household WHERE id = p_household;
    IF NOT FOUND OR NOT cc.sees_street(h.street_id) THEN
        RAISE EXCEPTION 'no household % in your scope', p_household
            USING ERRCODE = 'CC008', HINT = 'Pick a household of your street (the grid card lists them).';
    END IF;
    IF p_kind IS NULL OR p_kind NOT IN ('visit', 'diary') THEN
        RAISE EXCEPTION 'unknown kind of entry %', cc._quote(p_kind)
            USING ERRCODE = 'CC009', HINT = 'Use visit (走访) or diary (民情日志).';
    END IF;
    IF v_note IS NULL OR NOT cc._says_something(v_note) OR length(v_note) > cc._limit_of('note_chars') THEN
        RAISE EXCEPTION 'a visit needs a note of 1 to % characters that says something, got %',
                        cc._limit_of('note_chars'), cc._quote(left(v_note, 40))
            USING ERRCODE = 'CC009', HINT = 'Say what was seen or done at the door.';
    END IF;
    IF (SELECT count(*) FROM cc.visit WHERE visitor = session_user AND at > v_now - interval '1 day')
       >= cc._limit_of('visits_per_login_day') THEN
        RAISE EXCEPTION 'login "%" has recorded % visits in the last 24 hours, the most one account may',
                        session_user, cc._limit_of('visits_per_login_day')
            USING ERRCODE = 'CC007', HINT = 'Ask the administrator if a round really takes more.';
    END IF;
    IF p_report_item IS NOT NULL THEN
        SELECT c.code INTO v_open FROM cc.visit v JOIN cc."case" c ON c.id = v.case_id
          JOIN cc.category k ON k.id = c.category_id
         WHERE v.household_id = h.id AND k.code = p_report_item AND c.closed_at IS NULL LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'a visit to this household already raised case % for item %, still open',
                            v_open, cc._quote(p_report_item)
                USING ERRCODE = 'CC009', HINT = 'Record the visit without a new case; the open case is being handled.';
        END IF;
        SELECT * INTO b FROM cc.building WHERE id = h.building_id;
        v_case := cc.report('patrol', p_report_item, left('走访发现 Found on a visit: ' || v_note, cc._limit_of('title_chars')),
                            b.lon, b.lat, v_note, b.name || ' ' || h.door, 'normal', h.grid_id, acct.person_id);
    END IF;
    INSERT INTO cc.visit (household_id, grid_id, street_id, kind, at, visitor, person_id, note, case_id)
    VALUES (h.id, h.grid_id, h.street_id, p_kind, v_now, session_user, acct.person_id, v_note, v_case)
    RETURNING id INTO v_id;
    IF p_kind = 'visit' THEN
        UPDATE cc.household SET last_visit_at = v_now WHERE id = h.id;
        h.last_visit_at := v_now;
    END IF;
    RETURN QUERY SELECT v_id, v_case, cc._visit_due(h.visit_days, h.visit_since, h.last_visit_at);
END $$;
COMMENT ON FUNCTION cc.record_visit(bigint, text, text, text) IS
    'A visit (走访) or diary entry (民情日志) about a household of the caller''s street; a visit resets its cycle, '
    'and may raise a case of a must-report item through cc.report.';
GRANT EXECUTE ON FUNCTION cc.record_visit(bigint, text, text, text) TO cc_reader;
-- (record_visit runs as cc_exec, which owns cc.report; the case's reporter is session_user)

-- Households past their visit due, per grid and worker (the grid manager who holds the duty),
-- in the caller's scope; operators and grid workers.
CREATE FUNCTION cc.overdue_visits()
RETURNS TABLE (grid_id integer, person_id integer, person_name text, overdue bigint, oldest_due timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT h.grid_id, ga.person_id, p.name, count(*),
           min(cc._visit_due(h.visit_days, h.visit_since, h.last_visit_at))
      FROM cc.household h
      LEFT JOIN cc.grid_assignment ga ON ga.grid_id = h.grid_id AND ga.role_code = 'grid_manager'
      LEFT JOIN cc.person p ON p.id = ga.person_id
     WHERE cc._visit_due(h.visit_days, h.visit_since, h.last_visit_at) < cc.clock()
       AND cc._sees_people() AND cc.sees_street(h.street_id)
     GROUP BY h.grid_id, ga.person_id, p.name
     ORDER BY count(*) DESC, h.grid_id
$$;
COMMENT ON FUNCTION cc.overdue_visits() IS
    'Households past their visit due (九必访) per grid and grid manager, in the caller''s street.';
GRANT EXECUTE ON FUNCTION cc.overdue_visits() TO cc_reader;

-- ---------------------------------------------------------------- the people search
-- Residents of the caller's street by what an operator has at hand: a full identity number, the
-- end of a phone number (4+ digits), pinyin initials (letters), or the start of a name or of a
-- building's name. Masked as in cc.resident_card; at most p_limit (≤ 50) rows.
CREATE FUNCTION cc.find_people(p_text text, p_limit integer DEFAULT 20)
RETURNS TABLE (resident_id bigint, household_id bigint, grid_id integer, name text, gender text,
               birth_year smallint, id_masked text, phone text, address text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    q text := cc._clean_text(p_text);
    n integer := least(greatest(coalesce(p_limit, 20), 1), 50);
    pat text;
    got integer;
    head constant text :=
        'SELECT r.id, r.household_id, r.grid_id, r.name, r.gender, r.birth_year, cc.mask_id(r.id_number), r.phone, '
        '       b.name || '' '' || h.door '
        '  FROM cc.resident r JOIN cc.household h ON h.id = r.household_id JOIN cc.building b ON b.id = h.building_id '
        ' WHERE cc.sees_street(r.street_id) AND ';
BEGIN
    IF NOT cc._sees_people() THEN
        RETURN;         -- the wall and reporters: nothing, as for another street
    END IF;
    IF q IS NULL OR length(q) < 1 OR length(q) > 40 THEN
        RAISE EXCEPTION 'search for 1 to 40 characters, got %', coalesce(length(q), 0)
            USING ERRCODE = 'CC009',
                  HINT = 'Type a name, pinyin initials, the end of a phone number or an identity number.';
    END IF;
    pat := replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    IF q ~ '^[0-9]{17}[0-9Xx]$' THEN
        IF (SELECT count(*) FROM cc.id_search WHERE login = session_user AND at > cc.clock() - interval '1 day')
           >= cc._limit_of('id_searches_per_login_day') THEN
            RAISE EXCEPTION 'login "%" has searched % identity numbers in the last 24 hours, the most one account may',
                            session_user, cc._limit_of('id_searches_per_login_day')
                USING ERRCODE = 'CC007', HINT = 'Search by name or phone, or ask the administrator.';
        END IF;
        INSERT INTO cc.id_search (login, at) VALUES (session_user, cc.clock());
        RETURN QUERY EXECUTE head || 'r.id_number = upper($1) LIMIT $2' USING q, n;
    ELSIF q ~ '^[0-9]{4,11}$' THEN
        RETURN QUERY EXECUTE head || 'reverse(r.phone) LIKE reverse($1) || ''%'' ORDER BY reverse(r.phone) LIMIT $2'
            USING q, n;
    ELSIF q ~ '^[A-Za-z]+$' THEN
        RETURN QUERY EXECUTE head || 'r.initials LIKE lower($1) || ''%'' ORDER BY r.initials, r.id LIMIT $2' USING q, n;
    ELSE
        -- names first, then the residents of buildings of the street whose name starts so
        RETURN QUERY EXECUTE head || 'r.name LIKE $1 ORDER BY r.name, r.id LIMIT $2' USING pat, n;
        GET DIAGNOSTICS got = ROW_COUNT;
        IF got < n THEN
            RETURN QUERY EXECUTE head || 'b.name LIKE $1 AND cc.sees_street(b.street_id) AND r.name NOT LIKE $1 '
                                        'ORDER BY b.name, h.door, r.id LIMIT $2' USING pat, n - got;
        END IF;
    END IF;
END $$;
COMMENT ON FUNCTION cc.find_people(text, integer) IS
    'The people search of operators and grid workers: their street''s residents by identity number, phone ending, '
    'pinyin initials, or name or building prefix; identity numbers masked.';
GRANT EXECUTE ON FUNCTION cc.find_people(text, integer) TO cc_reader;
