-- Revision 0007, part 1: the end of the loop (issue 13) — extension (延期), suspension
-- (挂账/缓办) and supervision (督办), and working time between two moments.
--
-- All three are actions on a case like every other: they lock the case through cc._begin,
-- check the role, the version and what the case allows (cc._why_not, the one rule of which
-- of them applies now), write one event (the timeline, the change feed) and bump the version.
-- The case keeps what the board shows; the tables below keep the history the measures count.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- limits
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('extensions_per_case', 2, 'count', 'approved extensions one case may have'),
    ('suspension_review_days', 366, 'days', 'how far ahead a suspended case''s review date may lie'),
    ('supervision_reply_days', 30, 'days', 'how far ahead a supervision''s reply deadline may lie');

-- ---------------------------------------------------------------- reference
CREATE TABLE cc.suspend_reason (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL
);
INSERT INTO cc.suspend_reason VALUES
    ('budget', '需资金立项', 'Needs funding', 1),
    ('court', '待司法裁决', 'Awaits a court', 2),
    ('seasonal', '受季节影响', 'Seasonal', 3),
    ('planning', '待规划拆迁', 'Awaits planning or demolition', 4),
    ('other', '其他', 'Other', 9);

CREATE TABLE cc.supervision_level (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    rank    smallint NOT NULL UNIQUE
);
INSERT INTO cc.supervision_level VALUES
    ('street', '街道督办', 'Street supervision', 1),
    ('district', '区级督办', 'District supervision', 2),
    ('leader', '领导督办', 'Leader supervision', 3);
GRANT SELECT ON cc.suspend_reason, cc.supervision_level TO cc_reader, cc_exec;

-- ---------------------------------------------------------------- what the case shows
ALTER TABLE cc."case"
    ADD COLUMN suspended_at          timestamptz,       -- NULL: not on hold; else its clock is stopped
    ADD COLUMN suspension_review_on  date,
    ADD COLUMN extension_count       smallint NOT NULL DEFAULT 0 CHECK (extension_count >= 0),
    ADD COLUMN extension_pending     boolean NOT NULL DEFAULT false,
    ADD COLUMN supervision_level     text REFERENCES cc.supervision_level,
    ADD COLUMN supervision_reply_due timestamptz,
    ADD COLUMN supervision_replied_at timestamptz,
    ADD CHECK ((suspended_at IS NULL) = (suspension_review_on IS NULL)),
    ADD CHECK (supervision_level IS NOT NULL OR (supervision_reply_due IS NULL AND supervision_replied_at IS NULL));
GRANT SELECT (suspended_at, suspension_review_on, extension_count, extension_pending, supervision_level,
              supervision_reply_due, supervision_replied_at) ON cc."case" TO cc_reader;
CREATE INDEX case_suspended_idx ON cc."case" (suspension_review_on) WHERE suspended_at IS NOT NULL;
CREATE INDEX case_supervised_idx ON cc."case" (supervision_level) WHERE supervision_level IS NOT NULL;

-- ---------------------------------------------------------------- the history the measures count
CREATE TABLE cc.extension (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id            bigint NOT NULL REFERENCES cc."case",
    street_id          integer NOT NULL REFERENCES cc.street,
    unit_id            integer REFERENCES cc.unit,         -- the assignee that asked
    person_id          integer REFERENCES cc.person,
    old_deadline       timestamptz NOT NULL,
    requested_deadline timestamptz NOT NULL,
    reason             text NOT NULL,
    requested_by       name NOT NULL,
    requested_at       timestamptz NOT NULL,
    approved           boolean,                            -- NULL: not yet decided
    granted_deadline   timestamptz,
    decision_note      text NOT NULL DEFAULT '',
    decided_by         name,
    decided_at         timestamptz,
    CHECK ((approved IS NULL) = (decided_at IS NULL)),
    CHECK ((approved IS TRUE) = (granted_deadline IS NOT NULL))
);
CREATE UNIQUE INDEX extension_one_pending ON cc.extension (case_id) WHERE approved IS NULL;
CREATE INDEX extension_case_idx ON cc.extension (case_id, id);
CREATE INDEX extension_decided_idx ON cc.extension (decided_at) WHERE approved;
COMMENT ON TABLE cc.extension IS 'Requests for more time (延期) and their decisions; one pending per case.';

