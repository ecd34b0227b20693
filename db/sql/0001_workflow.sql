-- The closed-loop workflow (闭环工作流程) as SQL functions: one entry point per action.
-- Each checks, in this order: the case exists and is in the caller's scope, the caller's
-- capability, the expected version, and that the current state allows the action
-- (cc.state_action). A refusal raises a specific SQLSTATE (db/README.md) and changes nothing.
-- All are SECURITY DEFINER with a pinned search_path and authorise against session_user.
-- Replaced since: _begin, _require_note, _clean_note, report, file, _assign, verify, evaluate, add_attachment, allowed_actions — in 0004_input.sql / 0004_guard.sql (the rule in force is the
-- newest definition; this file is the history a migration replays).
-- Replaced since 0005 (0005_rules.sql): reject, accept, return_case, and again those 0004 replaced.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- who is calling
CREATE FUNCTION cc._account() RETURNS cc.console_account
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    a cc.console_account;
BEGIN
    SELECT * INTO a FROM cc.console_account WHERE login = session_user;
    IF FOUND THEN
        RETURN a;
    END IF;
    IF pg_has_role(session_user, 'cc_admin', 'MEMBER') THEN
        a.login := session_user;
        a.display_name := session_user;
        RETURN a;   -- administrators act district-wide
    END IF;
    RAISE EXCEPTION 'login role "%" has no console account', session_user
        USING ERRCODE = '42501',
              HINT = 'Ask the administrator to register it in cc.console_account with its street.';
END $$;

