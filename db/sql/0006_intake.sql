-- Revision 0006, part 1: call-taking and repeat reports (issue 12).
--
-- The operator on the hotline types where and what; before a new case is opened the open cases
-- of the same item nearby are offered (cc.nearby_open_cases), and the call can be added to one
-- of them as a repeat report (cc.add_repeat_report) instead: the case counts it, its timeline
-- shows it, the board raises it.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- how near is the same problem
ALTER TABLE cc.input_limit DROP CONSTRAINT input_limit_unit_check;
ALTER TABLE cc.input_limit ADD CONSTRAINT input_limit_unit_check
    CHECK (unit IN ('characters', 'bytes', 'count', 'minutes', 'hours', 'days', 'metres'));
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('duplicate_radius_m', 50, 'metres', 'an open case of the same item this near is offered as the same problem'),
    ('duplicate_hours', 24, 'hours', '… when it was reported within this long'),
    ('duplicate_rows', 20, 'count', 'possible duplicates listed at most'),
    ('repeats_per_login_day', 500, 'count', 'repeat reports one login may add in 24 hours');

-- ---------------------------------------------------------------- repeat reports
ALTER TABLE cc."case" ADD COLUMN repeat_count integer NOT NULL DEFAULT 0 CHECK (repeat_count >= 0);
COMMENT ON COLUMN cc."case".repeat_count IS 'Further reports of the same problem added to this case (cc.add_repeat_report).';
GRANT SELECT (repeat_count) ON cc."case" TO cc_reader;

CREATE TABLE cc.repeat_report (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id        bigint NOT NULL REFERENCES cc."case",
    street_id      integer NOT NULL REFERENCES cc.street,
    source         text NOT NULL REFERENCES cc.case_source,
    reporter_name  text,              -- private, as on the case: operators only
    reporter_phone text,
    note           text NOT NULL DEFAULT '',
    taken_by       text NOT NULL,
    taken_at       timestamptz NOT NULL
);
CREATE INDEX repeat_report_case_idx ON cc.repeat_report (case_id, id);
CREATE INDEX repeat_report_taker_idx ON cc.repeat_report (taken_by, taken_at);
COMMENT ON TABLE cc.repeat_report IS 'Each further report of a case''s problem: who called, by which channel, what they said.';
ALTER TABLE cc.repeat_report ENABLE ROW LEVEL SECURITY;
CREATE POLICY repeat_by_street ON cc.repeat_report FOR SELECT TO cc_reader USING (cc.sees_street(street_id));
CREATE POLICY exec_all ON cc.repeat_report FOR ALL TO cc_exec USING (true) WITH CHECK (true);
GRANT SELECT (id, case_id, street_id, source, note, taken_by, taken_at) ON cc.repeat_report TO cc_reader;
GRANT SELECT (reporter_name, reporter_phone) ON cc.repeat_report TO cc_operator;
GRANT SELECT, INSERT ON cc.repeat_report TO cc_exec;

-- Named like every action, so the timeline can say it; not in cc.state_action: a repeat report
-- moves no case anywhere, it is accepted while the case is open.
INSERT INTO cc.workflow_action (code, name, name_en, capability, irreversible, needs_note, sort)
VALUES ('repeat', '重复上报', 'Repeat report', 'reporter', false, false, 17);

-- The board shows how often a problem was reported.
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
           AS warn_at,
       c.repeat_count
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


-- ---------------------------------------------------------------- possible duplicates
-- Open cases of the same category item within duplicate_radius_m of the point, reported within
-- duplicate_hours, nearest first. SECURITY INVOKER: a console sees only what its row-level
-- security shows it. Distances in metres on the local plane (exact enough at 50 m).
CREATE FUNCTION cc.nearby_open_cases(p_lon float8, p_lat float8, p_category text,
                                     p_radius_m integer DEFAULT NULL, p_hours integer DEFAULT NULL)
RETURNS TABLE (id bigint, code text, title text, state text, address text, grid_name text,
               reported_at timestamptz, repeat_count integer, distance_m integer)
