-- Revision 0004, part 1: what a hostile console may send. Every text argument is bounded and
-- cleaned of control and bidirectional-override characters; every refusal quotes at most a
-- short prefix of what it refused; the reporter is the signed-in account; the loop's tiers are
-- a ladder (grid → street → district) that street consoles cannot skip.
-- These definitions replace those of 0001_workflow.sql and 0003_accounts.sql (named below).
-- Replaced since 0005 (0005_rules.sql): _require_note, _clean_note, _deadline_arg, report, file, add_attachment, verify, evaluate, _begin, allowed_actions, dispatch_options.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- text hygiene
-- Controls (C0 except tab/newline in multi-line text, DEL, C1) and the bidi marks, embeddings,
-- overrides and isolates that make text display differently from what it is.
CREATE FUNCTION cc._clean_text(p text, p_multiline boolean DEFAULT false) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT btrim(regexp_replace(
        CASE WHEN p_multiline THEN replace(p, E'\r\n', E'\n')
             ELSE regexp_replace(p, '[\t\n\r]+', ' ', 'g') END,
        CASE WHEN p_multiline
             THEN '[\x01-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]'
             ELSE '[\x01-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]' END,
        '', 'g'))
$$;
COMMENT ON FUNCTION cc._clean_text(text, boolean) IS
    'Text as stored: control and bidi-override characters removed, tabs/newlines folded on one-line fields, trimmed.';