CREATE FUNCTION cc.sees_street(p_street integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
    SELECT CASE
        WHEN pg_has_role(session_user, 'cc_admin', 'MEMBER') AND NOT EXISTS
             (SELECT 1 FROM cc.console_account WHERE login = session_user) THEN true
        ELSE EXISTS (SELECT 1 FROM cc.console_account
                     WHERE login = session_user AND (street_id IS NULL OR street_id = p_street))
    END
$$;
COMMENT ON FUNCTION cc.sees_street(integer) IS
    'Row-level security predicate: may the signed-in login role see this street''s cases?';

CREATE FUNCTION cc._has_capability(p_capability text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(session_user, 'cc_' || p_capability, 'MEMBER')
$$;

-- ---------------------------------------------------------------- shared steps
CREATE FUNCTION cc._limit(p_category integer, p_urgency text, p_phase text, p_start timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t cc.time_limit;
BEGIN
    SELECT * INTO t FROM cc.time_limit
     WHERE category_id = p_category AND urgency = p_urgency AND phase = p_phase;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'category % has no % time limit for urgency %', p_category, p_phase, p_urgency
            USING ERRCODE = 'CC005', HINT = 'Add the row to cc.time_limit.';
    END IF;
    RETURN cc.add_time(p_start, t.amount, t.unit);
END $$;

-- Lock the case and run every check; returns the locked row and the target state.
CREATE FUNCTION cc._begin(p_case bigint, p_version integer, p_action text,
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

CREATE FUNCTION cc._require_note(p_note text, p_what text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_note IS NULL OR btrim(p_note) = '' THEN
        RAISE EXCEPTION '% needs a reason', p_what USING ERRCODE = 'CC009', HINT = 'Write a short reason.';
    END IF;
    IF length(p_note) > 2000 THEN
        RAISE EXCEPTION 'the note is % characters long; at most 2000 are kept', length(p_note)
            USING ERRCODE = 'CC009', HINT = 'Shorten the note.';
    END IF;
    RETURN btrim(p_note);
END $$;

CREATE FUNCTION cc._clean_note(p_note text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_note IS NOT NULL AND length(p_note) > 2000 THEN
        RAISE EXCEPTION 'the note is % characters long; at most 2000 are kept', length(p_note)
            USING ERRCODE = 'CC009', HINT = 'Shorten the note.';
    END IF;
    RETURN coalesce(btrim(p_note), '');
END $$;

CREATE FUNCTION cc._log(c cc."case", p_action text, p_from text, p_note text,
                        p_acct cc.console_account, p_data jsonb DEFAULT '{}')
RETURNS void
LANGUAGE sql AS $$
    INSERT INTO cc.case_event (case_id, street_id, action, from_state, to_state, actor,
                               actor_person_id, at, note, data)
    VALUES (c.id, c.street_id, p_action, p_from, c.state, session_user,
            p_acct.person_id, cc.clock(), coalesce(p_note, ''), p_data)
$$;

-- ---------------------------------------------------------------- 1. collect (信息收集)
CREATE FUNCTION cc.report(
    p_source text, p_category text, p_title text, p_lon float8, p_lat float8,
    p_description text DEFAULT '', p_address text DEFAULT '', p_urgency text DEFAULT 'normal',
    p_grid_id integer DEFAULT NULL, p_reporter_person_id integer DEFAULT NULL,
    p_reporter_name text DEFAULT NULL, p_reporter_phone text DEFAULT NULL,
    p_solved_on_spot boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    cat   cc.category;
    g     cc.grid;
    acct  cc.console_account;
    c     cc."case";
    v_now timestamptz := cc.clock();
    v_reporter integer;
BEGIN
    acct := cc._account();
    IF NOT cc._has_capability('reporter') THEN
        RAISE EXCEPTION 'reporting a case needs the reporter role; login "%" does not have it', session_user
            USING ERRCODE = '42501';
    END IF;
    PERFORM 1 FROM cc.case_source WHERE code = p_source;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown source "%"', p_source USING ERRCODE = 'CC009',
            HINT = 'Use one of: ' || (SELECT string_agg(code, ', ' ORDER BY sort) FROM cc.case_source);
    END IF;
    PERFORM 1 FROM cc.urgency WHERE code = p_urgency;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown urgency "%"', p_urgency USING ERRCODE = 'CC009',
            HINT = 'Use one of: ' || (SELECT string_agg(code, ', ' ORDER BY sort) FROM cc.urgency);
    END IF;
    SELECT * INTO cat FROM cc.category WHERE code = p_category;
    IF NOT FOUND OR cat.level <> 3 THEN
        RAISE EXCEPTION 'unknown case category "%"', p_category USING ERRCODE = 'CC005',
            HINT = 'Use the code of an item (third level) of the taxonomy, cc.category where level = 3.';
    END IF;
    IF p_title IS NULL OR btrim(p_title) = '' OR length(p_title) > 200 THEN
        RAISE EXCEPTION 'a case needs a title of 1 to 200 characters (got %)', coalesce(length(p_title), 0)
            USING ERRCODE = 'CC009';
    END IF;
    IF length(coalesce(p_description, '')) > 4000 OR length(coalesce(p_address, '')) > 300 THEN
        RAISE EXCEPTION 'description (at most 4000 characters) or address (at most 300) is too long'
            USING ERRCODE = 'CC009', HINT = 'Shorten the text.';
    END IF;
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
            RAISE EXCEPTION 'grid % does not exist', p_grid_id USING ERRCODE = 'CC009';
        END IF;
        PERFORM 1 FROM cc.grid_part WHERE grid_id = g.id AND shape @> point(p_lon, p_lat);
        IF NOT FOUND THEN
            RAISE EXCEPTION 'position (%, %) is outside grid % (%)', p_lon, p_lat, g.code, g.name
                USING ERRCODE = 'CC006', HINT = 'Leave the grid empty to place the case by its position.';
        END IF;
    END IF;
    IF NOT cc.sees_street(g.street_id) THEN
        RAISE EXCEPTION 'grid % is outside your area', g.code USING ERRCODE = 'CC008';
    END IF;
    v_reporter := coalesce(p_reporter_person_id, acct.person_id);
    IF p_solved_on_spot THEN
        PERFORM 1 FROM cc.grid_assignment WHERE grid_id = g.id AND person_id = v_reporter;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'only staff of grid % may report a case as solved on the spot', g.code
                USING ERRCODE = 'CC009', HINT = 'Report it for dispatch instead.';
        END IF;
    END IF;

    INSERT INTO cc."case" (code, source, category_id, title, description, address, lon, lat,
                           grid_id, community_id, street_id, urgency, state, tier,
                           reporter_person_id, reporter_name, reporter_phone, reported_at,
                           file_deadline, updated_at,
                           filed_at, handled_at, assignee_person_id, verify_deadline)
    VALUES ('pending', p_source, cat.id, btrim(p_title), coalesce(p_description, ''),
            coalesce(p_address, ''), p_lon, p_lat, g.id, g.community_id, g.street_id, p_urgency,
            CASE WHEN p_solved_on_spot THEN 'handled' ELSE 'reported' END,
            CASE WHEN p_source = 'patrol' THEN 'grid' ELSE 'street' END,
            v_reporter, p_reporter_name, p_reporter_phone, v_now,
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

-- ---------------------------------------------------------------- 2. file or reject (案卷建立)
CREATE FUNCTION cc.file(p_case bigint, p_version integer, p_tier text DEFAULT NULL,
                        p_urgency text DEFAULT NULL, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
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
        RAISE EXCEPTION 'unknown urgency "%"', v_urgency USING ERRCODE = 'CC009';
    END IF;
    IF p_tier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cc.tier WHERE code = p_tier) THEN
        RAISE EXCEPTION 'unknown tier "%" (grid, street or district)', p_tier USING ERRCODE = 'CC009';
    END IF;
    UPDATE cc."case" SET state = b.to_state, tier = coalesce(p_tier, tier), urgency = v_urgency,
           filed_at = v_now, dispatch_deadline = cc._limit(category_id, v_urgency, 'dispatch', v_now),
           version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'file', 'reported', cc._clean_note(p_note), b.acct);
    RETURN c.version;
END $$;

CREATE FUNCTION cc.reject(p_case bigint, p_version integer, p_reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
BEGIN
    b := cc._begin(p_case, p_version, 'reject');
    c := b.c;
    UPDATE cc."case" SET state = b.to_state, closed_at = v_now, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'reject', 'reported', cc._require_note(p_reason, 'Rejecting a report'), b.acct);
    RETURN c.version;
END $$;

-- ---------------------------------------------------------------- 3. dispatch (任务派遣)
CREATE FUNCTION cc._assign(p_action text, p_case bigint, p_version integer, p_unit_id integer,
                           p_person_id integer, p_deadline timestamptz, p_note text)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_from text;
    u cc.unit;
    v_deadline timestamptz;
BEGIN
    b := cc._begin(p_case, p_version, p_action);
    c := b.c;
    v_from := c.state;
    IF (p_unit_id IS NULL) = (p_person_id IS NULL) THEN
        RAISE EXCEPTION 'dispatch needs exactly one assignee: a unit or a person'
            USING ERRCODE = 'CC009', HINT = 'Choose the responsible unit or the grid staff member.';
    END IF;
    IF p_unit_id IS NOT NULL THEN
        SELECT * INTO u FROM cc.unit WHERE id = p_unit_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unit % does not exist', p_unit_id USING ERRCODE = 'CC009';
        END IF;
        IF u.street_id IS NOT NULL AND u.street_id <> c.street_id THEN
            RAISE EXCEPTION 'unit % belongs to another street than case %', u.name, c.code
                USING ERRCODE = 'CC009', HINT = 'Choose a unit of the case''s street or a district-level unit.';
        END IF;
        IF u.street_id IS NULL AND c.tier <> 'district' AND (b.acct).street_id IS NOT NULL THEN
            RAISE EXCEPTION 'a street sub-centre dispatches to its own street''s units; % is district-level', u.name
                USING ERRCODE = '42501', HINT = 'Escalate the case to the district to involve district departments.';
        END IF;
    ELSE
        PERFORM 1 FROM cc.grid_assignment ga JOIN cc.grid g ON g.id = ga.grid_id
         WHERE ga.person_id = p_person_id AND g.street_id = c.street_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'person % holds no grid post in the street of case %', p_person_id, c.code
                USING ERRCODE = 'CC009', HINT = 'Choose staff of the case''s grid or street.';
        END IF;
    END IF;
    v_deadline := coalesce(p_deadline, cc._limit(c.category_id, c.urgency, 'handle', v_now));
    IF v_deadline <= v_now THEN
        RAISE EXCEPTION 'the handling deadline % is not in the future', v_deadline
            USING ERRCODE = 'CC009', HINT = 'Leave it empty to use the category''s time limit.';
    END IF;
    UPDATE cc."case" SET state = b.to_state, assignee_unit_id = p_unit_id, assignee_person_id = p_person_id,
           dispatched_at = v_now, accepted_at = NULL, handle_deadline = v_deadline,
           version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, p_action, v_from, cc._clean_note(p_note), b.acct,
                    jsonb_build_object('unit_id', p_unit_id, 'person_id', p_person_id, 'deadline', v_deadline));
    RETURN c.version;
END $$;

CREATE FUNCTION cc.dispatch(p_case bigint, p_version integer, p_unit_id integer DEFAULT NULL,
                            p_person_id integer DEFAULT NULL, p_deadline timestamptz DEFAULT NULL,
                            p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
    SELECT cc._assign('dispatch', p_case, p_version, p_unit_id, p_person_id, p_deadline, p_note)
$$;

CREATE FUNCTION cc.redispatch(p_case bigint, p_version integer, p_unit_id integer DEFAULT NULL,
                              p_person_id integer DEFAULT NULL, p_deadline timestamptz DEFAULT NULL,
                              p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
    SELECT cc._assign('redispatch', p_case, p_version, p_unit_id, p_person_id, p_deadline, p_note)
$$;

-- ---------------------------------------------------------------- 4. handling (任务处理)
CREATE FUNCTION cc.accept(p_case bigint, p_version integer, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
BEGIN
    b := cc._begin(p_case, p_version, 'accept');
    c := b.c;
    UPDATE cc."case" SET state = b.to_state, accepted_at = v_now, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'accept', 'dispatched', cc._clean_note(p_note), b.acct);
    RETURN c.version;
END $$;

CREATE FUNCTION cc.return_case(p_case bigint, p_version integer, p_reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
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
    PERFORM cc._log(c, 'return', 'dispatched', cc._require_note(p_reason, 'Returning a case'), b.acct,
                    jsonb_build_object('unit_id', v_unit, 'person_id', v_person));
    RETURN c.version;
END $$;

-- ---------------------------------------------------------------- 5. feedback (处理反馈)
CREATE FUNCTION cc.feedback(p_case bigint, p_version integer, p_result text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_from text;
BEGIN
    b := cc._begin(p_case, p_version, 'feedback');
    c := b.c;
    v_from := c.state;
    UPDATE cc."case" SET state = b.to_state, handled_at = v_now,
           handled_late = coalesce(handled_late, false) OR v_now > handle_deadline,
           verify_deadline = cc._limit(category_id, urgency, 'verify', v_now),
           version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'feedback', v_from, cc._require_note(p_result, 'Feedback'), b.acct);
    RETURN c.version;
END $$;

-- ---------------------------------------------------------------- 6. verify and close (核实结案)
CREATE FUNCTION cc.verify(p_case bigint, p_version integer, p_passed boolean, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_action text := CASE WHEN p_passed THEN 'verify_pass' ELSE 'verify_fail' END;
    v_note text;
BEGIN
    IF p_passed IS NULL THEN
        RAISE EXCEPTION 'verification needs a result: passed true or false' USING ERRCODE = 'CC009';
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

-- ---------------------------------------------------------------- 7. evaluate (综合评价)
CREATE FUNCTION cc.evaluate(p_case bigint, p_version integer, p_satisfaction integer, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
BEGIN
    IF p_satisfaction IS NULL OR p_satisfaction NOT BETWEEN 1 AND 5 THEN
        RAISE EXCEPTION 'satisfaction must be 1 (very dissatisfied) to 5 (very satisfied), got %', p_satisfaction
            USING ERRCODE = 'CC009';
    END IF;
    b := cc._begin(p_case, p_version, 'evaluate');
    c := b.c;
    UPDATE cc."case" SET state = b.to_state, satisfaction = p_satisfaction, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'evaluate', 'closed', cc._clean_note(p_note), b.acct,
                    jsonb_build_object('satisfaction', p_satisfaction));
    RETURN c.version;
END $$;

-- ---------------------------------------------------------------- escalate, urge, cancel
CREATE FUNCTION cc.escalate(p_case bigint, p_version integer, p_reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_from text;
    v_next text;
BEGIN
    b := cc._begin(p_case, p_version, 'escalate');
    c := b.c;
    v_from := c.state;
    SELECT t2.code INTO v_next FROM cc.tier t1 JOIN cc.tier t2 ON t2.rank = t1.rank + 1
     WHERE t1.code = c.tier;
    IF v_next IS NULL THEN
        RAISE EXCEPTION 'case % is already handled by the district (big loop); it cannot go higher', c.code
            USING ERRCODE = 'CC001', HINT = 'Urge or re-dispatch it instead.';
    END IF;
    UPDATE cc."case" SET state = b.to_state, tier = v_next, escalation_count = escalation_count + 1,
           assignee_unit_id = NULL, assignee_person_id = NULL, handle_deadline = NULL, accepted_at = NULL,
           dispatch_deadline = cc._limit(category_id, urgency, 'dispatch', v_now),
           version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'escalate', v_from, cc._require_note(p_reason, 'Escalating a case'), b.acct,
                    jsonb_build_object('tier', v_next));
    RETURN c.version;
END $$;

CREATE FUNCTION cc.urge(p_case bigint, p_version integer, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
BEGIN
    b := cc._begin(p_case, p_version, 'urge');
    c := b.c;
    UPDATE cc."case" SET urge_count = urge_count + 1, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'urge', c.state, cc._clean_note(p_note), b.acct);
    RETURN c.version;
END $$;

CREATE FUNCTION cc.cancel(p_case bigint, p_version integer, p_reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_from text;
BEGIN
    b := cc._begin(p_case, p_version, 'cancel');
    c := b.c;
    v_from := c.state;
    UPDATE cc."case" SET state = b.to_state, closed_at = v_now, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'cancel', v_from, cc._require_note(p_reason, 'Cancelling a case'), b.acct);
    RETURN c.version;
END $$;

-- ---------------------------------------------------------------- photos
CREATE FUNCTION cc.add_attachment(p_case bigint, p_filename text, p_content bytea)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    c cc."case";
    acct cc.console_account;
    v_mime text;
    v_id bigint;
    v_max integer := 5 * 1024 * 1024;
BEGIN
    acct := cc._account();
    IF NOT cc._has_capability('reporter') AND NOT cc._has_capability('handler') THEN
        RAISE EXCEPTION 'adding photos needs the reporter or handler role' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO c FROM cc."case" WHERE id = p_case FOR UPDATE;
    IF NOT FOUND OR NOT cc.sees_street(c.street_id) THEN
        RAISE EXCEPTION 'case % does not exist or is outside your area', p_case USING ERRCODE = 'CC008';
    END IF;
    IF p_content IS NULL OR length(p_content) = 0 THEN
        RAISE EXCEPTION 'the photo "%" is empty', p_filename USING ERRCODE = 'CC007';
    END IF;
    IF length(p_content) > v_max THEN
        RAISE EXCEPTION 'the photo "%" is % bytes; at most % bytes (5 MiB) are accepted',
                        p_filename, length(p_content), v_max
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
        RAISE EXCEPTION '"%" is not a JPEG, PNG or WebP image', p_filename
            USING ERRCODE = 'CC007', HINT = 'Attach a photo in one of those formats.';
    END IF;
    IF p_filename IS NULL OR length(btrim(p_filename)) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'a photo needs a file name of 1 to 200 characters' USING ERRCODE = 'CC009';
    END IF;
    INSERT INTO cc.attachment (case_id, street_id, filename, mime, size_bytes, sha256, content, uploaded_by, uploaded_at)
    VALUES (c.id, c.street_id, btrim(p_filename), v_mime, length(p_content), sha256(p_content), p_content,
            session_user, cc.clock())
    RETURNING id INTO v_id;
    PERFORM cc._log(c, 'attach', c.state, '', acct,
                    jsonb_build_object('attachment_id', v_id, 'mime', v_mime, 'bytes', length(p_content)));
    RETURN v_id;
END $$;

-- ---------------------------------------------------------------- what a client may offer
CREATE FUNCTION cc.allowed_actions(p_case bigint)
RETURNS TABLE (action text, name text, name_en text, to_state text, irreversible boolean,
               needs_note boolean, permitted boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
    SELECT a.code, a.name, a.name_en, sa.to_state, a.irreversible, a.needs_note,
           cc._has_capability(a.capability)
      FROM cc."case" c
      JOIN cc.state_action sa ON sa.from_state = c.state
      JOIN cc.workflow_action a ON a.code = sa.action
     WHERE c.id = p_case AND cc.sees_street(c.street_id)
     ORDER BY a.sort
$$;
COMMENT ON FUNCTION cc.allowed_actions(bigint) IS
    'The actions the case''s current state allows (cc.state_action), and whether the caller holds the role for each.';