CREATE TABLE cc.suspension (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       bigint NOT NULL REFERENCES cc."case",
    street_id     integer NOT NULL REFERENCES cc.street,
    reason_code   text NOT NULL REFERENCES cc.suspend_reason,
    reason        text NOT NULL,
    review_on     date NOT NULL,
    phase         text CHECK (phase IN ('file', 'dispatch', 'handle', 'verify')),
    deadline      timestamptz,           -- the running deadline when the clock stopped
    work_minutes_left numeric,           -- … and what was left of it in working minutes
    suspended_by  name NOT NULL,
    suspended_at  timestamptz NOT NULL,
    resumed_by    name,
    resumed_at    timestamptz,
    resume_note   text NOT NULL DEFAULT '',
    CHECK ((resumed_at IS NULL) = (resumed_by IS NULL))
);
CREATE UNIQUE INDEX suspension_one_open ON cc.suspension (case_id) WHERE resumed_at IS NULL;
CREATE INDEX suspension_case_idx ON cc.suspension (case_id, id);
CREATE INDEX suspension_at_idx ON cc.suspension (suspended_at);
COMMENT ON TABLE cc.suspension IS 'Cases put on hold (挂账/缓办): from when, why, until which review, when resumed.';

CREATE TABLE cc.supervision (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cc."case",
    street_id   integer NOT NULL REFERENCES cc.street,
    level       text NOT NULL REFERENCES cc.supervision_level,
    note        text NOT NULL,
    reply_due   timestamptz NOT NULL,
    placed_by   name NOT NULL,
    placed_at   timestamptz NOT NULL,
    reply       text,
    replied_by  name,
    replied_at  timestamptz,
    lifted_by   name,
    lifted_at   timestamptz,
    lift_note   text NOT NULL DEFAULT '',
    CHECK ((replied_at IS NULL) = (reply IS NULL)),
    CHECK ((lifted_at IS NULL) = (lifted_by IS NULL))
);
CREATE UNIQUE INDEX supervision_one_open ON cc.supervision (case_id) WHERE lifted_at IS NULL;
CREATE INDEX supervision_case_idx ON cc.supervision (case_id, id);
CREATE INDEX supervision_at_idx ON cc.supervision (placed_at);
COMMENT ON TABLE cc.supervision IS 'Formal supervision (督办) of a case at a level, the unit''s reply, and when it was lifted.';

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['extension', 'suspension', 'supervision'] LOOP
        EXECUTE format('ALTER TABLE cc.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON cc.%I FOR SELECT TO cc_reader USING (cc.sees_street(street_id))',
                       t || '_by_street', t);
        EXECUTE format('CREATE POLICY exec_all ON cc.%I FOR ALL TO cc_exec USING (true) WITH CHECK (true)', t);
        EXECUTE format('GRANT SELECT ON cc.%I TO cc_reader', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE ON cc.%I TO cc_exec', t);
    END LOOP;
END $$;

-- ---------------------------------------------------------------- the board
-- A suspended case has no running deadline (its clock is stopped: never overdue, never due
-- soon); the board shows the hold, extensions and supervision. Columns appended.
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
       c.repeat_count,
       c.suspended_at, c.suspension_review_on, c.extension_count, c.extension_pending,
       c.supervision_level, c.supervision_reply_due, c.supervision_replied_at
  FROM cc."case" c
  JOIN cc.case_state s ON s.code = c.state
  CROSS JOIN LATERAL (SELECT CASE WHEN c.suspended_at IS NULL THEN
                                 CASE s.phase WHEN 'file' THEN c.file_deadline
                                              WHEN 'dispatch' THEN c.dispatch_deadline
                                              WHEN 'handle' THEN c.handle_deadline
                                              WHEN 'verify' THEN c.verify_deadline END END AS deadline) d
  JOIN cc.category cat ON cat.id = c.category_id
  JOIN cc.grid g ON g.id = c.grid_id
  JOIN cc.community cm ON cm.id = c.community_id
  JOIN cc.street st ON st.id = c.street_id
  LEFT JOIN cc.unit u ON u.id = c.assignee_unit_id
  LEFT JOIN cc.person p ON p.id = c.assignee_person_id;

-- ---------------------------------------------------------------- working time
-- Minutes of working time (cc.work_period on working days, cc.is_workday) in [p_from, p_to):
-- the measure of handling time, and what a stopped clock keeps of a work-hour deadline.
-- Negative when p_to is before p_from.
CREATE FUNCTION cc.work_minutes_between(p_from timestamptz, p_to timestamptz) RETURNS numeric
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_a timestamp;
    v_b timestamp;
    v_sum numeric := 0;
    v_day date;
    p record;
BEGIN
    IF p_from IS NULL OR p_to IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT isfinite(p_from) OR NOT isfinite(p_to) THEN
        RAISE EXCEPTION 'working time needs finite times, got % to %', p_from, p_to
            USING ERRCODE = 'CC009', HINT = 'Give two real moments.';
    END IF;
    IF p_to < p_from THEN
        RETURN -cc.work_minutes_between(p_to, p_from);
    END IF;
    IF extract(epoch FROM p_to) - extract(epoch FROM p_from) > 4000 * 86400 THEN   -- no interval overflow
        RAISE EXCEPTION 'working time over more than 4000 days (% to %) is not counted', p_from, p_to
            USING ERRCODE = 'CC009', HINT = 'Ask for a shorter period.';
    END IF;
    v_a := p_from AT TIME ZONE cc.local_tz();
    v_b := p_to AT TIME ZONE cc.local_tz();
    FOR v_day IN SELECT d::date FROM generate_series(v_a::date, v_b::date, interval '1 day') d LOOP
        CONTINUE WHEN NOT cc.is_workday(v_day);
        FOR p IN SELECT starts, ends FROM cc.work_period LOOP
            v_sum := v_sum + greatest(0, extract(epoch FROM least(v_b, v_day + p.ends)
                                                       - greatest(v_a, v_day + p.starts)) / 60);
        END LOOP;
    END LOOP;
    RETURN v_sum;
END $$;
COMMENT ON FUNCTION cc.work_minutes_between(timestamptz, timestamptz) IS
    'Working minutes (work periods of working days, in the district''s time zone) from p_from to p_to.';
GRANT EXECUTE ON FUNCTION cc.work_minutes_between(timestamptz, timestamptz) TO cc_reader, cc_exec;

-- ---------------------------------------------------------------- the actions, as data
INSERT INTO cc.workflow_action (code, name, name_en, capability, irreversible, needs_note, sort) VALUES
    ('request_extension', '申请延期', 'Request extension', 'handler', false, true, 20),
    ('approve_extension', '批准延期', 'Approve extension', 'supervisor', false, false, 21),
    ('refuse_extension', '驳回延期', 'Refuse extension', 'supervisor', false, true, 22),
    ('suspend', '挂账缓办', 'Suspend', 'supervisor', false, true, 23),
    ('review_suspension', '复核续挂', 'Keep suspended', 'supervisor', false, true, 24),
    ('resume', '恢复办理', 'Resume', 'supervisor', false, false, 25),
    ('supervise', '督办', 'Supervise', 'supervisor', false, true, 26),
    ('reply_supervision', '督办答复', 'Reply to supervision', 'handler', false, true, 27),
    ('lift_supervision', '解除督办', 'Lift supervision', 'supervisor', false, false, 28);

-- Which states allow them (the state stays: these change the clock or the watch, not the step).
INSERT INTO cc.state_action (from_state, action, to_state)
SELECT s, a, s FROM unnest(ARRAY['dispatched', 'in_progress', 'rework']) s,
                    unnest(ARRAY['request_extension', 'approve_extension', 'refuse_extension']) a
UNION ALL
SELECT s, a, s FROM unnest(ARRAY['filed', 'returned', 'dispatched', 'in_progress', 'rework']) s,
                    unnest(ARRAY['suspend', 'review_suspension', 'resume']) a
UNION ALL
SELECT s, a, s FROM unnest(ARRAY['filed', 'returned', 'dispatched', 'in_progress', 'rework', 'handled']) s,
                    unnest(ARRAY['supervise', 'lift_supervision']) a
UNION ALL
SELECT s, 'reply_supervision', s FROM unnest(ARRAY['dispatched', 'in_progress', 'rework', 'handled']) s;

-- The one rule of whether an action the state allows applies to this case now (NULL: it does),
-- and why not. _begin refuses with it, allowed_actions offers only what passes it. A suspended
-- case's clock is stopped: nothing moves it on until it is resumed or finished.
CREATE FUNCTION cc._why_not(p_action text, c cc."case") RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
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
GRANT EXECUTE ON FUNCTION cc._why_not(text, cc."case") TO cc_exec;

RESET ROLE;
-- Replaced (as the migrating superuser; harden.sql gives them back to cc_exec): _begin adds
-- cc._why_not after the state check; allowed_actions offers only what passes it.
CREATE OR REPLACE FUNCTION cc._begin(p_case bigint, p_version integer, p_action text,
                          OUT c cc."case", OUT to_state text, OUT acct cc.console_account)
LANGUAGE plpgsql AS $$
DECLARE
    act  cc.workflow_action;
    last cc.case_event;
    why  text;
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
    IF NOT cc._tier_allows(c.tier, acct, p_action) THEN
        RAISE EXCEPTION 'case % is in the district loop; the district command centre handles it', c.code
            USING ERRCODE = '42501', HINT = 'Urge it, or ask the district command centre.';
    END IF;
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
                                                      WHERE s.from_state = c.state AND cc._why_not(a.code, c) IS NULL),
                                                     'nothing (the case is finished)');
    END IF;
    why := cc._why_not(p_action, c);
    IF why IS NOT NULL THEN
        RAISE EXCEPTION '"%" (%) is not possible for case % now: %', act.name, act.name_en, c.code, why
            USING ERRCODE = 'CC001',
                  HINT = 'Allowed now: ' || coalesce((SELECT string_agg(a.name_en, ', ' ORDER BY a.sort)
                                                       FROM cc.state_action s JOIN cc.workflow_action a ON a.code = s.action
                                                      WHERE s.from_state = c.state AND cc._why_not(a.code, c) IS NULL),
                                                     'nothing');
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
     WHERE c.id = p_case AND cc.sees_street(c.street_id) AND cc._why_not(a.code, c) IS NULL
     ORDER BY a.sort
