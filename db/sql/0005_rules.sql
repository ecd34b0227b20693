-- One home for every rule (issue 11). Runs as the migrating superuser; objects are created
-- as cc_owner like every earlier one; harden.sql gives definer functions their narrow owners.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- limits
-- Every bound that a function enforces and a dialog shows, once. Functions read it through
-- cc._limit_of(); the client reads the table (cc_reader) to size its fields.
CREATE TABLE cc.input_limit (
    code        text PRIMARY KEY,
    value       integer NOT NULL CHECK (value > 0),
    unit        text NOT NULL CHECK (unit IN ('characters', 'bytes', 'count', 'minutes', 'days')),
    description text NOT NULL
);
COMMENT ON TABLE cc.input_limit IS
    'Bounds the workflow functions enforce and the dialogs show; read with cc._limit_of(code).';
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('note_chars', 2000, 'characters', 'a note, reason or feedback on a case'),
    ('title_chars', 200, 'characters', 'a case title'),
    ('description_chars', 4000, 'characters', 'a case description'),
    ('address_chars', 300, 'characters', 'a case address'),
    ('caller_name_chars', 50, 'characters', 'a hotline caller''s name'),
    ('caller_phone_chars', 30, 'characters', 'a hotline caller''s phone number'),
    ('filename_chars', 200, 'characters', 'the file name of a photo'),
    ('photo_bytes', 5242880, 'bytes', 'one photo'),
    ('photos_per_case', 20, 'count', 'photos one case keeps'),
    ('photos_per_login_day', 300, 'count', 'photos one login may add in 24 hours'),
    ('deadline_days', 366, 'days', 'how far ahead a deadline given by hand may lie'),
    ('deadline_warn_minutes', 120, 'minutes', 'a running deadline shows as due soon this long before it');
GRANT SELECT ON cc.input_limit TO cc_reader, cc_exec;

-- Fails closed: a missing row must not lift a bound (length(p) > NULL refuses nothing).
CREATE FUNCTION cc._limit_of(p_code text) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v integer;
BEGIN
    SELECT value INTO v FROM cc.input_limit WHERE code = p_code;
    IF v IS NULL THEN
        RAISE EXCEPTION 'no limit % in cc.input_limit', cc._quote(p_code)
            USING ERRCODE = 'CC009', HINT = 'Restore the row (db/sql/0005_rules.sql lists every limit).';
    END IF;
    RETURN v;
END $$;
GRANT EXECUTE ON FUNCTION cc._limit_of(text) TO cc_exec, cc_reader;

-- ---------------------------------------------------------------- the board view
-- warn_at: when the running deadline turns "due soon". Appended so that CREATE OR REPLACE
-- keeps the columns every client reads.
CREATE OR REPLACE VIEW cc.case_board WITH (security_invoker = true) AS
SELECT c.id, c.code, c.source, c.category_id, cat.code AS category_code, cat.name AS category_name,
       cat.name_en AS category_name_en, c.title, c.address, c.lon, c.lat,
       c.grid_id, g.code AS grid_code, g.name AS grid_name,
       c.community_id, cm.name AS community_name, c.street_id, st.name AS street_name,
       st.name_en AS street_name_en, c.urgency, c.state, s.is_open, c.tier,
       c.assignee_unit_id, u.name AS assignee_unit_name, c.assignee_person_id, p.name AS assignee_person_name,
       c.reported_at, c.filed_at, c.dispatched_at, c.handled_at, c.closed_at,
       d.deadline,
       d.deadline < now() AS overdue,
       c.rework_count, c.urge_count, c.escalation_count, c.return_count, c.handled_late,
       c.satisfaction, c.version, c.updated_at,
       d.deadline - interval '1 minute' * (SELECT value FROM cc.input_limit WHERE code = 'deadline_warn_minutes')
           AS warn_at
  FROM cc."case" c
  JOIN cc.case_state s ON s.code = c.state
  CROSS JOIN LATERAL (SELECT CASE s.phase WHEN 'file' THEN c.file_deadline
                                          WHEN 'dispatch' THEN c.dispatch_deadline
                                          WHEN 'handle' THEN c.handle_deadline
                                          WHEN 'verify' THEN c.verify_deadline END AS deadline) d
  JOIN cc.category cat ON cat.id = c.category_id
  JOIN cc.grid g ON g.id = c.grid_id
  JOIN cc.community cm ON cm.id = c.community_id
  JOIN cc.street st ON st.id = c.street_id
  LEFT JOIN cc.unit u ON u.id = c.assignee_unit_id
  LEFT JOIN cc.person p ON p.id = c.assignee_person_id;
COMMENT ON VIEW cc.case_board IS
    'One row per visible case: names, the deadline of the phase it is in (NULL once finished), '
    'overdue (deadline < now()) and warn_at (due soon from then; cc.input_limit). Clients '
    'compare deadline and warn_at with their clock as time passes; they define neither.';
COMMENT ON COLUMN cc.case_board.overdue IS 'deadline < now(): the one definition of overdue.';

