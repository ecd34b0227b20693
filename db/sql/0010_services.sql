-- Revision 0010: places and organisations of the grid information base (地, 组织), and the
-- service directory (便民服务: contracted providers, their items and opening hours, the nearest
-- open one for a caller, a service request as a case that closes when the provider's
-- completion is recorded, and which grids have no provider of a kind within a 15-minute walk).
--
-- Places, organisations and providers are businesses and institutions, not people: the
-- directory is readable by every console (a street operator sends a caller to the provider
-- across the street line). An organisation's contact person and phone are not: consoles read
-- organisations only through cc.grid_places / cc.find_places, which keep to the street.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- rules of the walk
ALTER TABLE cc.input_limit DROP CONSTRAINT input_limit_unit_check;
ALTER TABLE cc.input_limit ADD CONSTRAINT input_limit_unit_check
    CHECK (unit IN ('characters', 'bytes', 'count', 'minutes', 'hours', 'days', 'metres', 'pixels',
                    'metres per minute', 'percent'));
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('walk_metres_per_minute', 80, 'metres per minute',
     'walking speed of the service circle (4.8 km/h, an elderly caller''s pace is slower: the detour covers it)'),
    ('walk_detour_percent', 130, 'percent',
     'how much longer a walk through streets is than the straight line between two points'),
    ('service_walk_minutes', 15, 'minutes', 'the 15-minute community service circle (一刻钟社区服务圈)'),
    ('service_requests_per_login_day', 300, 'count', 'service requests one login may place in 24 hours');