LANGUAGE sql STABLE AS $$
    WITH p AS (
        SELECT least(greatest(coalesce(p_radius_m, cc._limit_of('duplicate_radius_m')), 1), 5000) AS r,
               least(greatest(coalesce(p_hours, cc._limit_of('duplicate_hours')), 1), 24 * 31) AS h,
               111320.0 * cos(radians(p_lat)) AS kx, 110574.0 AS ky),
    near AS (
        SELECT b.id, b.code, b.title, b.state, b.address, b.grid_name, b.reported_at, b.repeat_count,
               sqrt(((b.lon - p_lon) * p.kx) ^ 2 + ((b.lat - p_lat) * p.ky) ^ 2) AS d, p.r
          FROM cc.case_board b, p
         WHERE b.is_open AND b.category_code = p_category
           AND b.reported_at > cc.clock() - p.h * interval '1 hour'
           AND b.lon BETWEEN p_lon - p.r / p.kx AND p_lon + p.r / p.kx
           AND b.lat BETWEEN p_lat - p.r / p.ky AND p_lat + p.r / p.ky)
    SELECT id, code, title, state, address, grid_name, reported_at, repeat_count, round(d)::integer
      FROM near
     WHERE d <= r
     ORDER BY d, id
     LIMIT (SELECT cc._limit_of('duplicate_rows'))
$$;
COMMENT ON FUNCTION cc.nearby_open_cases(float8, float8, text, integer, integer) IS
    'Possible duplicates of a report: open cases of the same item nearby and recent, nearest first (cc.input_limit duplicate_*).';
GRANT EXECUTE ON FUNCTION cc.nearby_open_cases(float8, float8, text, integer, integer) TO cc_reader;