$$;
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- a date the client gives
-- A deadline given by hand for these actions: later than now, within p_days days.
CREATE FUNCTION cc._future_arg(p timestamptz, p_what text, p_days integer) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p IS NULL OR NOT isfinite(p) OR p <= cc.clock() OR p > cc.clock() + interval '1 day' * p_days THEN
        RAISE EXCEPTION '% must be a time after now and within % days, got %', p_what, p_days,
                        CASE WHEN p IS NULL THEN 'nothing' WHEN isfinite(p)
                             THEN to_char(p AT TIME ZONE cc.local_tz(), 'YYYY-MM-DD HH24:MI') ELSE p::text END
            USING ERRCODE = 'CC009', HINT = 'Pick a later date within the allowed range.';
    END IF;
    RETURN p;
END $$;

CREATE FUNCTION cc._review_date_arg(p date) RETURNS date
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_today date := (cc.clock() AT TIME ZONE cc.local_tz())::date;
    v_days integer := cc._limit_of('suspension_review_days');
BEGIN
    IF p IS NULL OR NOT isfinite(p) OR p <= v_today OR p > v_today + v_days THEN
        RAISE EXCEPTION 'the review date must be after today and within % days, got %', v_days, coalesce(p::text, 'nothing')
            USING ERRCODE = 'CC009', HINT = 'Pick the day on which the case is to be looked at again.';
    END IF;
    RETURN p;
