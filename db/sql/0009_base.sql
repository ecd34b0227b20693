-- Revision 0009: the grid information base (issue 14, first part) — 人进户，户进房，房进网格:
-- every resident in a household, every household in a building, every building in a grid.
--
-- Privacy is the database's: consoles read no table of the base, only functions that keep to
-- the console's street: households and people (names, phones) for operators and grid workers,
-- identity numbers masked (cc.grid_households, cc.resident_card), and counts for everyone, the
-- wall included (cc.base_counts). Raw identity numbers: administrators only.
SET LOCAL ROLE cc_owner;

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

CREATE TABLE cc.household (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    building_id  bigint NOT NULL REFERENCES cc.building,
    grid_id      integer NOT NULL REFERENCES cc.grid,
    street_id    integer NOT NULL REFERENCES cc.street,
    door         text NOT NULL CHECK (length(door) BETWEEN 1 AND 40),   -- 3单元502
    tenure       text NOT NULL CHECK (tenure IN ('owned', 'rented', 'public')),
    must_visit   boolean NOT NULL DEFAULT false                          -- 九必访: a visit duty (issue 14, item 2)
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
    head         boolean NOT NULL DEFAULT false                          -- 户主
);
CREATE INDEX ON cc.resident (household_id);
CREATE INDEX ON cc.resident (grid_id);

CREATE TABLE cc.resident_group (
    resident_id  bigint NOT NULL REFERENCES cc.resident ON DELETE CASCADE,
    group_code   text NOT NULL REFERENCES cc.special_group,
    grid_id      integer NOT NULL,          -- the resident's (as above)
    street_id    integer NOT NULL,
    PRIMARY KEY (resident_id, group_code)
);
CREATE INDEX ON cc.resident_group (grid_id, group_code);

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

-- The households of a grid of the console's street, with their building and size.
CREATE FUNCTION cc.grid_households(p_grid integer)
RETURNS TABLE (id bigint, building text, door text, tenure text, must_visit boolean, members bigint)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT h.id, b.name, h.door, h.tenure, h.must_visit,
           (SELECT count(*) FROM cc.resident r WHERE r.household_id = h.id)
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
               permanent bigint, floating bigint, must_visit bigint, special jsonb)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    WITH scope AS (SELECT g.id FROM cc.grid g
                    WHERE (p_grid IS NULL OR g.id = p_grid) AND cc.sees_street(g.street_id)),
    b AS (SELECT x.grid_id, count(*) AS n FROM cc.building x JOIN scope s ON s.id = x.grid_id GROUP BY x.grid_id),
    h AS (SELECT x.grid_id, count(*) AS n, count(*) FILTER (WHERE x.must_visit) AS must
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
           coalesce(r.flo, 0), coalesce(h.must, 0), coalesce(sp.special, '{}')
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