-- ---------------------------------------------------------------- a call added to a case
CREATE FUNCTION cc.add_repeat_report(p_case bigint, p_source text, p_note text DEFAULT NULL,
                                     p_reporter_name text DEFAULT NULL, p_reporter_phone text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    c     cc."case";
    acct  cc.console_account;
    act   cc.workflow_action;
    v_now timestamptz := cc.clock();
    v_name text;
    v_phone text;
    v_note text;
BEGIN
    acct := cc._account();
    SELECT * INTO act FROM cc.workflow_action WHERE code = 'repeat';
    IF NOT cc._may(act) THEN
        RAISE EXCEPTION 'adding a repeat report needs the % role; login "%" does not have it', cc._roles_of(act), session_user
            USING ERRCODE = '42501', HINT = 'Sign in with a field terminal, operator or supervisor account.';
    END IF;
    PERFORM 1 FROM cc.case_source WHERE code = p_source;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown source %', cc._quote(p_source) USING ERRCODE = 'CC009',
            HINT = 'Use one of: ' || (SELECT string_agg(code, ', ' ORDER BY sort) FROM cc.case_source);
    END IF;
    SELECT * INTO c FROM cc."case" WHERE id = p_case FOR UPDATE;
    IF NOT FOUND OR NOT cc.sees_street(c.street_id) THEN
        RAISE EXCEPTION 'case % does not exist or is outside your area', p_case
            USING ERRCODE = 'CC008', HINT = 'Check the case number; a street sub-centre sees only its own street.';
    END IF;
    IF NOT (SELECT is_open FROM cc.case_state WHERE code = c.state) THEN
        RAISE EXCEPTION 'case % is finished (%); a new report of the problem opens a new case', c.code, c.state
            USING ERRCODE = 'CC001', HINT = 'Take the call as a new report.';
    END IF;
    SELECT * INTO v_name, v_phone FROM cc._caller(p_reporter_name, p_reporter_phone);
    v_note := cc._clean_note(p_note);
    -- A console cannot inflate a case's count without bound: a day's calls per login, counted
    -- under the event counter (every connection of the login sees the others' committed ones).
    PERFORM 1 FROM cc.event_counter FOR UPDATE;
    IF (SELECT count(*) FROM cc.repeat_report
         WHERE taken_by = session_user AND taken_at > v_now - interval '1 day') >= cc._limit_of('repeats_per_login_day') THEN
        RAISE EXCEPTION 'login "%" has added % repeat reports in the last 24 hours, the most one account may',
                        session_user, cc._limit_of('repeats_per_login_day')
            USING ERRCODE = 'CC007', HINT = 'Ask the administrator if a shift really takes more.';
    END IF;
    INSERT INTO cc.repeat_report (case_id, street_id, source, reporter_name, reporter_phone, note, taken_by, taken_at)
    VALUES (c.id, c.street_id, p_source, v_name, v_phone, v_note, session_user, v_now);
    UPDATE cc."case" SET repeat_count = repeat_count + 1, version = version + 1, updated_at = v_now
     WHERE id = c.id RETURNING * INTO c;
    PERFORM cc._log(c, 'repeat', c.state, v_note, acct,
                    jsonb_build_object('source', p_source, 'repeat_count', c.repeat_count));
    RETURN c.repeat_count;
END $$;
COMMENT ON FUNCTION cc.add_repeat_report(bigint, text, text, text, text) IS
    'A further report of an open case''s problem: counted on the case, logged, the caller kept privately. Returns the new count.';
GRANT EXECUTE ON FUNCTION cc.add_repeat_report(bigint, text, text, text, text) TO cc_reader;

-- ---------------------------------------------------------------- callbacks (回访)
-- A hotline caller who left a number is called back once the case is closed: reached (with the
-- caller's satisfaction) or not reached, tried again after a while, given up after a few tries.
-- The task is made by the database when the case closes, so no client can forget it.
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('callback_hours', 24, 'hours', 'a hotline caller is called back within this long after the case closes'),
    ('callback_retry_hours', 4, 'hours', 'an unreached caller is tried again after this long'),
    ('callback_attempts', 3, 'count', 'calls to an unreached caller at most');

CREATE TABLE cc.callback (
    case_id      bigint PRIMARY KEY REFERENCES cc."case",
    street_id    integer NOT NULL REFERENCES cc.street,
    due_at       timestamptz NOT NULL,
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    outcome      text CHECK (outcome IN ('reached', 'given_up')),     -- NULL: still to be made
    satisfaction smallint CHECK (satisfaction BETWEEN 1 AND 5),
    note         text NOT NULL DEFAULT '',
    done_by      text,
    done_at      timestamptz,
    CHECK ((outcome = 'reached') = (satisfaction IS NOT NULL))
);
CREATE INDEX callback_due_idx ON cc.callback (due_at) WHERE outcome IS NULL;
COMMENT ON TABLE cc.callback IS 'Calling a hotline caller back after the case closed (回访); made by trigger, recorded by cc.record_callback.';
ALTER TABLE cc.callback ENABLE ROW LEVEL SECURITY;
CREATE POLICY callback_by_street ON cc.callback FOR SELECT TO cc_reader USING (cc.sees_street(street_id));
CREATE POLICY exec_all ON cc.callback FOR ALL TO cc_exec USING (true) WITH CHECK (true);
GRANT SELECT ON cc.callback TO cc_reader;
GRANT SELECT, INSERT, UPDATE ON cc.callback TO cc_exec;

INSERT INTO cc.workflow_action (code, name, name_en, capability, irreversible, needs_note, sort)
VALUES ('callback', '回访', 'Call back', 'operator', false, false, 18);

CREATE FUNCTION cc._callback_on_close() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cc.callback (case_id, street_id, due_at)
    VALUES (NEW.id, NEW.street_id, cc.clock() + interval '1 hour' * cc._limit_of('callback_hours'))
    ON CONFLICT (case_id) DO NOTHING;       -- reopened by rework and closed again: one callback
    RETURN NULL;
END $$;
CREATE TRIGGER case_callback_on_close AFTER UPDATE OF state ON cc."case"
    FOR EACH ROW WHEN (NEW.state = 'closed' AND OLD.state IS DISTINCT FROM 'closed'
                       AND NEW.source = 'hotline' AND NEW.reporter_phone IS NOT NULL)
    EXECUTE FUNCTION cc._callback_on_close();

CREATE FUNCTION cc.record_callback(p_case bigint, p_reached boolean, p_satisfaction integer DEFAULT NULL,
                                   p_note text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    c     cc."case";
    cb    cc.callback;
    acct  cc.console_account;
    act   cc.workflow_action;
    v_now timestamptz := cc.clock();
    v_note text;
    v_outcome text;
BEGIN
    acct := cc._account();
    SELECT * INTO act FROM cc.workflow_action WHERE code = 'callback';
    IF NOT cc._may(act) THEN
        RAISE EXCEPTION 'calling a resident back needs the % role; login "%" does not have it', cc._roles_of(act), session_user
            USING ERRCODE = '42501', HINT = 'An operator of the hall or of the street makes the callbacks.';
    END IF;
    SELECT * INTO c FROM cc."case" WHERE id = p_case FOR UPDATE;
    IF NOT FOUND OR NOT cc.sees_street(c.street_id) THEN
        RAISE EXCEPTION 'case % does not exist or is outside your area', p_case
            USING ERRCODE = 'CC008', HINT = 'Check the case number; a street sub-centre sees only its own street.';
    END IF;
    SELECT * INTO cb FROM cc.callback WHERE case_id = c.id FOR UPDATE;
    IF NOT FOUND OR cb.outcome IS NOT NULL THEN
        RAISE EXCEPTION 'case % has no callback waiting (%)', c.code, coalesce(cb.outcome, 'none made')
            USING ERRCODE = 'CC001', HINT = 'Callbacks are made for closed hotline cases whose caller left a number, once.';
    END IF;
    IF p_reached IS NULL THEN
        RAISE EXCEPTION 'say whether the caller was reached' USING ERRCODE = 'CC009', HINT = 'reached true or false';
    END IF;
    IF p_reached AND (p_satisfaction IS NULL OR p_satisfaction NOT BETWEEN 1 AND 5) THEN
        RAISE EXCEPTION 'a reached caller''s satisfaction is 1 to 5 (got %)', coalesce(p_satisfaction::text, 'none')
            USING ERRCODE = 'CC009', HINT = '1 = very dissatisfied … 5 = very satisfied.';
    END IF;
    IF NOT p_reached AND p_satisfaction IS NOT NULL THEN
        RAISE EXCEPTION 'an unreached caller gave no satisfaction' USING ERRCODE = 'CC009',
            HINT = 'Leave the satisfaction empty when nobody answered.';
    END IF;
    v_note := cc._clean_note(p_note);
    IF p_reached THEN
        v_outcome := 'reached';
        UPDATE cc.callback SET attempts = attempts + 1, outcome = v_outcome, satisfaction = p_satisfaction,
               note = v_note, done_by = session_user, done_at = v_now
         WHERE case_id = c.id;
    ELSIF cb.attempts + 1 >= cc._limit_of('callback_attempts') THEN
        v_outcome := 'given_up';
        UPDATE cc.callback SET attempts = attempts + 1, outcome = v_outcome, note = v_note,
               done_by = session_user, done_at = v_now
         WHERE case_id = c.id;
    ELSE
        v_outcome := 'retry';
        UPDATE cc.callback SET attempts = attempts + 1, note = v_note,
               due_at = v_now + interval '1 hour' * cc._limit_of('callback_retry_hours')
         WHERE case_id = c.id;
    END IF;
    PERFORM cc._log(c, 'callback', c.state, v_note, acct,
                    jsonb_build_object('reached', p_reached, 'satisfaction', p_satisfaction,
                                       'attempt', cb.attempts + 1, 'outcome', v_outcome));
    RETURN v_outcome;
END $$;
COMMENT ON FUNCTION cc.record_callback(bigint, boolean, integer, text) IS
    'Record a callback: reached (satisfaction 1–5) or not; an unreached caller is tried again until callback_attempts. Returns reached, retry or given_up.';
GRANT EXECUTE ON FUNCTION cc.record_callback(bigint, boolean, integer, text) TO cc_reader;

-- What an operator has to call now: due first. SECURITY INVOKER: the caller's name and phone
-- come through the column grants (operators), the rows through row-level security.
CREATE FUNCTION cc.callbacks_due(p_until timestamptz DEFAULT NULL)
RETURNS TABLE (case_id bigint, code text, title text, street_name text, closed_at timestamptz,
               due_at timestamptz, attempts integer, reporter_name text, reporter_phone text)
LANGUAGE sql STABLE AS $$
    SELECT cb.case_id, c.code, c.title, s.name, c.closed_at, cb.due_at, cb.attempts, c.reporter_name, c.reporter_phone
      FROM cc.callback cb JOIN cc."case" c ON c.id = cb.case_id JOIN cc.street s ON s.id = c.street_id
     WHERE cb.outcome IS NULL AND cb.due_at <= coalesce(p_until, cc.clock() + interval '1 day')
     ORDER BY cb.due_at, cb.case_id
$$;
GRANT EXECUTE ON FUNCTION cc.callbacks_due(timestamptz) TO cc_operator;