-- Straight-line metres between two points (equirectangular: exact enough within a city).
CREATE FUNCTION cc.metres(p_lon1 float8, p_lat1 float8, p_lon2 float8, p_lat2 float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 6371008.8 * sqrt(power(radians(p_lon2 - p_lon1) * cos(radians((p_lat1 + p_lat2) / 2)), 2)
                            + power(radians(p_lat2 - p_lat1), 2))
$$;
-- Minutes on foot for a straight-line distance, by the rules above (the one definition).
CREATE FUNCTION cc.walk_minutes(p_metres float8) RETURNS float8
LANGUAGE sql STABLE AS $$
    SELECT p_metres * cc._limit_of('walk_detour_percent') / 100.0 / cc._limit_of('walk_metres_per_minute')
$$;
GRANT EXECUTE ON FUNCTION cc.metres(float8, float8, float8, float8), cc.walk_minutes(float8) TO cc_reader, cc_exec;

-- A point a console gives: a real longitude and latitude, in or near Beijing.
CREATE FUNCTION cc._point_arg(p_lon float8, p_lat float8) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_lon IS NULL OR p_lat IS NULL OR p_lon = 'NaN' OR p_lat = 'NaN'
       OR p_lon NOT BETWEEN 115 AND 118 OR p_lat NOT BETWEEN 39 AND 42 THEN
        RAISE EXCEPTION 'the place % , % is not in Beijing', coalesce(p_lon::text, 'nothing'), coalesce(p_lat::text, 'nothing')
            USING ERRCODE = 'CC009', HINT = 'Pick the caller''s place on the map or from the address.';
    END IF;
END $$;
GRANT EXECUTE ON FUNCTION cc._point_arg(float8, float8) TO cc_reader, cc_exec;

-- ---------------------------------------------------------------- places and organisations
CREATE TABLE cc.place_kind (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    key_place boolean NOT NULL,          -- 重点场所: schools, hospitals, hotels, sites … watched more closely
    sort    smallint NOT NULL UNIQUE
);
INSERT INTO cc.place_kind (code, name, name_en, key_place, sort) VALUES
    ('shop', '商铺', 'Shop', false, 1),
    ('restaurant', '餐饮店', 'Restaurant', false, 2),
    ('market', '农贸市场', 'Food market', true, 3),
    ('school', '中小学', 'School', true, 4),
    ('kindergarten', '幼儿园', 'Kindergarten', true, 5),
    ('clinic', '社区卫生服务站', 'Community health station', false, 6),
    ('hospital', '医院', 'Hospital', true, 7),
    ('pharmacy', '药店', 'Pharmacy', false, 8),
    ('hotel', '旅馆', 'Hotel', true, 9),
    ('internet_cafe', '网吧', 'Internet café', true, 10),
    ('construction', '施工工地', 'Construction site', true, 11),
    ('park', '公园绿地', 'Park', false, 12),
    ('toilet', '公共厕所', 'Public toilet', false, 13),
    ('parking', '停车场', 'Car park', false, 14),
    ('elderly_station', '养老驿站', 'Elderly care station', true, 15);
GRANT SELECT ON cc.place_kind TO cc_reader, cc_exec;

CREATE TABLE cc.organisation_kind (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL UNIQUE
);
INSERT INTO cc.organisation_kind (code, name, name_en, sort) VALUES
    ('enterprise', '企业', 'Enterprise', 1),
    ('sole_trader', '个体工商户', 'Sole trader', 2),
    ('social', '社会组织', 'Social organisation', 3),
    ('party', '党组织', 'Party organisation', 4),
    ('property', '物业服务企业', 'Property management company', 5),
    ('public', '机关事业单位', 'Public institution', 6),
    ('volunteer', '志愿服务队', 'Volunteer team', 7);
GRANT SELECT ON cc.organisation_kind TO cc_reader, cc_exec;

CREATE TABLE cc.place (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grid_id   integer NOT NULL REFERENCES cc.grid,
    street_id integer NOT NULL REFERENCES cc.street,
    building_id bigint REFERENCES cc.building,
    kind      text NOT NULL REFERENCES cc.place_kind,
    name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    address   text NOT NULL CHECK (length(address) <= 200),
    lon       float8 NOT NULL,
    lat       float8 NOT NULL,
    phone     text CHECK (length(phone) <= 20),
    initials  text NOT NULL DEFAULT ''          -- pinyin initials of the name, for the search
);
CREATE INDEX ON cc.place (grid_id);
CREATE INDEX place_name_idx ON cc.place (name text_pattern_ops);
CREATE INDEX place_initials_idx ON cc.place (initials text_pattern_ops);

CREATE TABLE cc.organisation (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grid_id   integer NOT NULL REFERENCES cc.grid,
    street_id integer NOT NULL REFERENCES cc.street,
    building_id bigint REFERENCES cc.building,
    kind      text NOT NULL REFERENCES cc.organisation_kind,
    name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    address   text NOT NULL CHECK (length(address) <= 200),
    lon       float8 NOT NULL,
    lat       float8 NOT NULL,
    staff     integer NOT NULL CHECK (staff >= 0),
    contact   text CHECK (length(contact) <= 40),      -- a person: operators and grid workers only
    phone     text CHECK (length(phone) <= 20),
    initials  text NOT NULL DEFAULT ''
);
CREATE INDEX ON cc.organisation (grid_id);
CREATE INDEX organisation_name_idx ON cc.organisation (name text_pattern_ops);
CREATE INDEX organisation_initials_idx ON cc.organisation (initials text_pattern_ops);
COMMENT ON TABLE cc.place IS 'The grid information base: places (地), key places marked by their kind.';
COMMENT ON TABLE cc.organisation IS
    'The grid information base: organisations (组织). Consoles read them through cc.grid_places and cc.find_places.';

-- Not readable by consoles (the contact person, and the same EXPLAIN side channel as the base):
-- cc_exec, which owns the functions, reads them.
GRANT SELECT ON cc.place, cc.organisation TO cc_exec;

-- Counts per grid of the caller's scope, for everyone (the wall too): places by kind, key
-- places, organisations by kind.
CREATE FUNCTION cc.place_counts(p_grid integer DEFAULT NULL)
RETURNS TABLE (grid_id integer, places bigint, key_places bigint, organisations bigint, by_kind jsonb)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    WITH scope AS (SELECT g.id FROM cc.grid g WHERE (p_grid IS NULL OR g.id = p_grid) AND cc.sees_street(g.street_id)),
    p AS (SELECT x.grid_id, count(*) AS n, count(*) FILTER (WHERE k.key_place) AS key_n
            FROM cc.place x JOIN scope s ON s.id = x.grid_id JOIN cc.place_kind k ON k.code = x.kind GROUP BY x.grid_id),
    pk AS (SELECT q.grid_id, jsonb_object_agg(q.kind, q.n) AS kinds
             FROM (SELECT x.grid_id, x.kind, count(*) AS n FROM cc.place x JOIN scope s ON s.id = x.grid_id
                    GROUP BY x.grid_id, x.kind
                   UNION ALL
                   SELECT x.grid_id, 'org:' || x.kind, count(*) FROM cc.organisation x JOIN scope s ON s.id = x.grid_id
                    GROUP BY x.grid_id, x.kind) q
            GROUP BY q.grid_id),
    o AS (SELECT x.grid_id, count(*) AS n FROM cc.organisation x JOIN scope s ON s.id = x.grid_id GROUP BY x.grid_id)
    SELECT s.id, coalesce(p.n, 0), coalesce(p.key_n, 0), coalesce(o.n, 0), coalesce(pk.kinds, '{}')
      FROM scope s LEFT JOIN p ON p.grid_id = s.id LEFT JOIN o ON o.grid_id = s.id LEFT JOIN pk ON pk.grid_id = s.id
     ORDER BY s.id
$$;
COMMENT ON FUNCTION cc.place_counts(integer) IS
    'Places (key places among them) and organisations per grid of the caller''s scope; keys of by_kind are place '
    'kinds and org:<organisation kind>.';
GRANT EXECUTE ON FUNCTION cc.place_counts(integer) TO cc_reader;

-- The places and organisations of one grid of the console's street (operators, grid workers).
CREATE FUNCTION cc.grid_places(p_grid integer)
RETURNS TABLE (what text, id bigint, kind text, name text, address text, phone text, contact text, staff integer,
               lon float8, lat float8)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT * FROM (
        SELECT 'place', p.id, p.kind, p.name, p.address, p.phone, NULL::text, NULL::integer, p.lon, p.lat
          FROM cc.place p WHERE p.grid_id = p_grid AND cc._sees_people() AND cc.sees_street(p.street_id)
        UNION ALL
        SELECT 'organisation', o.id, o.kind, o.name, o.address, o.phone, o.contact, o.staff, o.lon, o.lat
          FROM cc.organisation o WHERE o.grid_id = p_grid AND cc._sees_people() AND cc.sees_street(o.street_id)) x
     ORDER BY 1 DESC, 3, 4
$$;
GRANT EXECUTE ON FUNCTION cc.grid_places(integer) TO cc_reader;

-- The search over places and organisations of the caller's street: pinyin initials (letters)
-- or the start of the name, or a word of the address. At most p_limit (≤ 50).
CREATE FUNCTION cc.find_places(p_text text, p_limit integer DEFAULT 20)
RETURNS TABLE (what text, id bigint, grid_id integer, kind text, name text, address text, phone text)
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
DECLARE
    q text := cc._clean_text(p_text);
    n integer := least(greatest(coalesce(p_limit, 20), 1), 50);
    pat text;
BEGIN
    IF NOT cc._sees_people() THEN
        RETURN;
    END IF;
    IF q IS NULL OR length(q) < 1 OR length(q) > 40 THEN
        RAISE EXCEPTION 'search for 1 to 40 characters, got %', coalesce(length(q), 0)
            USING ERRCODE = 'CC009', HINT = 'Type a name, its pinyin initials or a word of the address.';
    END IF;
    pat := replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_');
    IF q ~ '^[A-Za-z]+$' THEN
        RETURN QUERY
        SELECT * FROM (
            SELECT 'place', p.id, p.grid_id, p.kind, p.name, p.address, p.phone FROM cc.place p
             WHERE p.initials LIKE lower(pat) || '%' AND cc.sees_street(p.street_id)
            UNION ALL
            SELECT 'organisation', o.id, o.grid_id, o.kind, o.name, o.address, o.phone FROM cc.organisation o
             WHERE o.initials LIKE lower(pat) || '%' AND cc.sees_street(o.street_id)) x
         ORDER BY length(x.name), x.name LIMIT n;
    ELSE
        RETURN QUERY
        SELECT * FROM (
            SELECT 'place', p.id, p.grid_id, p.kind, p.name, p.address, p.phone FROM cc.place p
             WHERE (p.name LIKE pat || '%' OR p.address LIKE '%' || pat || '%') AND cc.sees_street(p.street_id)
            UNION ALL
            SELECT 'organisation', o.id, o.grid_id, o.kind, o.name, o.address, o.phone FROM cc.organisation o
             WHERE (o.name LIKE pat || '%' OR o.address LIKE '%' || pat || '%') AND cc.sees_street(o.street_id)) x
         ORDER BY x.name NOT LIKE pat || '%', length(x.name), x.name LIMIT n;
    END IF;
END $$;
COMMENT ON FUNCTION cc.find_places(text, integer) IS
    'The search of operators and grid workers over their street''s places and organisations.';
GRANT EXECUTE ON FUNCTION cc.find_places(text, integer) TO cc_reader;

-- ---------------------------------------------------------------- the service directory
CREATE TABLE cc.service_category (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL UNIQUE
);
-- The 13 categories of 东直门's contracted services.
INSERT INTO cc.service_category (code, name, name_en, sort) VALUES
    ('meals', '助餐', 'Meals', 1),
    ('housekeeping', '家政', 'Housekeeping', 2),
    ('repair', '维修', 'Repairs', 3),
    ('health', '医疗保健', 'Health care', 4),
    ('elderly_care', '养老照料', 'Elderly care', 5),
    ('bathing', '助浴', 'Bathing help', 6),
    ('haircut', '理发', 'Haircuts', 7),
    ('laundry', '洗衣', 'Laundry', 8),
    ('groceries', '便民购物', 'Groceries', 9),
    ('errands', '代购代办', 'Errands', 10),
    ('legal', '法律咨询', 'Legal advice', 11),
    ('counselling', '心理慰藉', 'Counselling', 12),
    ('childcare', '托育', 'Childcare', 13);

-- An item of service, and the case category item a request for it becomes.
CREATE TABLE cc.service_item (
    code      text PRIMARY KEY,
    category  text NOT NULL REFERENCES cc.service_category,
    name      text NOT NULL,
    name_en   text NOT NULL,
    case_item text NOT NULL REFERENCES cc.category (code),
    sort      smallint NOT NULL UNIQUE
);
INSERT INTO cc.service_item (code, category, name, name_en, case_item, sort) VALUES
    ('lunch', 'meals', '老年午餐送餐', 'Lunch delivered to an elder', '020501', 1),
    ('supper', 'meals', '老年晚餐送餐', 'Supper delivered to an elder', '020501', 2),
    ('canteen', 'meals', '社区食堂就餐', 'A meal at the community canteen', '020501', 3),
    ('cleaning', 'housekeeping', '居家保洁', 'Home cleaning', '020502', 4),
    ('nanny', 'housekeeping', '钟点工', 'Hourly domestic help', '020502', 5),
    ('plumbing', 'repair', '水管疏通维修', 'Plumbing', '020502', 6),
    ('electrical', 'repair', '电路维修', 'Electrical repair', '020502', 7),
    ('appliance', 'repair', '家电维修', 'Appliance repair', '020502', 8),
    ('locksmith', 'repair', '开锁换锁', 'Locksmith', '020502', 9),
    ('doctor_visit', 'health', '上门诊疗', 'A doctor at home', '020503', 10),
    ('escort', 'health', '陪同就医', 'Escort to hospital', '020503', 11),
    ('medicine', 'health', '送药上门', 'Medicine delivered', '020503', 12),
    ('day_care', 'elderly_care', '日间照料', 'Day care', '020502', 13),
    ('home_care', 'elderly_care', '居家照护', 'Care at home', '020502', 14),
    ('bath_home', 'bathing', '上门助浴', 'Bathing help at home', '020502', 15),
    ('haircut_home', 'haircut', '上门理发', 'Haircut at home', '020502', 16),
    ('haircut_shop', 'haircut', '便民理发', 'Haircut', '020502', 17),
    ('laundry', 'laundry', '洗衣取送', 'Laundry picked up and delivered', '020502', 18),
    ('groceries', 'groceries', '蔬菜日用品配送', 'Groceries delivered', '020502', 19),
    ('errand', 'errands', '代缴代办', 'Bills paid and errands run', '020502', 20),
    ('legal', 'legal', '法律咨询', 'Legal advice', '020502', 21),
    ('counselling', 'counselling', '心理慰藉', 'Someone to talk to', '020502', 22),
    ('childcare', 'childcare', '临时托育', 'Childcare for a few hours', '020502', 23);

CREATE TABLE cc.provider (
    id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    street_id integer NOT NULL REFERENCES cc.street,
    grid_id   integer NOT NULL REFERENCES cc.grid,
    category  text NOT NULL REFERENCES cc.service_category,
    name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    address   text NOT NULL CHECK (length(address) <= 200),
    lon       float8 NOT NULL,
    lat       float8 NOT NULL,
    phone     text NOT NULL CHECK (length(phone) BETWEEN 5 AND 20),
    contracted boolean NOT NULL DEFAULT true,    -- 签约服务商 of the street
    initials  text NOT NULL DEFAULT ''
);
CREATE INDEX ON cc.provider (category);
CREATE INDEX ON cc.provider (street_id);

CREATE TABLE cc.provider_item (
    provider_id integer NOT NULL REFERENCES cc.provider ON DELETE CASCADE,
    item        text NOT NULL REFERENCES cc.service_item,
    PRIMARY KEY (provider_id, item)
);
CREATE INDEX ON cc.provider_item (item);

-- Opening hours by ISO weekday (1 Monday … 7 Sunday); '24:00' closes at midnight. A day may
-- have two spans (a lunch break); a provider open round the clock has 00:00–24:00.
CREATE TABLE cc.provider_hours (
    provider_id integer NOT NULL REFERENCES cc.provider ON DELETE CASCADE,
    dow         smallint NOT NULL CHECK (dow BETWEEN 1 AND 7),
    opens       time NOT NULL,
    closes      time NOT NULL CHECK (closes > opens),
    PRIMARY KEY (provider_id, dow, opens)
);
GRANT SELECT ON cc.service_category, cc.service_item, cc.provider, cc.provider_item, cc.provider_hours
    TO cc_reader, cc_exec;
COMMENT ON TABLE cc.provider IS 'The service directory: contracted providers of the 15-minute service circle.';

-- Open at a moment (the district's local time)? And until when.
CREATE FUNCTION cc.provider_open_until(p_provider integer, p_at timestamptz) RETURNS time
LANGUAGE sql STABLE AS $$
    SELECT max(h.closes) FROM cc.provider_hours h,
           LATERAL (SELECT (p_at AT TIME ZONE cc.local_tz()) AS l) t
     WHERE h.provider_id = p_provider AND h.dow = extract(isodow FROM t.l)
       AND h.opens <= t.l::time AND t.l::time < h.closes
$$;
GRANT EXECUTE ON FUNCTION cc.provider_open_until(integer, timestamptz) TO cc_reader, cc_exec;

-- The nearest providers of an item to a place, open now first (or only), by walking time.
CREATE FUNCTION cc.nearest_providers(p_item text, p_lon float8, p_lat float8, p_limit integer DEFAULT 5,
                                     p_open_only boolean DEFAULT true)
RETURNS TABLE (provider_id integer, name text, category text, address text, phone text, street_id integer,
               metres float8, walk_minutes float8, open_until text, lon float8, lat float8)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    n integer := least(greatest(coalesce(p_limit, 5), 1), 50);
BEGIN
    PERFORM cc._point_arg(p_lon, p_lat);
    IF NOT EXISTS (SELECT 1 FROM cc.service_item WHERE code = p_item) THEN
        RAISE EXCEPTION 'unknown service item %', cc._quote(p_item)
            USING ERRCODE = 'CC009', HINT = 'Pick an item of the service directory.';
    END IF;
    RETURN QUERY
    SELECT x.id, x.name, x.category, x.address, x.phone, x.street_id, x.m, cc.walk_minutes(x.m),
           to_char(x.until, 'HH24:MI'), x.lon, x.lat
      FROM (SELECT p.id, p.name, p.category, p.address, p.phone, p.street_id, p.lon, p.lat,
                   cc.metres(p_lon, p_lat, p.lon, p.lat) AS m, cc.provider_open_until(p.id, cc.clock()) AS until
              FROM cc.provider p JOIN cc.provider_item pi ON pi.provider_id = p.id AND pi.item = p_item) x
     WHERE NOT coalesce(p_open_only, true) OR x.until IS NOT NULL
     ORDER BY x.until IS NULL, x.m
     LIMIT n;
END $$;
COMMENT ON FUNCTION cc.nearest_providers(text, float8, float8, integer, boolean) IS
    'The providers of a service item nearest a place by walking time (straight line × detour), open ones only '
    'unless p_open_only is false (then open ones first).';
GRANT EXECUTE ON FUNCTION cc.nearest_providers(text, float8, float8, integer, boolean) TO cc_reader;

-- Each grid of the caller's scope: the walk from its centre to the nearest provider of a
-- category, and whether that is within the service circle (the coverage layer).
CREATE FUNCTION cc.service_coverage(p_category text)
RETURNS TABLE (grid_id integer, provider_id integer, metres float8, walk_minutes float8, covered boolean)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cc.service_category WHERE code = p_category) THEN
        RAISE EXCEPTION 'unknown service category %', cc._quote(p_category)
            USING ERRCODE = 'CC009', HINT = 'Pick a category of the service directory.';
    END IF;
    RETURN QUERY
    WITH centre AS (SELECT DISTINCT ON (gp.grid_id) gp.grid_id, (point(gp.shape))[0] AS x, (point(gp.shape))[1] AS y
                      FROM cc.grid_part gp JOIN cc.grid g ON g.id = gp.grid_id
                     WHERE cc.sees_street(g.street_id)
                     ORDER BY gp.grid_id, npoints(gp.shape) DESC),
    prov AS (SELECT p.id, p.lon, p.lat FROM cc.provider p WHERE p.category = p_category)
    SELECT c.grid_id, best.id, best.m, cc.walk_minutes(best.m),
           coalesce(cc.walk_minutes(best.m) <= cc._limit_of('service_walk_minutes'), false)
      FROM centre c
      LEFT JOIN LATERAL (SELECT pr.id, cc.metres(c.x, c.y, pr.lon, pr.lat) AS m FROM prov pr
                          ORDER BY 2 LIMIT 1) best ON true
     ORDER BY c.grid_id;
END $$;
COMMENT ON FUNCTION cc.service_coverage(text) IS
    'Per grid of the caller''s scope: the nearest provider of a category from the grid''s centre and whether it is '
    'within the 15-minute walk.';
GRANT EXECUTE ON FUNCTION cc.service_coverage(text) TO cc_reader;

-- ---------------------------------------------------------------- a service request is a case
ALTER TABLE cc."case" ADD COLUMN service_provider_id integer REFERENCES cc.provider;
COMMENT ON COLUMN cc."case".service_provider_id IS
    'The contracted provider a service request was ordered from (cc.request_service); NULL for other cases.';
GRANT SELECT (service_provider_id) ON cc."case" TO cc_reader;

-- ---------------------------------------------------------------- the measures
-- A service request is the provider's to carry out, not a unit's: it counts as reported and
-- filed (the line's volume), not in dispatch, closure, handling time or overdue (else one
-- operator's requests, ordered and completed at once, lifted a street's closure rate and
-- handling time; found by a hostile review). The formulas of 0008, with that one condition.
CREATE OR REPLACE FUNCTION cc._kpi_facts(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (case_id bigint, reported integer, filed integer, dispatched integer, returned integer,
               escalated integer, first_dispatched integer, dispatched_on_time integer, closed integer,
               closed_on_time integer, handled_judged integer, handled_on_time integer, reworked integer,
               open_overdue integer, extended integer, suspended integer, supervised integer,
               callbacks_reached integer, satisfaction integer, satisfied integer, handling_minutes numeric)
-- Planned on its own (the SET keeps it from being inlined): inlined, the planner guessed a few
-- rows for it and joined a city year's facts to units by a nested loop (4 s of 5, measured).
-- 128 MB keeps a city year's per-case aggregates in memory (32 MB spilled 200 MB to disk).
LANGUAGE sql STABLE ROWS 100000 SET work_mem = '128MB' AS $$
    WITH bounds AS (SELECT least(p_to, cc.clock()) AS t_end),
    tz AS (   -- the work calendar's constants, read once (minutes of the day)
        SELECT cc.local_tz() AS z,
               (SELECT array_agg(date_part('epoch', wp.starts) / 60 ORDER BY wp.seq) FROM cc.work_period wp) AS ws,
               (SELECT array_agg(date_part('epoch', wp.ends) / 60 ORDER BY wp.seq) FROM cc.work_period wp) AS we,
               (SELECT sum(date_part('epoch', wp.ends - wp.starts) / 60) FROM cc.work_period wp) AS day_minutes),
    ev AS (   -- events of the period, per case
        SELECT e.case_id,
               count(*) FILTER (WHERE e.action IN ('report', 'report_solved'))::int AS reported,
               count(*) FILTER (WHERE e.action = 'file')::int AS filed,
               count(*) FILTER (WHERE e.action IN ('dispatch', 'redispatch'))::int AS dispatched,
               count(*) FILTER (WHERE e.action = 'return')::int AS returned,
               count(*) FILTER (WHERE e.action = 'escalate')::int AS escalated
          FROM cc.case_event e
         WHERE e.at >= p_from AND e.at < p_to
         GROUP BY e.case_id),
    fd0 AS (  -- cases whose first dispatch ever falls in the period
        SELECT c.id AS case_id, c.first_dispatched_at AS at, c.dispatch_deadline, c.category_id, c.urgency,
               (c.return_count > 0 OR c.escalation_count > 0) AS reset,
               CASE WHEN c.return_count > 0 OR c.escalation_count > 0     -- the filing or escalation before it
                    THEN (SELECT max(p.at) FROM cc.case_event p
                           WHERE p.case_id = c.id AND p.action IN ('file', 'escalate') AND p.at < c.first_dispatched_at)
               END AS since
          FROM cc."case" c
         WHERE c.first_dispatched_at >= p_from AND c.first_dispatched_at < p_to AND c.service_provider_id IS NULL),
    fd AS (   -- with local times where working time is counted
        SELECT fd0.*, CASE WHEN fd0.reset THEN fd0.at AT TIME ZONE tz.z END AS at_l,
               CASE WHEN fd0.reset THEN fd0.since AT TIME ZONE tz.z END AS since_l
          FROM fd0 CROSS JOIN tz),
    cl AS (   -- cases closed in the period
        SELECT c.id AS case_id, c.handled_late, c.closed_at, c.verify_deadline, c.rework_count, c.handled_at,
               c.first_dispatched_at AS first_dispatch,
               c.handled_at AT TIME ZONE tz.z AS handled_l, c.first_dispatched_at AT TIME ZONE tz.z AS first_l
          FROM cc."case" c CROSS JOIN tz
         WHERE c.closed_at >= p_from AND c.closed_at < p_to AND c.state IN ('closed', 'evaluated')
           AND c.service_provider_id IS NULL),
    span AS (   -- the local days working time is counted over
        SELECT min(m.a)::date AS d0, max(m.b)::date AS d1
          FROM (SELECT cl.first_l AS a, cl.handled_l AS b FROM cl
                UNION ALL SELECT fd.since_l, fd.at_l FROM fd WHERE fd.reset) m),
    days AS (   -- per day of the span: working day or not, working minutes before it
        SELECT g::date AS day, w.work,
               (count(*) FILTER (WHERE w.work) OVER (ORDER BY g) - w.work::int) * tz.day_minutes AS mark
          FROM tz, span, generate_series(span.d0, span.d1, interval '1 day') g,
               LATERAL (SELECT coalesce((SELECT cd.is_workday FROM cc.calendar_day cd WHERE cd.day = g::date),
                                        extract(isodow FROM g) < 6) AS work) w),
    cal AS (   -- the same as arrays indexed by day - d0 + 1: one lookup a row instead of a join
        SELECT (SELECT d0 FROM span) AS d0, (SELECT array_agg(mark ORDER BY day) FROM days) AS marks,
               (SELECT array_agg(work ORDER BY day) FROM days) AS work),
    fdt AS (  -- on time: by the deadline set at filing; after a return or escalation, within the
              -- item's dispatch limit from the filing or escalation before the first dispatch
        SELECT fd.case_id,
               CASE WHEN NOT fd.reset THEN fd.at <= fd.dispatch_deadline
                    WHEN tl.unit = 'minutes' THEN fd.at <= fd.since + tl.amount * interval '1 minute'
                    WHEN tl.unit = 'hours' THEN fd.at <= fd.since + tl.amount * interval '1 hour'
                    ELSE cc._work_mark(fd.at_l, cal.d0, cal.marks, cal.work, tz.ws, tz.we)
                         - cc._work_mark(fd.since_l, cal.d0, cal.marks, cal.work, tz.ws, tz.we)
                         <= tl.amount * CASE tl.unit WHEN 'work_days' THEN tz.day_minutes ELSE 60 END
               END AS on_time
          FROM fd CROSS JOIN tz CROSS JOIN cal
          LEFT JOIN cc.time_limit tl ON fd.reset AND tl.category_id = fd.category_id AND tl.urgency = fd.urgency
                                    AND tl.phase = 'dispatch'),
    held AS (   -- working minutes on hold between first dispatch and last feedback (rare: per row)
        SELECT s.case_id,
               sum(greatest(0, cc.work_minutes_between(greatest(s.suspended_at, cl.first_dispatch),
                                                       least(coalesce(s.resumed_at, cl.handled_at), cl.handled_at))))
                   AS minutes
          FROM cc.suspension s JOIN cl ON cl.case_id = s.case_id
         WHERE s.suspended_at < cl.handled_at AND coalesce(s.resumed_at, 'infinity') > cl.first_dispatch
         GROUP BY s.case_id),
    od AS (   -- filed, open at the end, past the handling deadline, not on hold at the end
        SELECT o.id AS case_id
          FROM (SELECT c.id, c.filed_at FROM cc."case" c, bounds b                 -- open now
                 WHERE c.closed_at IS NULL AND c.handle_deadline < b.t_end AND c.service_provider_id IS NULL
                UNION ALL
                SELECT c.id, c.filed_at FROM cc."case" c, bounds b                 -- finished after the end
                 WHERE c.closed_at >= b.t_end AND c.handle_deadline < b.t_end AND c.service_provider_id IS NULL
                   AND NOT (c.closed_at < p_to AND c.state IN ('closed', 'evaluated'))) o, bounds b
         WHERE o.filed_at < b.t_end
           AND NOT EXISTS (SELECT 1 FROM cc.suspension s
                            WHERE s.case_id = o.id AND s.suspended_at < b.t_end
                              AND (s.resumed_at IS NULL OR s.resumed_at >= b.t_end))),
    ext AS (SELECT x.case_id, count(*)::int AS n FROM cc.extension x
             WHERE x.approved AND x.decided_at >= p_from AND x.decided_at < p_to GROUP BY x.case_id),
    sus AS (SELECT s.case_id, count(*)::int AS n FROM cc.suspension s
             WHERE s.suspended_at >= p_from AND s.suspended_at < p_to GROUP BY s.case_id),
    sup AS (SELECT s.case_id, count(*)::int AS n FROM cc.supervision s
             WHERE s.placed_at >= p_from AND s.placed_at < p_to GROUP BY s.case_id),
    cb AS (SELECT k.case_id, k.satisfaction::int AS satisfaction FROM cc.callback k
            WHERE k.outcome = 'reached' AND k.done_at >= p_from AND k.done_at < p_to),
    facts AS (
        SELECT ev.case_id, ev.reported, ev.filed, ev.dispatched, ev.returned, ev.escalated,
               0 AS first_dispatched, 0 AS dispatched_on_time, 0 AS closed, 0 AS closed_on_time,
               0 AS handled_judged, 0 AS handled_on_time, 0 AS reworked, 0 AS open_overdue,
               0 AS extended, 0 AS suspended, 0 AS supervised, 0 AS callbacks_reached,
               NULL::int AS satisfaction, 0 AS satisfied, NULL::numeric AS handling_minutes
          FROM ev
        UNION ALL
        SELECT fdt.case_id, 0, 0, 0, 0, 0, 1, coalesce(fdt.on_time, false)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, NULL
          FROM fdt
        UNION ALL
        SELECT cl.case_id, 0, 0, 0, 0, 0, 0, 0, 1,
               (cl.handled_late IS NOT TRUE AND cl.closed_at <= cl.verify_deadline)::int,
               (cl.handled_late IS NOT NULL)::int, (cl.handled_late = false)::int, (cl.rework_count > 0)::int,
               0, 0, 0, 0, 0, NULL, 0,
               -- working minutes from first dispatch to last feedback (as cc.work_minutes_between)
               (CASE WHEN cl.handled_at >= cl.first_dispatch
                     THEN cc._work_mark(cl.handled_l, cal.d0, cal.marks, cal.work, tz.ws, tz.we)
                          - cc._work_mark(cl.first_l, cal.d0, cal.marks, cal.work, tz.ws, tz.we)
                END)::numeric - coalesce(h.minutes, 0)
          FROM cl CROSS JOIN tz CROSS JOIN cal LEFT JOIN held h ON h.case_id = cl.case_id
        UNION ALL
        SELECT od.case_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, NULL, 0, NULL FROM od
        UNION ALL
        SELECT ext.case_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ext.n, 0, 0, 0, NULL, 0, NULL FROM ext
        UNION ALL
        SELECT sus.case_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sus.n, 0, 0, NULL, 0, NULL FROM sus
        UNION ALL
        SELECT sup.case_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sup.n, 0, NULL, 0, NULL FROM sup
        UNION ALL
        SELECT cb.case_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, cb.satisfaction,
               (cb.satisfaction >= 4)::int, NULL FROM cb)
    SELECT f.case_id, sum(f.reported)::int, sum(f.filed)::int, sum(f.dispatched)::int, sum(f.returned)::int,
           sum(f.escalated)::int, sum(f.first_dispatched)::int, sum(f.dispatched_on_time)::int, sum(f.closed)::int,
           sum(f.closed_on_time)::int, sum(f.handled_judged)::int, sum(f.handled_on_time)::int,
           sum(f.reworked)::int, sum(f.open_overdue)::int, sum(f.extended)::int, sum(f.suspended)::int,
           sum(f.supervised)::int, sum(f.callbacks_reached)::int, max(f.satisfaction), sum(f.satisfied)::int,
           max(f.handling_minutes)
      FROM facts f
     GROUP BY f.case_id
$$;
COMMENT ON FUNCTION cc._kpi_facts(timestamptz, timestamptz) IS
    'Per visible case, what it adds to each measure of [p_from, p_to): the formulas of db/README.md, once.';


CREATE TABLE cc.service_order (
    case_id     bigint PRIMARY KEY REFERENCES cc."case",
    street_id   integer NOT NULL REFERENCES cc.street,
    provider_id integer NOT NULL REFERENCES cc.provider,
    item        text NOT NULL REFERENCES cc.service_item,
    ordered_at  timestamptz NOT NULL,
    ordered_by  text NOT NULL,
    done_at     timestamptz,
    done_by     text,
    done_note   text,
    note        text NOT NULL DEFAULT ''     -- what the caller asked for: with the order, not on the case
);
CREATE INDEX ON cc.service_order (provider_id, ordered_at);
CREATE INDEX ON cc.service_order (ordered_by, ordered_at);
ALTER TABLE cc.service_order ENABLE ROW LEVEL SECURITY;
CREATE POLICY exec_all ON cc.service_order TO cc_exec USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE ON cc.service_order TO cc_exec;

-- A function that bounds what one login does in a day takes the login's row here first: its
-- concurrent calls are counted one after another (ten at once overshot the bound; a hostile
-- review). An open transaction holding it holds up only that login.
CREATE TABLE cc.login_turn (
    login text PRIMARY KEY,
    at    timestamptz NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON cc.login_turn TO cc_exec;

INSERT INTO cc.workflow_action (code, name, name_en, capability, irreversible, needs_note, sort) VALUES
    ('order_service', '派单服务商', 'Order from a provider', 'operator', false, false, 29),
    ('service_done', '服务完成结案', 'Service completed', 'operator', false, false, 30);
INSERT INTO cc.state_action (from_state, action, to_state) VALUES
    ('filed', 'order_service', 'dispatched'),
    ('dispatched', 'service_done', 'closed'),
    ('in_progress', 'service_done', 'closed');

-- The provider's order of a case, for the street's operators and grid workers (the wall sees the
-- case, not what the caller asked for).
CREATE FUNCTION cc.service_order_of(p_case bigint)
RETURNS TABLE (provider_id integer, provider text, phone text, item text, item_name text, item_name_en text,
               note text, ordered_at timestamptz, ordered_by text, done_at timestamptz, done_by text, done_note text)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT o.provider_id, p.name, p.phone, o.item, i.name, i.name_en, o.note, o.ordered_at, o.ordered_by,
           o.done_at, o.done_by, o.done_note
      FROM cc.service_order o JOIN cc.provider p ON p.id = o.provider_id JOIN cc.service_item i ON i.code = o.item
     WHERE o.case_id = p_case AND cc._sees_people() AND cc.sees_street(o.street_id)
$$;
GRANT EXECUTE ON FUNCTION cc.service_order_of(bigint) TO cc_reader;

RESET ROLE;
-- Replaced (as the migrating superuser, as in 0007): the one rule of what applies now learns
-- the service request. While a contracted provider is doing it, the handling steps of a unit
-- (accept, return, feedback, re-dispatch, escalate, more time) do not apply: the operator
-- records the provider's completion (service_done) or cancels the request.
CREATE OR REPLACE FUNCTION cc._why_not(p_action text, c cc."case") RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN p_action = 'order_service' AND c.service_provider_id IS NULL
            THEN 'only a service request (便民服务) orders a contracted provider'
        WHEN p_action = 'service_done' AND c.service_provider_id IS NULL
            THEN 'no contracted provider was ordered for it'
        WHEN c.service_provider_id IS NOT NULL
             AND p_action IN ('accept', 'return', 'feedback', 'redispatch', 'escalate', 'request_extension',
                              'approve_extension', 'refuse_extension', 'supervise', 'suspend')
            THEN 'a contracted provider is doing it: record the completion (服务完成) or cancel the request'
        WHEN c.suspended_at IS NOT NULL
             AND p_action NOT IN ('resume', 'review_suspension', 'attach', 'cancel',
                                  'supervise', 'reply_supervision', 'lift_supervision')
            THEN format('it is suspended (挂账) until its review on %s; resume it first', c.suspension_review_on)
        WHEN p_action = 'suspend' AND c.suspended_at IS NOT NULL
            THEN 'it is already suspended'
        WHEN p_action IN ('resume', 'review_suspension') AND c.suspended_at IS NULL
            THEN 'it is not suspended'
        WHEN p_action = 'request_extension' AND c.extension_pending
            THEN 'a request for more time is already waiting for a decision'
        WHEN p_action = 'request_extension' AND c.extension_count >= cc._limit_of('extensions_per_case')
            THEN format('it has had %s extensions; at most %s are allowed', c.extension_count,
                        cc._limit_of('extensions_per_case'))
        WHEN p_action = 'request_extension' AND c.handle_deadline IS NULL
            THEN 'it has no handling deadline to extend'
        WHEN p_action IN ('approve_extension', 'refuse_extension') AND NOT c.extension_pending
            THEN 'no request for more time is waiting'
        WHEN p_action = 'supervise' AND c.supervision_level IS NOT NULL
            THEN 'it is already under supervision; lift it first to change the level'
        WHEN p_action IN ('reply_supervision', 'lift_supervision') AND c.supervision_level IS NULL
            THEN 'it is not under supervision'
        WHEN p_action = 'reply_supervision' AND c.supervision_replied_at IS NOT NULL
            THEN 'the supervision has been answered already'
    END
$$;
SET LOCAL ROLE cc_owner;

-- A caller's request for a service item from a provider: a case of the item's category,
-- reported through cc.report (its rules: the place in a grid of the console's scope, the
-- caller's name and phone for operators), filed, and ordered from the provider (dispatched,
-- with the category's handling limit as the provider's deadline). The provider must offer the
-- item and be open now.
CREATE FUNCTION cc.request_service(p_provider integer, p_item text, p_lon float8, p_lat float8,
                                   p_caller text DEFAULT NULL, p_phone text DEFAULT NULL,
                                   p_note text DEFAULT '', p_urgency text DEFAULT 'normal')
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    pr cc.provider;
    it cc.service_item;
    b record;
    c cc."case";
    v_case bigint;
    v_version integer;
    v_now timestamptz := cc.clock();
    v_note text := btrim(coalesce(cc._clean_text(p_note, true), ''));
BEGIN
    IF NOT cc._has_capability('operator') THEN
        RAISE EXCEPTION 'taking a service request needs the operator role; login "%" does not have it', session_user
            USING ERRCODE = '42501', HINT = 'Sign in at an operator''s console.';
    END IF;
    PERFORM cc._point_arg(p_lon, p_lat);
    IF length(v_note) > cc._limit_of('note_chars') THEN
        RAISE EXCEPTION 'the caller''s request may have at most % characters, got %', cc._limit_of('note_chars'),
                        length(v_note)
            USING ERRCODE = 'CC009', HINT = 'Say what is needed in a few words.';
    END IF;
    SELECT * INTO it FROM cc.service_item WHERE code = p_item;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown service item %', cc._quote(p_item)
            USING ERRCODE = 'CC009', HINT = 'Pick an item of the service directory.';
    END IF;
    SELECT * INTO pr FROM cc.provider WHERE id = p_provider;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no provider %', coalesce(p_provider::text, 'nothing')
            USING ERRCODE = 'CC008', HINT = 'Pick a provider from the nearest-provider list.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM cc.provider_item WHERE provider_id = pr.id AND item = it.code) THEN
        RAISE EXCEPTION '% does not offer %', pr.name, it.name || ' (' || it.name_en || ')'
            USING ERRCODE = 'CC009', HINT = 'Pick a provider the nearest-provider list gives for this item.';
    END IF;
    IF cc.provider_open_until(pr.id, v_now) IS NULL THEN
        RAISE EXCEPTION '% is closed now', pr.name
            USING ERRCODE = 'CC009', HINT = 'Pick a provider that is open (the list shows until when).';
    END IF;
    IF nullif(btrim(coalesce(p_phone, '')), '') IS NULL THEN
        RAISE EXCEPTION 'a service request needs the caller''s phone: the provider calls before it comes'
            USING ERRCODE = 'CC009', HINT = 'Ask the caller for a phone number.';
    END IF;
    -- one request at a time per login while the bound is counted (concurrent calls overshot it)
    INSERT INTO cc.login_turn (login, at) VALUES (session_user, v_now)
        ON CONFLICT (login) DO UPDATE SET at = excluded.at;
    IF (SELECT count(*) FROM cc.service_order WHERE ordered_by = session_user AND ordered_at > v_now - interval '1 day')
       >= cc._limit_of('service_requests_per_login_day') THEN
        RAISE EXCEPTION 'login "%" has placed % service requests in the last 24 hours, the most one account may',
                        session_user, cc._limit_of('service_requests_per_login_day')
            USING ERRCODE = 'CC007', HINT = 'Ask the administrator if the service line really takes more.';
    END IF;
    -- the case says only that it is a service request (the wall shows case titles and places: a
    -- caller's need at their door is private); the item, the provider and the note are the order's
    v_case := cc.report('hotline', it.case_item, '便民服务请求 Service request', p_lon, p_lat, '', '', p_urgency,
                        NULL, NULL, p_caller, p_phone);
    SELECT version INTO v_version FROM cc."case" WHERE id = v_case;
    v_version := cc.file(v_case, v_version);
    UPDATE cc."case" SET service_provider_id = pr.id WHERE id = v_case;
    b := cc._begin(v_case, v_version, 'order_service');
    UPDATE cc."case" SET state = b.to_state, dispatched_at = v_now,
           handle_deadline = cc._limit(category_id, urgency, 'handle', v_now),
           version = version + 1, updated_at = v_now
     WHERE id = v_case RETURNING * INTO c;
    INSERT INTO cc.service_order (case_id, street_id, provider_id, item, ordered_at, ordered_by, note)
    VALUES (c.id, c.street_id, pr.id, it.code, v_now, session_user, v_note);
    PERFORM cc._log(c, 'order_service', (b.c).state, pr.name || ' ' || pr.phone, b.acct,
                    jsonb_build_object('provider_id', pr.id, 'item', it.code));
    RETURN c.id;
END $$;
COMMENT ON FUNCTION cc.request_service(integer, text, float8, float8, text, text, text, text) IS
    'A caller''s service request: a case reported, filed and ordered from a contracted provider that offers the item '
    'and is open now; it closes when cc.complete_service records the provider''s completion.';
GRANT EXECUTE ON FUNCTION cc.request_service(integer, text, float8, float8, text, text, text, text) TO cc_reader;

-- The provider reports the service done: the case closes (handled late if past its deadline).
CREATE FUNCTION cc.complete_service(p_case bigint, p_version integer, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_note text := cc._clean_note(p_note);
BEGIN
    b := cc._begin(p_case, p_version, 'service_done');
    UPDATE cc."case" SET state = b.to_state, handled_at = v_now, closed_at = v_now,
           handled_late = v_now > handle_deadline, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    UPDATE cc.service_order SET done_at = v_now, done_by = session_user, done_note = v_note WHERE case_id = c.id;
    PERFORM cc._log(c, 'service_done', (b.c).state, v_note, b.acct,
                    jsonb_build_object('provider_id', c.service_provider_id));
    RETURN c.version;
END $$;
COMMENT ON FUNCTION cc.complete_service(bigint, integer, text) IS
    'Records a contracted provider''s completion of a service request and closes its case.';
GRANT EXECUTE ON FUNCTION cc.complete_service(bigint, integer, text) TO cc_reader;

-- ---------------------------------------------------------------- what a grid worker keeps of a resident
-- Beside name, sex, birth, number, phone and residence: education (文化程度), employment (就业状况)
-- and marital status (婚姻状况). NULL: not recorded (a base loaded before this revision).
CREATE TABLE cc.resident_code (
    field   text NOT NULL CHECK (field IN ('education', 'employment', 'marital')),
    code    text NOT NULL,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL,
    PRIMARY KEY (field, code)
);
INSERT INTO cc.resident_code (field, code, name, name_en, sort) VALUES
    ('education', 'none', '未上学', 'No schooling', 1), ('education', 'primary', '小学', 'Primary school', 2),
    ('education', 'junior', '初中', 'Junior secondary', 3), ('education', 'senior', '高中/中专', 'Senior secondary', 4),
    ('education', 'college', '大专', 'College', 5), ('education', 'bachelor', '本科', 'Bachelor', 6),
    ('education', 'postgraduate', '研究生', 'Postgraduate', 7),
    ('employment', 'employed', '在业', 'Employed', 1), ('employment', 'self_employed', '个体经营', 'Self-employed', 2),
    ('employment', 'unemployed', '失业', 'Unemployed', 3), ('employment', 'retired', '离退休', 'Retired', 4),
    ('employment', 'student', '在校学生', 'Student', 5), ('employment', 'preschool', '学龄前', 'Pre-school', 6),
    ('employment', 'other', '其他', 'Other', 7),
    ('marital', 'single', '未婚', 'Single', 1), ('marital', 'married', '已婚', 'Married', 2),
    ('marital', 'divorced', '离婚', 'Divorced', 3), ('marital', 'widowed', '丧偶', 'Widowed', 4);
GRANT SELECT ON cc.resident_code TO cc_reader, cc_exec;
ALTER TABLE cc.resident
    ADD COLUMN education text CHECK (education IN ('none', 'primary', 'junior', 'senior', 'college', 'bachelor',
                                                    'postgraduate')),
    ADD COLUMN employment text CHECK (employment IN ('employed', 'self_employed', 'unemployed', 'retired', 'student',
                                                      'preschool', 'other')),
    ADD COLUMN marital text CHECK (marital IN ('single', 'married', 'divorced', 'widowed'));

-- ---------------------------------------------------------------- the base's counts, kept
-- cc.base_counts counted 3.4 million residents on every call: 33 s for the map's fill of
-- Haidian's grids, over 100 ms for one grid card (bench base). The counts per grid are kept
-- instead, by statement triggers that add up the rows each statement wrote or removed (a load
-- of millions is one aggregate, not a trigger per row). Overdue visits change with the clock
-- and are still counted, over the must-visit households only (a partial index).
CREATE TABLE cc.grid_base (
    grid_id    integer PRIMARY KEY REFERENCES cc.grid,
    buildings  bigint NOT NULL DEFAULT 0,
    households bigint NOT NULL DEFAULT 0,
    must_visit bigint NOT NULL DEFAULT 0,
    residents  bigint NOT NULL DEFAULT 0,
    registered bigint NOT NULL DEFAULT 0,
    permanent  bigint NOT NULL DEFAULT 0,
    floating   bigint NOT NULL DEFAULT 0
);
CREATE TABLE cc.grid_special (
    grid_id    integer NOT NULL REFERENCES cc.grid,
    group_code text NOT NULL REFERENCES cc.special_group,
    n          bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (grid_id, group_code)
);
COMMENT ON TABLE cc.grid_base IS
    'Counts of the grid information base per grid, kept by statement triggers on its tables (read by cc.base_counts).';
-- written by whoever writes the base (cc_exec's functions, an administrator's load); read by cc.base_counts
GRANT SELECT, INSERT, UPDATE ON cc.grid_base, cc.grid_special TO cc_exec;

CREATE FUNCTION cc._count_base() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    sign integer;
    rows_of text;
BEGIN
    FOREACH rows_of IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                        ELSE ARRAY['old_rows', 'new_rows'] END LOOP
        sign := CASE rows_of WHEN 'new_rows' THEN 1 ELSE -1 END;
        IF TG_TABLE_NAME = 'building' THEN
            EXECUTE format('INSERT INTO cc.grid_base AS g (grid_id, buildings) '
                           'SELECT grid_id, %s * count(*) FROM %I GROUP BY grid_id '
                           'ON CONFLICT (grid_id) DO UPDATE SET buildings = g.buildings + excluded.buildings',
                           sign, rows_of);
        ELSIF TG_TABLE_NAME = 'household' THEN
            EXECUTE format('INSERT INTO cc.grid_base AS g (grid_id, households, must_visit) '
                           'SELECT grid_id, %s * count(*), %s * count(*) FILTER (WHERE must_visit) FROM %I GROUP BY grid_id '
                           'ON CONFLICT (grid_id) DO UPDATE SET households = g.households + excluded.households, '
                           '                                    must_visit = g.must_visit + excluded.must_visit',
                           sign, sign, rows_of);
        ELSIF TG_TABLE_NAME = 'resident' THEN
            EXECUTE format('INSERT INTO cc.grid_base AS g (grid_id, residents, registered, permanent, floating) '
                           'SELECT grid_id, %1$s * count(*), %1$s * count(*) FILTER (WHERE residence = ''registered''), '
                           '       %1$s * count(*) FILTER (WHERE residence = ''permanent''), '
                           '       %1$s * count(*) FILTER (WHERE residence = ''floating'') FROM %2$I GROUP BY grid_id '
                           'ON CONFLICT (grid_id) DO UPDATE SET residents = g.residents + excluded.residents, '
                           '       registered = g.registered + excluded.registered, '
                           '       permanent = g.permanent + excluded.permanent, floating = g.floating + excluded.floating',
                           sign, rows_of);
        ELSE
            EXECUTE format('INSERT INTO cc.grid_special AS g (grid_id, group_code, n) '
                           'SELECT grid_id, group_code, %s * count(*) FROM %I GROUP BY grid_id, group_code '
                           'ON CONFLICT (grid_id, group_code) DO UPDATE SET n = g.n + excluded.n', sign, rows_of);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
GRANT EXECUTE ON FUNCTION cc._count_base() TO cc_exec;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['building', 'household', 'resident', 'resident_group'] LOOP
        EXECUTE format('CREATE TRIGGER count_base_insert AFTER INSERT ON cc.%I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION cc._count_base()', t);
        EXECUTE format('CREATE TRIGGER count_base_delete AFTER DELETE ON cc.%I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION cc._count_base()', t);
    END LOOP;
    -- updates that move a count: a household's duty, a resident's residence (a visit's last_visit_at does not)
    FOREACH t IN ARRAY ARRAY['household', 'resident', 'resident_group'] LOOP
        EXECUTE format('CREATE TRIGGER count_base_update AFTER UPDATE ON cc.%I '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION cc._count_base()', t);
    END LOOP;
END $$;

-- the counts of a base loaded before this revision
INSERT INTO cc.grid_base (grid_id, buildings, households, must_visit, residents, registered, permanent, floating)
SELECT g.id, coalesce(b.n, 0), coalesce(h.n, 0), coalesce(h.must, 0), coalesce(r.n, 0), coalesce(r.reg, 0),
       coalesce(r.perm, 0), coalesce(r.flo, 0)
  FROM cc.grid g
  LEFT JOIN (SELECT grid_id, count(*) AS n FROM cc.building GROUP BY grid_id) b ON b.grid_id = g.id
  LEFT JOIN (SELECT grid_id, count(*) AS n, count(*) FILTER (WHERE must_visit) AS must FROM cc.household
              GROUP BY grid_id) h ON h.grid_id = g.id
  LEFT JOIN (SELECT grid_id, count(*) AS n, count(*) FILTER (WHERE residence = 'registered') AS reg,
                    count(*) FILTER (WHERE residence = 'permanent') AS perm,
                    count(*) FILTER (WHERE residence = 'floating') AS flo FROM cc.resident GROUP BY grid_id) r
         ON r.grid_id = g.id
 WHERE b.n IS NOT NULL OR h.n IS NOT NULL OR r.n IS NOT NULL;
INSERT INTO cc.grid_special (grid_id, group_code, n)
SELECT grid_id, group_code, count(*) FROM cc.resident_group GROUP BY grid_id, group_code;

CREATE INDEX household_visit_due_idx ON cc.household (grid_id) INCLUDE (visit_days, visit_since, last_visit_at)
    WHERE must_visit;
-- the people search: each kind read in its order from one index, stopping at the limit (it
-- sorted every match: 350 ms for two initials over Dongcheng's 0.9 million)
DROP INDEX cc.resident_name_idx;
DROP INDEX cc.resident_initials_idx;
CREATE INDEX resident_name_idx ON cc.resident (name text_pattern_ops, id);
CREATE INDEX resident_initials_idx ON cc.resident (initials text_pattern_ops, id);

RESET ROLE;
-- Replaced (as the migrating superuser; harden.sql gives them back to cc_exec).
CREATE OR REPLACE FUNCTION cc.base_counts(p_grid integer DEFAULT NULL)
RETURNS TABLE (grid_id integer, buildings bigint, households bigint, residents bigint, registered bigint,
               permanent bigint, floating bigint, must_visit bigint, visits_overdue bigint, special jsonb)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    WITH scope AS (SELECT g.id FROM cc.grid g
                    WHERE (p_grid IS NULL OR g.id = p_grid) AND cc.sees_street(g.street_id)),
    od AS (SELECT h.grid_id, count(*) AS n FROM cc.household h JOIN scope s ON s.id = h.grid_id
            WHERE h.must_visit AND cc._visit_due(h.visit_days, h.visit_since, h.last_visit_at) < cc.clock()
            GROUP BY h.grid_id),
    sp AS (SELECT x.grid_id, jsonb_object_agg(x.group_code, x.n) AS special FROM cc.grid_special x
             JOIN scope s ON s.id = x.grid_id WHERE x.n > 0 GROUP BY x.grid_id)
    SELECT s.id, coalesce(b.buildings, 0), coalesce(b.households, 0), coalesce(b.residents, 0),
           coalesce(b.registered, 0), coalesce(b.permanent, 0), coalesce(b.floating, 0), coalesce(b.must_visit, 0),
           coalesce(od.n, 0), coalesce(sp.special, '{}')
      FROM scope s LEFT JOIN cc.grid_base b ON b.grid_id = s.id LEFT JOIN od ON od.grid_id = s.id
      LEFT JOIN sp ON sp.grid_id = s.id
     ORDER BY s.id
$$;

DROP FUNCTION cc.find_people(text, integer);
CREATE FUNCTION cc.find_people(p_text text, p_limit integer DEFAULT 20)
RETURNS TABLE (resident_id bigint, household_id bigint, grid_id integer, name text, gender text,
               birth_year smallint, id_masked text, phone text, address text, education text, employment text,
               marital text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    q text := cc._clean_text(p_text);
    n integer := least(greatest(coalesce(p_limit, 20), 1), 50);
    pat text;
    got integer;
    -- the console's street looked up once a statement, not once a row (as the policies of 0008)
    head constant text :=
        'SELECT r.id, r.household_id, r.grid_id, r.name, r.gender, r.birth_year, cc.mask_id(r.id_number), r.phone, '
        '       b.name || '' '' || h.door, r.education, r.employment, r.marital '
        '  FROM cc.resident r JOIN cc.household h ON h.id = r.household_id JOIN cc.building b ON b.id = h.building_id '
        ' WHERE ((SELECT cc.sees_street(NULL)) OR r.street_id = (SELECT cc.console_street())) AND ';
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
        -- one search at a time per login while the bound is counted
        INSERT INTO cc.login_turn (login, at) VALUES (session_user, cc.clock())
            ON CONFLICT (login) DO UPDATE SET at = excluded.at;
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
        RETURN QUERY EXECUTE head || 'r.initials LIKE lower($1) || ''%'' ORDER BY r.initials USING ~<~, r.id LIMIT $2'
            USING q, n;
    ELSE
        -- names first, then the residents of buildings of the street whose name starts so
        RETURN QUERY EXECUTE head || 'r.name LIKE $1 ORDER BY r.name USING ~<~, r.id LIMIT $2' USING pat, n;
        GET DIAGNOSTICS got = ROW_COUNT;
        IF got < n THEN
            -- buildings in the name index's order: each building's residents sorted as it comes
            -- (an incremental sort), not every resident of every matching building at once
            RETURN QUERY EXECUTE head || 'b.name LIKE $1 AND r.name NOT LIKE $1 '
                                        'ORDER BY b.name USING ~<~, h.door, r.id LIMIT $2' USING pat, n - got;
        END IF;
    END IF;
END $$;
COMMENT ON FUNCTION cc.find_people(text, integer) IS
    'The people search of operators and grid workers: their street''s residents by identity number, phone ending, '
    'pinyin initials, or name or building prefix; identity numbers masked.';
GRANT EXECUTE ON FUNCTION cc.find_people(text, integer) TO cc_reader;
SET LOCAL ROLE cc_owner;