END $$;
GRANT EXECUTE ON FUNCTION cc._future_arg(timestamptz, text, integer), cc._review_date_arg(date) TO cc_exec;

-- ---------------------------------------------------------------- 延期 extension
CREATE FUNCTION cc.request_extension(p_case bigint, p_version integer, p_deadline timestamptz, p_reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_reason text := cc._require_note(p_reason, 'A request for more time');
    v_id bigint;
BEGIN
    b := cc._begin(p_case, p_version, 'request_extension');
    c := b.c;
    PERFORM cc._future_arg(p_deadline, 'the new deadline', cc._limit_of('deadline_days'));
    IF p_deadline <= c.handle_deadline THEN
        RAISE EXCEPTION 'the new deadline % is not later than the current one %',
                        to_char(p_deadline AT TIME ZONE cc.local_tz(), 'YYYY-MM-DD HH24:MI'),
                        to_char(c.handle_deadline AT TIME ZONE cc.local_tz(), 'YYYY-MM-DD HH24:MI')
            USING ERRCODE = 'CC009', HINT = 'Ask for a later time than the deadline in force.';
    END IF;
    INSERT INTO cc.extension (case_id, street_id, unit_id, person_id, old_deadline, requested_deadline,
                              reason, requested_by, requested_at)
    VALUES (c.id, c.street_id, c.assignee_unit_id, c.assignee_person_id, c.handle_deadline, p_deadline,
            v_reason, session_user, v_now)
    RETURNING id INTO v_id;
    UPDATE cc."case" SET extension_pending = true, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'request_extension', (b.c).state, v_reason, b.acct,
                    jsonb_build_object('extension_id', v_id, 'old_deadline', (b.c).handle_deadline,
                                       'requested_deadline', p_deadline));
    RETURN c.version;