-- How a refused argument is echoed in a message: at most 40 characters, controls shown as ?.
CREATE FUNCTION cc._quote(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p IS NULL THEN 'NULL' ELSE
        '"' || regexp_replace(left(p, 40), '[\x01-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]', '?', 'g')
        || CASE WHEN length(p) > 40 THEN '…" (' || length(p) || ' characters)' ELSE '"' END
    END
$$;

-- A bounded, cleaned text argument (NULL stays NULL). p_what names the field in the refusal.
CREATE FUNCTION cc._text_arg(p text, p_what text, p_max integer, p_multiline boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p IS NULL THEN
        RETURN NULL;
    END IF;
    IF length(p) > p_max THEN
        RAISE EXCEPTION '% is too long: % characters; at most % are allowed', p_what, length(p), p_max
            USING ERRCODE = 'CC009', HINT = 'Shorten it to ' || p_max || ' characters or fewer.';
    END IF;
    RETURN cc._clean_text(p, p_multiline);
END $$;

-- ---------------------------------------------------------------- notes (replace 0001)
CREATE OR REPLACE FUNCTION cc._require_note(p_note text, p_what text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v text := cc._text_arg(p_note, 'the note', 2000, true);
BEGIN
    IF v IS NULL OR v = '' THEN
        RAISE EXCEPTION '% needs a reason', p_what USING ERRCODE = 'CC009', HINT = 'Write a short reason.';
    END IF;
    RETURN v;
END $$;

CREATE OR REPLACE FUNCTION cc._clean_note(p_note text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN coalesce(cc._text_arg(p_note, 'the note', 2000, true), '');
END $$;

-- Append-only, for whichever table the trigger guards (replaces 0001_events.sql's text, which
-- named the case event table also for the audit log).
CREATE OR REPLACE FUNCTION cc._event_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the table cc.% is append-only: % is refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = '42501', HINT = 'Record a correction as a new row through a cc.* function.';
END $$;

-- ---------------------------------------------------------------- deadlines a person sets
-- A deadline chosen by hand: finite, in the future, and within a year.
CREATE FUNCTION cc._deadline_arg(p timestamptz, p_now timestamptz) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT isfinite(p) OR p <= p_now OR p > p_now + interval '366 days' THEN
        RAISE EXCEPTION 'the deadline % is not between now and one year from now',
                        CASE WHEN isfinite(p) THEN to_char(p AT TIME ZONE cc.local_tz(), 'YYYY-MM-DD HH24:MI') ELSE p::text END
            USING ERRCODE = 'CC009', HINT = 'Leave it empty to use the category''s time limit, or pick a time within the next year.';
    END IF;
    RETURN p;
END $$;

-- ---------------------------------------------------------------- the tier ladder
CREATE FUNCTION cc._tier_at_least(p_tier text, p_floor text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN (SELECT rank FROM cc.tier WHERE code = p_tier) >= (SELECT rank FROM cc.tier WHERE code = p_floor)
                THEN p_tier ELSE p_floor END
$$;

-- ---------------------------------------------------------------- 1. collect (replaces 0001)
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
    v_title := cc._text_arg(p_title, 'the title', 200);
    IF v_title IS NULL OR v_title !~ '[^[:space:]\u3000]' THEN
        RAISE EXCEPTION 'a case needs a title of 1 to 200 characters (got none)'
            USING ERRCODE = 'CC009', HINT = 'Say in a few words what is wrong and where.';
    END IF;
    v_description := coalesce(cc._text_arg(p_description, 'the description', 4000, true), '');
    v_address := coalesce(cc._text_arg(p_address, 'the address', 300), '');
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
    -- A resident's name and phone: recorded by operators (who call back), not by terminals.
    IF p_reporter_name IS NOT NULL OR p_reporter_phone IS NOT NULL THEN
        IF NOT cc._has_capability('operator') THEN
            RAISE EXCEPTION 'recording a caller''s name and phone needs the operator role; login "%" does not have it',
                            session_user
                USING ERRCODE = '42501', HINT = 'Leave the caller''s name and phone empty.';
        END IF;
        v_name := nullif(cc._text_arg(p_reporter_name, 'the caller''s name', 50), '');
        v_phone := nullif(cc._text_arg(p_reporter_phone, 'the caller''s phone number', 30), '');
        IF v_phone !~ '^\+?[0-9][0-9 ()-]{2,28}$' THEN
            RAISE EXCEPTION 'the caller''s phone number % is not a phone number', cc._quote(v_phone)
                USING ERRCODE = 'CC009', HINT = 'Digits, spaces, brackets and dashes, optionally after a +.';
        END IF;
    END IF;
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

-- ---------------------------------------------------------------- 2. file (replaces 0001)
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
    PERFORM cc._log(c, 'file', 'reported', cc._clean_note(p_note), b.acct);
    RETURN c.version;
END $$;

-- ---------------------------------------------------------------- 3. dispatch (replaces 0001)
-- The target belongs to the case's street and tier: grid staff of the case's grid work the grid
-- loop, the street's units and staff the street loop, district-level units the district loop.
-- Dispatching to a higher level's target raises the tier to it (recorded in the event); only
-- the district centre may raise a case to the district loop that way, and only it dispatches
-- cases in the district loop.
CREATE OR REPLACE FUNCTION cc._assign(p_action text, p_case bigint, p_version integer, p_unit_id integer,
                                      p_person_id integer, p_deadline timestamptz, p_note text)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_from text;
    v_from_tier text;
    v_tier text;
    u cc.unit;
    v_deadline timestamptz;
    v_note text;
BEGIN
    b := cc._begin(p_case, p_version, p_action);
    c := b.c;
    v_from := c.state;
    v_from_tier := c.tier;
    IF c.tier = 'district' AND (b.acct).street_id IS NOT NULL THEN
        RAISE EXCEPTION 'case % is in the district loop; the district command centre dispatches it', c.code
            USING ERRCODE = '42501', HINT = 'Urge it, or ask the district command centre.';
    END IF;
    IF (p_unit_id IS NULL) = (p_person_id IS NULL) THEN
        RAISE EXCEPTION 'dispatch needs exactly one assignee: a unit or a person'
            USING ERRCODE = 'CC009', HINT = 'Choose the responsible unit or the grid staff member.';
    END IF;
    IF p_unit_id IS NOT NULL THEN
        SELECT * INTO u FROM cc.unit WHERE id = p_unit_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unit % does not exist', p_unit_id
                USING ERRCODE = 'CC009', HINT = 'Pick the unit from the dispatch options of the case.';
        END IF;
        IF u.street_id IS NOT NULL AND u.street_id <> c.street_id THEN
            RAISE EXCEPTION 'unit % belongs to another street than case %', u.name, c.code
                USING ERRCODE = 'CC009', HINT = 'Choose a unit of the case''s street or a district-level unit.';
        END IF;
        IF u.street_id IS NULL AND (b.acct).street_id IS NOT NULL THEN
            RAISE EXCEPTION 'a street sub-centre dispatches to its own street''s units; % is district-level', u.name
                USING ERRCODE = '42501', HINT = 'Escalate the case to the district to involve district departments.';
        END IF;
        v_tier := cc._tier_at_least(c.tier, CASE WHEN u.street_id IS NULL THEN 'district' ELSE 'street' END);
    ELSE
        PERFORM 1 FROM cc.grid_assignment ga JOIN cc.grid g ON g.id = ga.grid_id
         WHERE ga.person_id = p_person_id AND g.street_id = c.street_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'person % holds no grid post in the street of case %', p_person_id, c.code
                USING ERRCODE = 'CC009', HINT = 'Choose staff of the case''s grid or street.';
        END IF;
        v_tier := CASE WHEN EXISTS (SELECT 1 FROM cc.grid_assignment
                                     WHERE person_id = p_person_id AND grid_id = c.grid_id)
                       THEN c.tier ELSE cc._tier_at_least(c.tier, 'street') END;
    END IF;
    v_deadline := coalesce(cc._deadline_arg(p_deadline, v_now), cc._limit(c.category_id, c.urgency, 'handle', v_now));
    v_note := cc._clean_note(p_note);
    UPDATE cc."case" SET state = b.to_state, tier = v_tier, assignee_unit_id = p_unit_id,
           assignee_person_id = p_person_id, dispatched_at = v_now, accepted_at = NULL,
           handle_deadline = v_deadline, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, p_action, v_from, v_note, b.acct,
                    jsonb_build_object('unit_id', p_unit_id, 'person_id', p_person_id, 'deadline', v_deadline)
                    || CASE WHEN v_tier <> v_from_tier THEN jsonb_build_object('tier', v_tier) ELSE '{}' END);
    RETURN c.version;
END $$;

-- ---------------------------------------------------------------- photos (replaces 0001)
CREATE OR REPLACE FUNCTION cc.add_attachment(p_case bigint, p_filename text, p_content bytea)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    c cc."case";
    acct cc.console_account;
    v_mime text;
    v_id bigint;
    v_name text;
    v_max integer := 5 * 1024 * 1024;
BEGIN
    acct := cc._account();
    IF NOT cc._has_capability('reporter') AND NOT cc._has_capability('handler') THEN
        RAISE EXCEPTION 'adding photos needs the reporter or handler role'
            USING ERRCODE = '42501', HINT = 'Sign in with a field terminal, handler, operator or supervisor account.';
    END IF;
    SELECT * INTO c FROM cc."case" WHERE id = p_case FOR UPDATE;
    IF NOT FOUND OR NOT cc.sees_street(c.street_id) THEN
        RAISE EXCEPTION 'case % does not exist or is outside your area', p_case
            USING ERRCODE = 'CC008', HINT = 'Check the case number; a street sub-centre sees only its own street.';
    END IF;
    IF NOT (SELECT is_open FROM cc.case_state WHERE code = c.state) THEN
        RAISE EXCEPTION 'case % is finished (%); photos are added while it is open', c.code, c.state
            USING ERRCODE = 'CC001', HINT = 'Attach photos before the case is closed.';
    END IF;
    IF (SELECT count(*) FROM cc.attachment WHERE case_id = c.id) >= 20 THEN
        RAISE EXCEPTION 'case % has 20 photos already, the most one case keeps', c.code
            USING ERRCODE = 'CC007', HINT = 'Choose the photos that show the problem best.';
    END IF;
    IF (SELECT count(*) FROM cc.attachment
         WHERE uploaded_by = session_user AND uploaded_at > cc.clock() - interval '1 day') >= 300 THEN
        RAISE EXCEPTION 'login "%" has added 300 photos in the last 24 hours, the most one account may', session_user
            USING ERRCODE = 'CC007', HINT = 'Ask the administrator if a field day really needs more.';
    END IF;
    v_name := cc._text_arg(p_filename, 'the file name', 200);
    IF v_name IS NULL OR v_name = '' THEN
        RAISE EXCEPTION 'a photo needs a file name of 1 to 200 characters'
            USING ERRCODE = 'CC009', HINT = 'Name the file, e.g. photo.jpg.';
    END IF;
    IF p_content IS NULL OR length(p_content) = 0 THEN
        RAISE EXCEPTION 'the photo % is empty', cc._quote(v_name)
            USING ERRCODE = 'CC007', HINT = 'Attach the photo file itself.';
    END IF;
    IF length(p_content) > v_max THEN
        RAISE EXCEPTION 'the photo % is % bytes; at most % bytes (5 MiB) are accepted',
                        cc._quote(v_name), length(p_content), v_max
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


-- ---------------------------------------------------------------- every refusal with a hint (replace 0001)
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
    PERFORM cc._log(c, v_action, 'handled', v_note, b.acct);
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
    PERFORM cc._log(c, 'evaluate', 'closed', cc._clean_note(p_note), b.acct,
                    jsonb_build_object('satisfaction', p_satisfaction));
    RETURN c.version;
END $$;

CREATE OR REPLACE FUNCTION cc.add_time(p_start timestamptz, p_amount numeric, p_unit text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_local   timestamp;
    v_day     date;
    v_time    time;
    v_left    numeric;   -- working minutes still to place
    v_from    time;
    v_avail   numeric;
    v_starts  time[];
    v_ends    time[];
    i         integer;
    v_guard   integer := 0;
BEGIN
    IF p_amount IS NULL OR p_amount < 0 THEN
        RAISE EXCEPTION 'time limit must be a non-negative amount, got %', p_amount
            USING ERRCODE = 'CC009', HINT = 'Correct the amount in cc.time_limit.';
    END IF;
    CASE p_unit
        WHEN 'minutes' THEN RETURN p_start + interval '1 minute' * p_amount::float8;
        WHEN 'hours' THEN RETURN p_start + interval '1 hour' * p_amount::float8;
        WHEN 'work_hours' THEN v_left := p_amount * 60;
        WHEN 'work_days' THEN v_left := p_amount * cc.workday_minutes();
        ELSE RAISE EXCEPTION 'unknown time unit % (use minutes, hours, work_hours or work_days)', cc._quote(p_unit)
             USING ERRCODE = 'CC009', HINT = 'Correct the unit in cc.time_limit.';
    END CASE;
    -- Read the work periods once, not once per day walked.
    SELECT array_agg(starts ORDER BY seq), array_agg(ends ORDER BY seq) INTO v_starts, v_ends FROM cc.work_period;
    v_local := p_start AT TIME ZONE cc.local_tz();
    v_day := v_local::date;
    v_time := v_local::time;
    LOOP
        v_guard := v_guard + 1;
        IF v_guard > 4000 THEN
            RAISE EXCEPTION 'work calendar has no working time within 4000 days of %', p_start
                USING ERRCODE = 'CC009', HINT = 'Check cc.work_period and cc.calendar_day.';
        END IF;
        IF cc.is_workday(v_day) THEN
            FOR i IN 1 .. coalesce(cardinality(v_starts), 0) LOOP
                CONTINUE WHEN v_time >= v_ends[i];
                v_from := greatest(v_time, v_starts[i]);
                v_avail := extract(epoch FROM v_ends[i] - v_from) / 60;
                IF v_left <= v_avail THEN
                    RETURN ((v_day + v_from) + interval '1 minute' * v_left::float8) AT TIME ZONE cc.local_tz();
                END IF;
                v_left := v_left - v_avail;
                v_time := v_ends[i];
            END LOOP;
        END IF;
        v_day := v_day + 1;
        v_time := time '00:00';
    END LOOP;
END $$;

-- ---------------------------------------------------------------- dispatch options (replaces 0002)
-- "Recommended" is never NULL: an item handled by a department has no grid role, and a NULL
-- sorted before true put the recommended unit after every grid staff member.
CREATE OR REPLACE FUNCTION cc.dispatch_options(p_case bigint)
RETURNS TABLE (kind text, id integer, name text, detail text, detail_en text, phone text,
               open_load bigint, recommended boolean, deadline timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    c cc."case";
    cat cc.category;
    v_deadline timestamptz;
BEGIN
    SELECT * INTO c FROM cc."case" WHERE "case".id = p_case AND cc.sees_street(street_id);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'case % does not exist or is outside your scope', p_case
            USING ERRCODE = 'CC008', HINT = 'Reload the case board.';
    END IF;
    SELECT * INTO cat FROM cc.category WHERE category.id = c.category_id;
    v_deadline := cc._limit(c.category_id, c.urgency, 'handle', cc.clock());
    RETURN QUERY
    SELECT 'person'::text, p.id, p.name, r.name, r.name_en, p.phone,
           (SELECT count(*) FROM cc."case" o JOIN cc.case_state s ON s.code = o.state
             WHERE o.assignee_person_id = p.id AND s.is_open),
           coalesce(r.code = cat.handler_role, false), v_deadline
      FROM cc.grid_assignment ga
      JOIN cc.person p ON p.id = ga.person_id
      JOIN cc.force_role r ON r.code = ga.role_code
     WHERE ga.grid_id = c.grid_id AND p.on_duty
    UNION ALL
    SELECT 'unit'::text, u.id, u.name, d.name, d.name_en, NULL::text,
           (SELECT count(*) FROM cc."case" o JOIN cc.case_state s ON s.code = o.state
             WHERE o.assignee_unit_id = u.id AND s.is_open),
           EXISTS (SELECT 1 FROM cc.routing_rule rr
                    WHERE rr.category_id = c.category_id AND rr.street_id = c.street_id AND rr.unit_id = u.id),
           v_deadline
      FROM cc.unit u
      JOIN cc.department d ON d.id = u.department_id
     WHERE u.street_id = c.street_id OR u.street_id IS NULL
     ORDER BY 8 DESC, 1, 7, 3;
END $$;


-- ---------------------------------------------------------------- the ladder in every action (replaces 0001)
-- A street console may only urge (and attach photos to) a case in the district loop; every
-- other action there is the district centre's or its units'.
CREATE FUNCTION cc._tier_allows(p_tier text, p_acct cc.console_account, p_action text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT p_tier <> 'district' OR p_acct.street_id IS NULL OR p_action IN ('urge', 'attach')
$$;

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
    IF NOT cc._has_capability(act.capability) THEN
        RAISE EXCEPTION '"%" (%) needs the % role; login "%" does not have it',
                        act.name, act.name_en, act.capability, session_user
            USING ERRCODE = '42501', HINT = 'Ask a ' || act.capability || ' to do it, or ask the administrator for the role.';
    END IF;
    -- The tier ladder: a case in the district loop is the district centre's (and its units');
    -- a street console may still urge it.
    IF NOT cc._tier_allows(c.tier, acct, p_action) THEN
        RAISE EXCEPTION 'case % is in the district loop; the district command centre handles it', c.code
            USING ERRCODE = '42501', HINT = 'Urge it, or ask the district command centre.';
    END IF;
    IF act.capability = 'handler' AND NOT cc._has_capability('supervisor')
       AND (acct.unit_id IS NOT NULL OR acct.person_id IS NOT NULL)
       AND c.assignee_unit_id IS DISTINCT FROM acct.unit_id
       AND c.assignee_person_id IS DISTINCT FROM acct.person_id THEN
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
           cc._has_capability(a.capability) AND cc._tier_allows(c.tier, cc._account(), a.code)
      FROM cc."case" c
      JOIN cc.state_action sa ON sa.from_state = c.state
      JOIN cc.workflow_action a ON a.code = sa.action
     WHERE c.id = p_case AND cc.sees_street(c.street_id)
     ORDER BY a.sort
$$;

-- ---------------------------------------------------------------- the clock (replaces 0001)
CREATE OR REPLACE FUNCTION cc.clock() RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v text := current_setting('cc.clock', true);
BEGIN
    IF v IS NULL OR v = '' THEN
        RETURN statement_timestamp();   -- not now(): a transaction held open cannot backdate an action
    END IF;
    IF NOT pg_has_role(session_user, 'cc_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'only administrators may set cc.clock'
            USING ERRCODE = '42501', HINT = 'RESET cc.clock and try again.';
    END IF;
    RETURN v::timestamptz;
END $$;

-- ---------------------------------------------------------------- the doorbell (replaces 0001)
-- The payload is the event id only: NOTIFY bypasses row-level security, and case, street and
-- action told every listener what another street was doing. Consoles read the event table.
CREATE OR REPLACE FUNCTION cc._event_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cc.case_event
                    WHERE txid = NEW.txid AND street_id = NEW.street_id AND id < NEW.id) THEN
        PERFORM pg_notify('cc_events',
                          json_build_object('e', NEW.id)::text);
    END IF;
    RETURN NULL;
END $$;