-- ---------------------------------------------------------------- who may do an action
-- One row says it: the capability an action needs, and for photos a second one (a handling
-- unit adds its before/after photos). _begin, allowed_actions and add_attachment ask _may().
ALTER TABLE cc.workflow_action ADD COLUMN also_capability text;
COMMENT ON COLUMN cc.workflow_action.also_capability IS 'A second capability that may also do the action.';
UPDATE cc.workflow_action SET also_capability = 'handler' WHERE code = 'attach';
-- Photos are added in every open state: said in the table that lists what a state allows, so
-- that cc.allowed_actions offers it (the hall's button) where add_attachment accepts it.
INSERT INTO cc.state_action (from_state, action, to_state)
SELECT code, 'attach', code FROM cc.case_state WHERE is_open;

-- Never NULL (an unknown action, a missing capability): callers test NOT cc._may(…).
CREATE FUNCTION cc._may(p_action cc.workflow_action) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(cc._has_capability(p_action.capability)
        OR (p_action.also_capability IS NOT NULL AND cc._has_capability(p_action.also_capability)), false)
$$;
CREATE FUNCTION cc._roles_of(p_action cc.workflow_action) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_action.capability || coalesce(' or ' || p_action.also_capability, '')
$$;
-- A handler acts on what is assigned to its unit or to its person; a supervisor on every case
-- it sees. (The rule of 0004 compared with IS DISTINCT FROM, so a unit's handler, whose
-- person_id is NULL, matched every case assigned to some other unit: NULL = NULL.) A handler
-- account tied to neither a unit nor a person handles nothing (fail closed; `accounts add`
-- makes no such account, and 0004 let one act street-wide).
CREATE FUNCTION cc._handles(c cc."case", p_acct cc.console_account) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT cc._has_capability('supervisor')
        OR coalesce(c.assignee_unit_id = p_acct.unit_id, false)
        OR coalesce(c.assignee_person_id = p_acct.person_id, false)
$$;
-- May the caller do this action on this case: the capability (or the second one), the tier
-- ladder, and through the handler capability only on a case it handles. One rule for
-- _begin, add_attachment and allowed_actions; never NULL.
CREATE FUNCTION cc._may_on(p_action cc.workflow_action, c cc."case", p_acct cc.console_account) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(cc._tier_allows(c.tier, p_acct, p_action.code)
        AND ((cc._has_capability(p_action.capability)
              AND (p_action.capability <> 'handler' OR cc._handles(c, p_acct)))
          OR (p_action.also_capability IS NOT NULL AND cc._has_capability(p_action.also_capability)
              AND (p_action.also_capability <> 'handler' OR cc._handles(c, p_acct)))), false)
$$;
GRANT EXECUTE ON FUNCTION cc._may(cc.workflow_action), cc._roles_of(cc.workflow_action),
    cc._handles(cc."case", cc.console_account),
    cc._may_on(cc.workflow_action, cc."case", cc.console_account) TO cc_exec;

-- ---------------------------------------------------------------- a caller's name and phone
-- A resident's name and phone: recorded by operators (who call back), not by terminals; bounded
-- and checked once here for a new report and for a repeat of one.
CREATE FUNCTION cc._caller(p_name text, p_phone text, OUT name text, OUT phone text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_name IS NULL AND p_phone IS NULL THEN
        RETURN;
    END IF;
    IF NOT cc._has_capability('operator') THEN
        RAISE EXCEPTION 'recording a caller''s name and phone needs the operator role; login "%" does not have it',
                        session_user
            USING ERRCODE = '42501', HINT = 'Leave the caller''s name and phone empty.';
    END IF;
    name := nullif(cc._text_arg(p_name, 'the caller''s name', cc._limit_of('caller_name_chars')), '');
    phone := nullif(cc._text_arg(p_phone, 'the caller''s phone number', cc._limit_of('caller_phone_chars')), '');
    IF phone !~ '^\+?[0-9][0-9 ()-]{2,28}$' THEN
        RAISE EXCEPTION 'the caller''s phone number % is not a phone number', cc._quote(phone)
            USING ERRCODE = 'CC009', HINT = 'Digits, spaces, brackets and dashes, optionally after a +.';
    END IF;
END $$;
GRANT EXECUTE ON FUNCTION cc._caller(text, text) TO cc_exec;

-- ---------------------------------------------------------------- key figures
-- Periods are scanned by time: today's figures read today's events, not the whole log.
CREATE INDEX case_event_at_idx ON cc.case_event (at);
CREATE INDEX case_closed_at_idx ON cc."case" (closed_at) WHERE closed_at IS NOT NULL;

-- The measures behind the key-figure strip, the wall and `report`, written once here and in
-- db/README.md ("Key figures"). SECURITY INVOKER: a console counts what its row-level
-- security lets it see, so a street sub-centre gets its street's figures.
CREATE FUNCTION cc.local_day_start(p_at timestamptz DEFAULT NULL) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('day', coalesce(p_at, cc.clock()) AT TIME ZONE cc.local_tz()) AT TIME ZONE cc.local_tz()
$$;
COMMENT ON FUNCTION cc.local_day_start(timestamptz) IS 'Midnight of the district''s calendar day of p_at (default now).';

CREATE FUNCTION cc._rate(p_part bigint, p_whole bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_whole > 0 THEN round(100.0 * p_part / p_whole, 1) END
$$;

CREATE FUNCTION cc.kpi_by_street(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (street_id integer, reported bigint, filed bigint, dispatched bigint, closed bigint,
               handled_judged bigint, handled_on_time bigint, handled_on_time_rate numeric)
LANGUAGE sql STABLE AS $$
    WITH flow AS (
        SELECT e.street_id,
               count(*) FILTER (WHERE e.action IN ('report', 'report_solved')) AS reported,
               count(*) FILTER (WHERE e.action = 'file') AS filed,
               count(*) FILTER (WHERE e.action IN ('dispatch', 'redispatch')) AS dispatched,
               count(*) FILTER (WHERE e.to_state = 'closed' AND e.action <> 'evaluate') AS closed
          FROM cc.case_event e
         WHERE e.at >= p_from AND e.at < p_to
         GROUP BY e.street_id),
    timely AS (
        SELECT b.street_id,
               count(*) FILTER (WHERE b.handled_late IS NOT NULL) AS judged,
               count(*) FILTER (WHERE b.handled_late = false) AS on_time
          FROM cc.case_board b
         WHERE b.closed_at >= p_from AND b.closed_at < p_to
         GROUP BY b.street_id)
    SELECT coalesce(f.street_id, t.street_id),
           coalesce(f.reported, 0), coalesce(f.filed, 0), coalesce(f.dispatched, 0), coalesce(f.closed, 0),
           coalesce(t.judged, 0), coalesce(t.on_time, 0), cc._rate(t.on_time, t.judged)
      FROM flow f FULL JOIN timely t ON t.street_id = f.street_id
$$;
COMMENT ON FUNCTION cc.kpi_by_street(timestamptz, timestamptz) IS
    'Per street with activity in [p_from, p_to): reports, filings, dispatches and closures (events), '
    'cases closed whose handling was judged, on time, and the on-time rate in percent.';

CREATE FUNCTION cc.kpi(p_from timestamptz, p_to timestamptz, p_street integer DEFAULT NULL)
RETURNS TABLE (reported bigint, filed bigint, dispatched bigint, closed bigint,
               handled_judged bigint, handled_on_time bigint, handled_on_time_rate numeric)
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(k.reported), 0)::bigint, coalesce(sum(k.filed), 0)::bigint,
           coalesce(sum(k.dispatched), 0)::bigint, coalesce(sum(k.closed), 0)::bigint,
           coalesce(sum(k.handled_judged), 0)::bigint, coalesce(sum(k.handled_on_time), 0)::bigint,
           cc._rate(sum(k.handled_on_time)::bigint, sum(k.handled_judged)::bigint)
      FROM cc.kpi_by_street(p_from, p_to) k
     WHERE p_street IS NULL OR k.street_id = p_street
$$;
COMMENT ON FUNCTION cc.kpi(timestamptz, timestamptz, integer) IS
    'cc.kpi_by_street summed over the district (or one street): one row, rates in percent.';

CREATE FUNCTION cc.backlog_by_street()
RETURNS TABLE (street_id integer, open bigint, overdue bigint)
LANGUAGE sql STABLE AS $$
    SELECT b.street_id, count(*) FILTER (WHERE b.is_open), count(*) FILTER (WHERE b.overdue)
      FROM cc.case_board b
     GROUP BY b.street_id
$$;
COMMENT ON FUNCTION cc.backlog_by_street() IS 'Per street with visible cases: open now, and overdue now.';

GRANT EXECUTE ON FUNCTION cc.local_day_start(timestamptz), cc._rate(bigint, bigint),
    cc.kpi_by_street(timestamptz, timestamptz), cc.kpi(timestamptz, timestamptz, integer),
    cc.backlog_by_street() TO cc_reader, cc_exec;

-- ---------------------------------------------------------------- the recommended assignee
-- The one rule behind the ★ of the dispatch dialog, the demo history and the simulator: in the
-- grid and street loops the grid's own on-duty staff member in the role the item calls for,
-- else the unit routed for the item in the street; in the district loop (or with no routing)
-- the district-level unit of the item's department. Whoever returned the case as not theirs
-- is not recommended again.
CREATE FUNCTION cc._recommended(c cc."case", OUT kind text, OUT id integer)
LANGUAGE sql STABLE AS $$
    WITH cat AS (SELECT handler_role, coalesce(handler_department, 'city_command') AS dept
                   FROM cc.category WHERE category.id = c.category_id),
    returned AS (SELECT (e.data->>'unit_id')::integer AS unit_id, (e.data->>'person_id')::integer AS person_id
                   FROM cc.case_event e WHERE e.case_id = c.id AND e.action = 'return')
    SELECT o.kind, o.id FROM (
        SELECT 1 AS pref, 'person'::text AS kind, ga.person_id AS id
          FROM cc.grid_assignment ga JOIN cc.person p ON p.id = ga.person_id, cat
         WHERE c.tier <> 'district' AND ga.grid_id = c.grid_id AND ga.role_code = cat.handler_role AND p.on_duty
           AND ga.person_id NOT IN (SELECT person_id FROM returned WHERE person_id IS NOT NULL)
        UNION ALL
        SELECT 2, 'unit', rr.unit_id
          FROM cc.routing_rule rr
         WHERE c.tier <> 'district' AND rr.category_id = c.category_id AND rr.street_id = c.street_id
           AND rr.unit_id NOT IN (SELECT unit_id FROM returned WHERE unit_id IS NOT NULL)
        UNION ALL
        SELECT 3, 'unit', u.id
          FROM cc.unit u JOIN cc.department d ON d.id = u.department_id, cat
         WHERE u.street_id IS NULL AND d.code = cat.dept
    ) o ORDER BY o.pref, o.id LIMIT 1
$$;
COMMENT ON FUNCTION cc._recommended(cc."case") IS
    'The recommended assignee of a case (kind person|unit, id): the rule behind dispatch_options.recommended.';
GRANT EXECUTE ON FUNCTION cc._recommended(cc."case") TO cc_exec;

-- ---------------------------------------------------------------- replaced functions
-- Replacing a function keeps its owner (cc_exec); that needs the migrating superuser.
RESET ROLE;
-- Limits read from cc.input_limit: _require_note, _clean_note, _deadline_arg, report,
-- add_attachment. Capability through _may: add_attachment, _begin, allowed_actions. The
-- event's from-state is the state _begin locked, not a retyped literal: file, reject, accept,
-- return_case, verify, evaluate. Otherwise as in 0004_input.sql / 0001_workflow.sql.

CREATE OR REPLACE FUNCTION cc._require_note(p_note text, p_what text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v text := cc._text_arg(p_note, 'the note', cc._limit_of('note_chars'), true);
BEGIN
    IF v IS NULL OR v = '' THEN
        RAISE EXCEPTION '% needs a reason', p_what USING ERRCODE = 'CC009', HINT = 'Write a short reason.';
    END IF;
    RETURN v;
END $$;

CREATE OR REPLACE FUNCTION cc._clean_note(p_note text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN coalesce(cc._text_arg(p_note, 'the note', cc._limit_of('note_chars'), true), '');
END $$;

CREATE OR REPLACE FUNCTION cc._deadline_arg(p timestamptz, p_now timestamptz) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT isfinite(p) OR p <= p_now OR p > p_now + interval '1 day' * cc._limit_of('deadline_days') THEN
        RAISE EXCEPTION 'the deadline % is not between now and one year from now',
                        CASE WHEN isfinite(p) THEN to_char(p AT TIME ZONE cc.local_tz(), 'YYYY-MM-DD HH24:MI') ELSE p::text END
            USING ERRCODE = 'CC009', HINT = 'Leave it empty to use the category''s time limit, or pick a time within the next year.';
    END IF;
    RETURN p;
END $$;

CREATE OR REPLACE FUNCTION cc.report(
    p_source text, p_category text, p_title text, p_lon float8, p_lat float8,
    p_description text DEFAULT '', p_address text DEFAULT '', p_urgency text DEFAULT 'normal',
    p_grid_id integer DEFAULT NULL, p_reporter_person_id integer DEFAULT NULL,
    p_reporter_name text DEFAULT NULL, p_reporter_phone text DEFAULT NULL,
    p_solved_on_spot boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    cat   cc.category;
    g     cc.grid;
    acct  cc.console_account;
    c     cc."case";
    v_now timestamptz := cc.clock();
    v_reporter integer;
    v_title text;
    v_description text;
    v_address text;
    v_name text;
    v_phone text;
BEGIN
    acct := cc._account();
    IF NOT cc._has_capability('reporter') THEN
        RAISE EXCEPTION 'reporting a case needs the reporter role; login "%" does not have it', session_user
            USING ERRCODE = '42501', HINT = 'Sign in with a field terminal, operator or supervisor account.';
    END IF;
    PERFORM 1 FROM cc.case_source WHERE code = p_source;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown source %', cc._quote(p_source) USING ERRCODE = 'CC009',
            HINT = 'Use one of: ' || (SELECT string_agg(code, ', ' ORDER BY sort) FROM cc.case_source);
    END IF;
    PERFORM 1 FROM cc.urgency WHERE code = p_urgency;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown urgency %', cc._quote(p_urgency) USING ERRCODE = 'CC009',
            HINT = 'Use one of: ' || (SELECT string_agg(code, ', ' ORDER BY sort) FROM cc.urgency);
    END IF;
    SELECT * INTO cat FROM cc.category WHERE code = p_category;
    IF NOT FOUND OR cat.level <> 3 THEN
        RAISE EXCEPTION 'unknown case category %', cc._quote(p_category) USING ERRCODE = 'CC005',
            HINT = 'Use the code of an item (third level) of the taxonomy, cc.category where level = 3.';
    END IF;
    v_title := cc._text_arg(p_title, 'the title', cc._limit_of('title_chars'));
    IF v_title IS NULL OR v_title !~ '[^[:space:]\u3000]' THEN
        RAISE EXCEPTION 'a case needs a title of 1 to % characters (got none)', cc._limit_of('title_chars')
            USING ERRCODE = 'CC009', HINT = 'Say in a few words what is wrong and where.';
    END IF;
    v_description := coalesce(cc._text_arg(p_description, 'the description', cc._limit_of('description_chars'), true), '');
    v_address := coalesce(cc._text_arg(p_address, 'the address', cc._limit_of('address_chars')), '');
    IF p_lon IS NULL OR p_lat IS NULL OR p_lon NOT BETWEEN -180 AND 180 OR p_lat NOT BETWEEN -90 AND 90 THEN
        RAISE EXCEPTION 'position (%, %) is not a longitude/latitude pair', p_lon, p_lat
            USING ERRCODE = 'CC006', HINT = 'Send GCJ-02 longitude then latitude in degrees.';
    END IF;
    IF p_grid_id IS NULL THEN
        SELECT gr.* INTO g FROM cc.grid_part gp JOIN cc.grid gr ON gr.id = gp.grid_id
         WHERE gp.shape @> point(p_lon, p_lat)
         ORDER BY gr.id LIMIT 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'position (%, %) is outside every grid of the district', p_lon, p_lat
                USING ERRCODE = 'CC006', HINT = 'Check the coordinates (GCJ-02 lon/lat) or the address.';
        END IF;
    ELSE
        SELECT * INTO g FROM cc.grid WHERE id = p_grid_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'grid % does not exist', p_grid_id
                USING ERRCODE = 'CC009', HINT = 'Leave the grid empty to place the case by its position.';
        END IF;
        PERFORM 1 FROM cc.grid_part WHERE grid_id = g.id AND shape @> point(p_lon, p_lat);
        IF NOT FOUND THEN
            RAISE EXCEPTION 'position (%, %) is outside grid % (%)', p_lon, p_lat, g.code, g.name
                USING ERRCODE = 'CC006', HINT = 'Leave the grid empty to place the case by its position.';
        END IF;
    END IF;
    IF NOT cc.sees_street(g.street_id) THEN
        RAISE EXCEPTION 'grid % is outside your area', g.code
            USING ERRCODE = 'CC008', HINT = 'A street sub-centre reports only within its own street.';
    END IF;

    -- Who reports: the signed-in account's person. Only an administrator loading history may
    -- name another (as only it may set cc.clock).
    v_reporter := acct.person_id;
    IF p_reporter_person_id IS NOT NULL AND p_reporter_person_id IS DISTINCT FROM acct.person_id THEN
        IF NOT pg_has_role(session_user, 'cc_admin', 'MEMBER') THEN
            RAISE EXCEPTION 'the reporter is the signed-in account; login "%" cannot report as person %',
                            session_user, p_reporter_person_id
                USING ERRCODE = '42501', HINT = 'Leave the reporter empty; record a hotline caller by name and phone.';
        END IF;
        PERFORM 1 FROM cc.person WHERE id = p_reporter_person_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'person % does not exist', p_reporter_person_id
                USING ERRCODE = 'CC009', HINT = 'Name an existing person, or leave the reporter empty.';
        END IF;
        v_reporter := p_reporter_person_id;
    END IF;
    SELECT * INTO v_name, v_phone FROM cc._caller(p_reporter_name, p_reporter_phone);
    -- The grid micro-loop: only the grid's own staff may close a problem on the spot.
    IF p_solved_on_spot THEN
        PERFORM 1 FROM cc.grid_assignment WHERE grid_id = g.id AND person_id = v_reporter;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'only staff of grid % may report a case as solved on the spot; login "%" is not',
                            g.code, session_user
                USING ERRCODE = '42501', HINT = 'Report it for dispatch instead.';
        END IF;
    END IF;

    INSERT INTO cc."case" (code, source, category_id, title, description, address, lon, lat,
                           grid_id, community_id, street_id, urgency, state, tier,
                           reporter_person_id, reporter_name, reporter_phone, reported_at,
                           file_deadline, updated_at,
                           filed_at, handled_at, assignee_person_id, verify_deadline)
    VALUES ('pending', p_source, cat.id, v_title, v_description, v_address, p_lon, p_lat,
            g.id, g.community_id, g.street_id, p_urgency,
            CASE WHEN p_solved_on_spot THEN 'handled' ELSE 'reported' END,
            CASE WHEN p_source = 'patrol' THEN 'grid' ELSE 'street' END,
            v_reporter, v_name, v_phone, v_now,
            cc._limit(cat.id, p_urgency, 'file', v_now), v_now,
            CASE WHEN p_solved_on_spot THEN v_now END,
            CASE WHEN p_solved_on_spot THEN v_now END,
            CASE WHEN p_solved_on_spot THEN v_reporter END,
            CASE WHEN p_solved_on_spot THEN cc._limit(cat.id, p_urgency, 'verify', v_now) END)
    RETURNING * INTO c;
    UPDATE cc."case"
       SET code = to_char(v_now AT TIME ZONE cc.local_tz(), 'YYYYMMDD') || '-' || lpad(c.id::text, 6, '0')
     WHERE id = c.id
    RETURNING * INTO c;
    PERFORM cc._log(c, CASE WHEN p_solved_on_spot THEN 'report_solved' ELSE 'report' END, NULL,
                    NULL, acct, jsonb_build_object('source', p_source));
    RETURN c.id;
END $$;

CREATE OR REPLACE FUNCTION cc.add_attachment(p_case bigint, p_filename text, p_content bytea)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    c cc."case";
    acct cc.console_account;
    v_mime text;
    v_id bigint;
    v_name text;
    v_max integer := cc._limit_of('photo_bytes');
    v_per_case integer := cc._limit_of('photos_per_case');
    v_per_day integer := cc._limit_of('photos_per_login_day');
    act cc.workflow_action;
BEGIN
    acct := cc._account();
    SELECT * INTO act FROM cc.workflow_action WHERE code = 'attach';
    IF NOT cc._may(act) THEN
        RAISE EXCEPTION 'adding photos needs the % role', cc._roles_of(act)
            USING ERRCODE = '42501', HINT = 'Sign in with a field terminal, handler, operator or supervisor account.';
    END IF;
    SELECT * INTO c FROM cc."case" WHERE id = p_case FOR UPDATE;
    IF NOT FOUND OR NOT cc.sees_street(c.street_id) THEN
        RAISE EXCEPTION 'case % does not exist or is outside your area', p_case
            USING ERRCODE = 'CC008', HINT = 'Check the case number; a street sub-centre sees only its own street.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM cc.state_action WHERE from_state = c.state AND action = act.code) THEN
        RAISE EXCEPTION 'case % is finished (%); photos are added while it is open', c.code, c.state
            USING ERRCODE = 'CC001', HINT = 'Attach photos before the case is closed.';
    END IF;
    IF NOT cc._may_on(act, c, acct) THEN
        RAISE EXCEPTION 'case % is not assigned to you; a handler adds photos to the cases it handles', c.code
            USING ERRCODE = '42501', HINT = 'Only the assigned unit or person, a field terminal or an operator may add them.';
    END IF;
    -- The counts below must see every photo committed before this one: take the event counter
    -- (the lock cc._log takes anyway, held to commit) first. Without it, each connection of a
    -- login passed the daily count before the others committed (connection limit − 1 over);
    -- under REPEATABLE READ a counter moved since the snapshot refuses (serialisation failure).
    PERFORM 1 FROM cc.event_counter FOR UPDATE;
    IF (SELECT count(*) FROM cc.attachment WHERE case_id = c.id) >= v_per_case THEN
        RAISE EXCEPTION 'case % has % photos already, the most one case keeps', c.code, v_per_case
            USING ERRCODE = 'CC007', HINT = 'Choose the photos that show the problem best.';
    END IF;
    IF (SELECT count(*) FROM cc.attachment
         WHERE uploaded_by = session_user AND uploaded_at > cc.clock() - interval '1 day') >= v_per_day THEN
        RAISE EXCEPTION 'login "%" has added % photos in the last 24 hours, the most one account may', session_user, v_per_day
            USING ERRCODE = 'CC007', HINT = 'Ask the administrator if a field day really needs more.';
    END IF;
    v_name := cc._text_arg(p_filename, 'the file name', cc._limit_of('filename_chars'));
    IF v_name IS NULL OR v_name = '' THEN
        RAISE EXCEPTION 'a photo needs a file name of 1 to % characters', cc._limit_of('filename_chars')
            USING ERRCODE = 'CC009', HINT = 'Name the file, e.g. photo.jpg.';
    END IF;
    IF p_content IS NULL OR length(p_content) = 0 THEN
        RAISE EXCEPTION 'the photo % is empty', cc._quote(v_name)
            USING ERRCODE = 'CC007', HINT = 'Attach the photo file itself.';
    END IF;
    IF length(p_content) > v_max THEN
        RAISE EXCEPTION 'the photo % is % bytes; at most % bytes (% MiB) are accepted',
                        cc._quote(v_name), length(p_content), v_max, round(v_max / 1048576.0, 1)
            USING ERRCODE = 'CC007', HINT = 'Reduce its size or resolution and attach it again.';
    END IF;
    -- Trust the bytes, not the name: JPEG, PNG and WebP signatures.
    v_mime := CASE
        WHEN substring(p_content FROM 1 FOR 3) = '\xffd8ff'::bytea THEN 'image/jpeg'
        WHEN substring(p_content FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea THEN 'image/png'
        WHEN substring(p_content FROM 1 FOR 4) = '\x52494646'::bytea
             AND substring(p_content FROM 9 FOR 4) = '\x57454250'::bytea THEN 'image/webp'
    END;
    IF v_mime IS NULL THEN
        RAISE EXCEPTION '% is not a JPEG, PNG or WebP image', cc._quote(v_name)
            USING ERRCODE = 'CC007', HINT = 'Attach a photo in one of those formats.';
    END IF;
    INSERT INTO cc.attachment (case_id, street_id, filename, mime, size_bytes, sha256, content, uploaded_by, uploaded_at)
    VALUES (c.id, c.street_id, v_name, v_mime, length(p_content), sha256(p_content), p_content,
            session_user, cc.clock())
    RETURNING id INTO v_id;
    PERFORM cc._log(c, 'attach', c.state, '', acct,
                    jsonb_build_object('attachment_id', v_id, 'mime', v_mime, 'bytes', length(p_content)));
    RETURN v_id;
END $$;

CREATE OR REPLACE FUNCTION cc._begin(p_case bigint, p_version integer, p_action text,
                          OUT c cc."case", OUT to_state text, OUT acct cc.console_account)
LANGUAGE plpgsql AS $$
DECLARE
    act  cc.workflow_action;
    last cc.case_event;
BEGIN
    acct := cc._account();
    SELECT * INTO act FROM cc.workflow_action WHERE code = p_action;
    SELECT * INTO c FROM cc."case" WHERE id = p_case FOR UPDATE;
    IF NOT FOUND OR NOT cc.sees_street(c.street_id) THEN
        RAISE EXCEPTION 'case % does not exist or is outside your area', p_case
            USING ERRCODE = 'CC008', HINT = 'Check the case number; a street sub-centre sees only its own street.';
    END IF;
    IF NOT cc._may(act) THEN
        RAISE EXCEPTION '"%" (%) needs the % role; login "%" does not have it',
                        act.name, act.name_en, cc._roles_of(act), session_user
            USING ERRCODE = '42501', HINT = 'Ask a ' || cc._roles_of(act) || ' to do it, or ask the administrator for the role.';
    END IF;
    -- The tier ladder: a case in the district loop is the district centre's (and its units');
    -- a street console may still urge it.
    IF NOT cc._tier_allows(c.tier, acct, p_action) THEN
        RAISE EXCEPTION 'case % is in the district loop; the district command centre handles it', c.code
            USING ERRCODE = '42501', HINT = 'Urge it, or ask the district command centre.';
    END IF;
    -- What is left of cc._may_on: a handler acts only on a case it handles.
    IF NOT cc._may_on(act, c, acct) THEN
        RAISE EXCEPTION 'case % is not assigned to you', c.code
            USING ERRCODE = '42501', HINT = 'Only the assigned unit or person, or a supervisor, may do this.';
    END IF;
    IF p_version IS DISTINCT FROM c.version THEN
        SELECT * INTO last FROM cc.case_event WHERE case_id = c.id ORDER BY id DESC LIMIT 1;
        RAISE EXCEPTION 'case % was changed by % at % (% → %); you had version %, it is now version %',
                        c.code, last.actor, to_char(last.at AT TIME ZONE cc.local_tz(), 'YYYY-MM-DD HH24:MI:SS'),
                        last.action, last.to_state, p_version, c.version
            USING ERRCODE = 'CC002', HINT = 'Reload the case and decide again.';
    END IF;
    SELECT sa.to_state INTO to_state FROM cc.state_action sa
     WHERE sa.from_state = c.state AND sa.action = p_action;
    IF NOT FOUND THEN
        RAISE EXCEPTION '"%" (%) is not allowed for case % in state %', act.name, act.name_en, c.code,
                        (SELECT name || ' / ' || name_en FROM cc.case_state WHERE code = c.state)
            USING ERRCODE = 'CC001',
                  HINT = 'Allowed now: ' || coalesce((SELECT string_agg(a.name_en, ', ' ORDER BY a.sort)
                                                       FROM cc.state_action s JOIN cc.workflow_action a ON a.code = s.action
                                                      WHERE s.from_state = c.state), 'nothing (the case is finished)');
    END IF;
END $$;

CREATE OR REPLACE FUNCTION cc.allowed_actions(p_case bigint)
RETURNS TABLE (action text, name text, name_en text, to_state text, irreversible boolean,
               needs_note boolean, permitted boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
    SELECT a.code, a.name, a.name_en, sa.to_state, a.irreversible, a.needs_note,
           cc._may_on(a, c, cc._account())
      FROM cc."case" c
      JOIN cc.state_action sa ON sa.from_state = c.state
      JOIN cc.workflow_action a ON a.code = sa.action
     WHERE c.id = p_case AND cc.sees_street(c.street_id)
     ORDER BY a.sort
$$;

CREATE OR REPLACE FUNCTION cc.file(p_case bigint, p_version integer, p_tier text DEFAULT NULL,
                                   p_urgency text DEFAULT NULL, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_urgency text;
BEGIN
    b := cc._begin(p_case, p_version, 'file');
    c := b.c;
    v_urgency := coalesce(p_urgency, c.urgency);
    PERFORM 1 FROM cc.urgency WHERE code = v_urgency;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown urgency %', cc._quote(v_urgency) USING ERRCODE = 'CC009',
            HINT = 'Use one of: ' || (SELECT string_agg(code, ', ' ORDER BY sort) FROM cc.urgency);
    END IF;
    IF p_tier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cc.tier WHERE code = p_tier) THEN
        RAISE EXCEPTION 'unknown tier % (grid, street or district)', cc._quote(p_tier)
            USING ERRCODE = 'CC009', HINT = 'Leave the tier empty to keep the one the report was given.';
    END IF;
    IF p_tier = 'district' AND (b.acct).street_id IS NOT NULL THEN
        RAISE EXCEPTION 'a street sub-centre files cases in the grid or street loop, not the district loop'
            USING ERRCODE = '42501', HINT = 'File it for the street; escalate it if the street cannot solve it.';
    END IF;
    UPDATE cc."case" SET state = b.to_state, tier = coalesce(p_tier, tier), urgency = v_urgency,
           filed_at = v_now, dispatch_deadline = cc._limit(category_id, v_urgency, 'dispatch', v_now),
           version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'file', (b.c).state, cc._clean_note(p_note), b.acct);
    RETURN c.version;
END $$;

CREATE OR REPLACE FUNCTION cc.reject(p_case bigint, p_version integer, p_reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
BEGIN
    b := cc._begin(p_case, p_version, 'reject');
    c := b.c;
    UPDATE cc."case" SET state = b.to_state, closed_at = v_now, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'reject', (b.c).state, cc._require_note(p_reason, 'Rejecting a report'), b.acct);
    RETURN c.version;
END $$;

CREATE OR REPLACE FUNCTION cc.accept(p_case bigint, p_version integer, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
BEGIN
    b := cc._begin(p_case, p_version, 'accept');
    c := b.c;
    UPDATE cc."case" SET state = b.to_state, accepted_at = v_now, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'accept', (b.c).state, cc._clean_note(p_note), b.acct);
    RETURN c.version;
END $$;

CREATE OR REPLACE FUNCTION cc.return_case(p_case bigint, p_version integer, p_reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_unit integer;
    v_person integer;
    v_now timestamptz := cc.clock();
BEGIN
    b := cc._begin(p_case, p_version, 'return');
    c := b.c;
    v_unit := c.assignee_unit_id;
    v_person := c.assignee_person_id;
    UPDATE cc."case" SET state = b.to_state, return_count = return_count + 1,
           assignee_unit_id = NULL, assignee_person_id = NULL, handle_deadline = NULL,
           dispatch_deadline = cc._limit(category_id, urgency, 'dispatch', v_now),
           version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'return', (b.c).state, cc._require_note(p_reason, 'Returning a case'), b.acct,
                    jsonb_build_object('unit_id', v_unit, 'person_id', v_person));
    RETURN c.version;
END $$;

CREATE OR REPLACE FUNCTION cc.verify(p_case bigint, p_version integer, p_passed boolean, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_action text := CASE WHEN p_passed THEN 'verify_pass' ELSE 'verify_fail' END;
    v_note text;
BEGIN
    IF p_passed IS NULL THEN
        RAISE EXCEPTION 'verification needs a result: passed true or false' USING ERRCODE = 'CC009',
            HINT = 'Say whether the on-site check passed (true) or failed (false).';
    END IF;
    b := cc._begin(p_case, p_version, v_action);
    c := b.c;
    IF p_passed THEN
        v_note := cc._clean_note(p_note);
        UPDATE cc."case" SET state = b.to_state, closed_at = v_now, version = version + 1, updated_at = v_now
         WHERE id = p_case RETURNING * INTO c;
    ELSE
        v_note := cc._require_note(p_note, 'A failed verification');
        UPDATE cc."case" SET state = b.to_state, rework_count = rework_count + 1, handled_at = NULL,
               verify_deadline = NULL,
               handle_deadline = cc._limit(category_id, urgency, 'handle', v_now),
               version = version + 1, updated_at = v_now
         WHERE id = p_case RETURNING * INTO c;
    END IF;
    PERFORM cc._log(c, v_action, (b.c).state, v_note, b.acct);
    RETURN c.version;
END $$;

CREATE OR REPLACE FUNCTION cc.evaluate(p_case bigint, p_version integer, p_satisfaction integer, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
BEGIN
    IF p_satisfaction IS NULL OR p_satisfaction NOT BETWEEN 1 AND 5 THEN
        RAISE EXCEPTION 'satisfaction must be 1 (very dissatisfied) to 5 (very satisfied), got %', p_satisfaction
            USING ERRCODE = 'CC009', HINT = 'Give the satisfaction as a whole number from 1 to 5.';
    END IF;
    b := cc._begin(p_case, p_version, 'evaluate');
    c := b.c;
    UPDATE cc."case" SET state = b.to_state, satisfaction = p_satisfaction, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'evaluate', (b.c).state, cc._clean_note(p_note), b.acct,
                    jsonb_build_object('satisfaction', p_satisfaction));
    RETURN c.version;
END $$;

CREATE OR REPLACE FUNCTION cc.dispatch_options(p_case bigint)
RETURNS TABLE (kind text, id integer, name text, detail text, detail_en text, phone text,
               open_load bigint, recommended boolean, deadline timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    c cc."case";
    cat cc.category;
    v_deadline timestamptz;
    rec record;
BEGIN
    SELECT * INTO c FROM cc."case" WHERE "case".id = p_case AND cc.sees_street(street_id);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'case % does not exist or is outside your scope', p_case
            USING ERRCODE = 'CC008', HINT = 'Reload the case board.';
    END IF;
    SELECT * INTO cat FROM cc.category WHERE category.id = c.category_id;
    rec := cc._recommended(c);
    v_deadline := cc._limit(c.category_id, c.urgency, 'handle', cc.clock());
    RETURN QUERY
    SELECT 'person'::text, p.id, p.name, r.name, r.name_en, p.phone,
           (SELECT count(*) FROM cc."case" o JOIN cc.case_state s ON s.code = o.state
             WHERE o.assignee_person_id = p.id AND s.is_open),
           coalesce(rec.kind = 'person' AND rec.id = p.id AND r.code = cat.handler_role, false), v_deadline
      FROM cc.grid_assignment ga
      JOIN cc.person p ON p.id = ga.person_id
      JOIN cc.force_role r ON r.code = ga.role_code
     WHERE ga.grid_id = c.grid_id AND p.on_duty
    UNION ALL
    SELECT 'unit'::text, u.id, u.name, d.name, d.name_en, NULL::text,
           (SELECT count(*) FROM cc."case" o JOIN cc.case_state s ON s.code = o.state
             WHERE o.assignee_unit_id = u.id AND s.is_open),
           coalesce(rec.kind = 'unit' AND rec.id = u.id, false),
           v_deadline
      FROM cc.unit u
      JOIN cc.department d ON d.id = u.department_id
     WHERE u.street_id = c.street_id OR u.street_id IS NULL
     ORDER BY 8 DESC, 1, 7, 3;
END $$;

-- The one reader (commandcenter/store/events.py, read_changes) reads event_horizon() and then
-- events_after() in one pipelined round trip without a transaction: gap-safe because ids are
-- visible densely and in order. The comment of 0001 asked for a REPEATABLE READ transaction.
COMMENT ON FUNCTION cc.events_after(bigint, integer) IS
    'Visible events after an id, in id order (at most p_limit). Read cc.event_horizon() first, then this: '
    'ids become visible densely and in order, so every id up to that horizon is seen, and a cursor set to '
    'max(horizon, last id) never skips an event (or to the last id when the page is full).';