END $$;

CREATE FUNCTION cc.decide_extension(p_case bigint, p_version integer, p_approve boolean,
                                    p_deadline timestamptz DEFAULT NULL, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    x cc.extension;
    v_now timestamptz := cc.clock();
    v_action text := CASE WHEN p_approve THEN 'approve_extension' ELSE 'refuse_extension' END;
    v_note text;
    v_granted timestamptz;
BEGIN
    IF p_approve IS NULL THEN
        RAISE EXCEPTION 'a decision on more time needs approve true or false' USING ERRCODE = 'CC009',
            HINT = 'Approve (true, with the new deadline) or refuse (false, with a reason).';
    END IF;
    b := cc._begin(p_case, p_version, v_action);
    c := b.c;
    SELECT * INTO x FROM cc.extension WHERE case_id = c.id AND approved IS NULL FOR UPDATE;
    IF p_approve THEN
        v_note := cc._clean_note(p_note);
        v_granted := cc._future_arg(coalesce(p_deadline, x.requested_deadline), 'the granted deadline',
                                    cc._limit_of('deadline_days'));
        IF v_granted <= c.handle_deadline THEN
            RAISE EXCEPTION 'the granted deadline % is not later than the current one %',
                            to_char(v_granted AT TIME ZONE cc.local_tz(), 'YYYY-MM-DD HH24:MI'),
                            to_char(c.handle_deadline AT TIME ZONE cc.local_tz(), 'YYYY-MM-DD HH24:MI')
                USING ERRCODE = 'CC009', HINT = 'Grant a later time, or refuse the request.';
        END IF;
        UPDATE cc.extension SET approved = true, granted_deadline = v_granted, decision_note = v_note,
               decided_by = session_user, decided_at = v_now WHERE id = x.id;
        UPDATE cc."case" SET handle_deadline = v_granted, extension_count = extension_count + 1,
               extension_pending = false, version = version + 1, updated_at = v_now
         WHERE id = p_case RETURNING * INTO c;
    ELSE
        v_note := cc._require_note(p_note, 'Refusing more time');
        UPDATE cc.extension SET approved = false, decision_note = v_note,
               decided_by = session_user, decided_at = v_now WHERE id = x.id;
        UPDATE cc."case" SET extension_pending = false, version = version + 1, updated_at = v_now
         WHERE id = p_case RETURNING * INTO c;
    END IF;
    PERFORM cc._log(c, v_action, (b.c).state, v_note, b.acct,
                    jsonb_build_object('extension_id', x.id, 'old_deadline', (b.c).handle_deadline,
                                       'requested_deadline', x.requested_deadline, 'granted_deadline', v_granted));
    RETURN c.version;
END $$;

-- ---------------------------------------------------------------- 挂账 suspension
CREATE FUNCTION cc.suspend(p_case bigint, p_version integer, p_reason_code text, p_reason text, p_review_on date)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_reason text := cc._require_note(p_reason, 'Suspending a case');
    v_phase text;
    v_deadline timestamptz;
    v_id bigint;
BEGIN
    b := cc._begin(p_case, p_version, 'suspend');
    c := b.c;
    PERFORM 1 FROM cc.suspend_reason WHERE code = p_reason_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown reason for suspension %', cc._quote(p_reason_code) USING ERRCODE = 'CC009',
            HINT = 'Use one of: ' || (SELECT string_agg(code, ', ' ORDER BY sort) FROM cc.suspend_reason);
    END IF;
    PERFORM cc._review_date_arg(p_review_on);
    SELECT phase INTO v_phase FROM cc.case_state WHERE code = c.state;
    v_deadline := CASE v_phase WHEN 'file' THEN c.file_deadline WHEN 'dispatch' THEN c.dispatch_deadline
                               WHEN 'handle' THEN c.handle_deadline WHEN 'verify' THEN c.verify_deadline END;
    INSERT INTO cc.suspension (case_id, street_id, reason_code, reason, review_on, phase, deadline,
                               work_minutes_left, suspended_by, suspended_at)
    VALUES (c.id, c.street_id, p_reason_code, v_reason, p_review_on, v_phase, v_deadline,
            cc.work_minutes_between(v_now, v_deadline), session_user, v_now)
    RETURNING id INTO v_id;
    UPDATE cc."case" SET suspended_at = v_now, suspension_review_on = p_review_on,
           version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'suspend', (b.c).state, v_reason, b.acct,
                    jsonb_build_object('suspension_id', v_id, 'reason_code', p_reason_code,
                                       'review_on', p_review_on, 'deadline', v_deadline));
    RETURN c.version;
END $$;

CREATE FUNCTION cc.review_suspension(p_case bigint, p_version integer, p_review_on date, p_note text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_note text := cc._require_note(p_note, 'Keeping a case suspended');
BEGIN
    b := cc._begin(p_case, p_version, 'review_suspension');
    c := b.c;
    PERFORM cc._review_date_arg(p_review_on);
    UPDATE cc.suspension SET review_on = p_review_on WHERE case_id = c.id AND resumed_at IS NULL;
    UPDATE cc."case" SET suspension_review_on = p_review_on, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'review_suspension', (b.c).state, v_note, b.acct,
                    jsonb_build_object('old_review_on', (b.c).suspension_review_on, 'review_on', p_review_on));
    RETURN c.version;
END $$;

-- The clock starts again where it stopped: a deadline counted in working time gets the working
-- minutes it had left, one on a continuous clock the clock time it had left (an overdue one
-- stays as late as it was).
CREATE FUNCTION cc._resumed_deadline(s cc.suspension, c cc."case", p_now timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN s.deadline IS NULL THEN NULL
        WHEN s.work_minutes_left > 0 AND coalesce((SELECT t.unit IN ('work_hours', 'work_days') FROM cc.time_limit t
                                                    WHERE t.category_id = c.category_id AND t.urgency = c.urgency
                                                      AND t.phase = s.phase), false)
            THEN cc.add_time(p_now, s.work_minutes_left / 60, 'work_hours')
        ELSE p_now + (s.deadline - s.suspended_at)
    END
$$;
GRANT EXECUTE ON FUNCTION cc._resumed_deadline(cc.suspension, cc."case", timestamptz) TO cc_exec;

CREATE FUNCTION cc.resume(p_case bigint, p_version integer, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    s cc.suspension;
    v_now timestamptz := cc.clock();
    v_note text := cc._clean_note(p_note);
    v_new timestamptz;
BEGIN
    b := cc._begin(p_case, p_version, 'resume');
    c := b.c;
    SELECT * INTO s FROM cc.suspension WHERE case_id = c.id AND resumed_at IS NULL FOR UPDATE;
    v_new := cc._resumed_deadline(s, c, v_now);
    UPDATE cc.suspension SET resumed_by = session_user, resumed_at = v_now, resume_note = v_note WHERE id = s.id;
    UPDATE cc."case" SET suspended_at = NULL, suspension_review_on = NULL,
           file_deadline = CASE WHEN s.phase = 'file' AND v_new IS NOT NULL THEN v_new ELSE file_deadline END,
           dispatch_deadline = CASE WHEN s.phase = 'dispatch' THEN v_new ELSE dispatch_deadline END,
           handle_deadline = CASE WHEN s.phase = 'handle' THEN v_new ELSE handle_deadline END,
           verify_deadline = CASE WHEN s.phase = 'verify' THEN v_new ELSE verify_deadline END,
           version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'resume', (b.c).state, v_note, b.acct,
                    jsonb_build_object('suspension_id', s.id, 'old_deadline', s.deadline, 'deadline', v_new,
                                       'suspended_minutes', round(extract(epoch FROM v_now - s.suspended_at) / 60)));
    RETURN c.version;
END $$;

-- ---------------------------------------------------------------- 督办 supervision
-- A street sub-centre supervises at street level; the district centre at any level. Lifting
-- takes a console of the level's side (a street cannot lift the district's supervision).
CREATE FUNCTION cc.supervise(p_case bigint, p_version integer, p_level text, p_reply_due timestamptz, p_note text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_note text := cc._require_note(p_note, 'Placing a case under supervision');
    v_id bigint;
BEGIN
    b := cc._begin(p_case, p_version, 'supervise');
    c := b.c;
    PERFORM 1 FROM cc.supervision_level WHERE code = p_level;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown supervision level %', cc._quote(p_level) USING ERRCODE = 'CC009',
            HINT = 'Use one of: ' || (SELECT string_agg(code, ', ' ORDER BY rank) FROM cc.supervision_level);
    END IF;
    IF (b.acct).street_id IS NOT NULL AND p_level <> 'street' THEN
        RAISE EXCEPTION 'a street sub-centre places street-level supervision only, not %',
                        (SELECT name || ' / ' || name_en FROM cc.supervision_level WHERE code = p_level)
            USING ERRCODE = '42501', HINT = 'Choose street level, or ask the district command centre.';
    END IF;
    PERFORM cc._future_arg(p_reply_due, 'the reply deadline', cc._limit_of('supervision_reply_days'));
    INSERT INTO cc.supervision (case_id, street_id, level, note, reply_due, placed_by, placed_at)
    VALUES (c.id, c.street_id, p_level, v_note, p_reply_due, session_user, v_now)
    RETURNING id INTO v_id;
    UPDATE cc."case" SET supervision_level = p_level, supervision_reply_due = p_reply_due,
           supervision_replied_at = NULL, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'supervise', (b.c).state, v_note, b.acct,
                    jsonb_build_object('supervision_id', v_id, 'level', p_level, 'reply_due', p_reply_due));
    RETURN c.version;
END $$;

CREATE FUNCTION cc.reply_supervision(p_case bigint, p_version integer, p_reply text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_reply text := cc._require_note(p_reply, 'A reply to supervision');
    v_id bigint;
BEGIN
    b := cc._begin(p_case, p_version, 'reply_supervision');
    c := b.c;
    UPDATE cc.supervision SET reply = v_reply, replied_by = session_user, replied_at = v_now
     WHERE case_id = c.id AND lifted_at IS NULL RETURNING id INTO v_id;
    UPDATE cc."case" SET supervision_replied_at = v_now, version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'reply_supervision', (b.c).state, v_reply, b.acct,
                    jsonb_build_object('supervision_id', v_id, 'late', v_now > (b.c).supervision_reply_due));
    RETURN c.version;
END $$;

CREATE FUNCTION cc.lift_supervision(p_case bigint, p_version integer, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    b record;
    c cc."case";
    v_now timestamptz := cc.clock();
    v_note text := cc._clean_note(p_note);
    v_id bigint;
BEGIN
    b := cc._begin(p_case, p_version, 'lift_supervision');
    c := b.c;
    IF (b.acct).street_id IS NOT NULL AND c.supervision_level <> 'street' THEN
        RAISE EXCEPTION 'case % is under % placed by the district; a street sub-centre cannot lift it', c.code,
                        (SELECT name || ' / ' || name_en FROM cc.supervision_level WHERE code = c.supervision_level)
            USING ERRCODE = '42501', HINT = 'Ask the district command centre.';
    END IF;
    UPDATE cc.supervision SET lifted_by = session_user, lifted_at = v_now, lift_note = v_note
     WHERE case_id = c.id AND lifted_at IS NULL RETURNING id INTO v_id;
    UPDATE cc."case" SET supervision_level = NULL, supervision_reply_due = NULL, supervision_replied_at = NULL,
           version = version + 1, updated_at = v_now
     WHERE id = p_case RETURNING * INTO c;
    PERFORM cc._log(c, 'lift_supervision', (b.c).state, v_note, b.acct,
                    jsonb_build_object('supervision_id', v_id, 'level', (b.c).supervision_level));
    RETURN c.version;
END $$;

-- ---------------------------------------------------------------- when a case moves on
-- A finished case leaves hold and supervision; a pending request for more time lapses when
-- the case is finished or handed to someone else (it was that assignee's request).
CREATE FUNCTION cc._loop_on_case_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_now timestamptz := cc.clock();
    v_open boolean := (SELECT is_open FROM cc.case_state WHERE code = NEW.state);
BEGIN
    IF NOT v_open THEN
        IF NEW.suspended_at IS NOT NULL THEN
            UPDATE cc.suspension SET resumed_by = session_user, resumed_at = v_now,
                   resume_note = 'case finished / 案件已办结' WHERE case_id = NEW.id AND resumed_at IS NULL;
            NEW.suspended_at := NULL;
            NEW.suspension_review_on := NULL;
        END IF;
        IF NEW.supervision_level IS NOT NULL THEN
            UPDATE cc.supervision SET lifted_by = session_user, lifted_at = v_now,
                   lift_note = 'case finished / 案件已办结' WHERE case_id = NEW.id AND lifted_at IS NULL;
            NEW.supervision_level := NULL;
            NEW.supervision_reply_due := NULL;
            NEW.supervision_replied_at := NULL;
        END IF;
    END IF;
    IF NEW.extension_pending AND (NOT v_open OR NEW.assignee_unit_id IS DISTINCT FROM OLD.assignee_unit_id
                                  OR NEW.assignee_person_id IS DISTINCT FROM OLD.assignee_person_id) THEN
        UPDATE cc.extension SET approved = false, decided_by = session_user, decided_at = v_now,
               decision_note = 'lapsed: the case was finished or reassigned / 案件已办结或改派'
         WHERE case_id = NEW.id AND approved IS NULL;
        NEW.extension_pending := false;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER case_loop_on_change BEFORE UPDATE OF state, assignee_unit_id, assignee_person_id ON cc."case"
    FOR EACH ROW EXECUTE FUNCTION cc._loop_on_case_change();

GRANT EXECUTE ON FUNCTION
    cc.request_extension(bigint, integer, timestamptz, text),
    cc.decide_extension(bigint, integer, boolean, timestamptz, text),
    cc.suspend(bigint, integer, text, text, date),
    cc.review_suspension(bigint, integer, date, text),
    cc.resume(bigint, integer, text),
    cc.supervise(bigint, integer, text, timestamptz, text),
    cc.reply_supervision(bigint, integer, text),
    cc.lift_supervision(bigint, integer, text) TO cc_reader;
