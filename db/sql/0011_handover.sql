-- Revision 0011: the shift handover (交接班, issue 15).
--
-- At sign-out (or whenever the operator asks) a console writes a handover: the summary of its
-- shift as the server counts it — cases taken, filed, dispatched and closed by this login since
-- the scope's previous handover, what is still open and urgent, under supervision or overdue
-- in its scope — and a free-text note. The next operator of the same scope (the same street,
-- or the district centre) sees the newest one at sign-in and acknowledges it.
--
-- The summary is computed here, never sent by the client: a console cannot hand over figures
-- it made up. Both tables are append-only (an acknowledgement is a row of its own), readable
-- only through the functions below, which keep to the caller's scope. Written by operators and
-- supervisors; the wall and field terminals neither write, read nor acknowledge handovers.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- limits
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('handover_note_chars', 4000, 'characters', 'the free-text note of a shift handover'),
    ('handovers_per_login_day', 48, 'count', 'shift handovers one login may write in 24 hours'),
    ('handover_cases', 50, 'count', 'cases a handover lists by code under each heading (the counts are whole)');

-- ---------------------------------------------------------------- tables
CREATE TABLE cc.handover (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    street_id     integer REFERENCES cc.street,        -- the scope: a street, or NULL for the district
    author        name NOT NULL,                        -- session_user, never a client value
    author_name   text NOT NULL,                        -- the account's display name at the time
    since         timestamptz NOT NULL,                 -- the shift the summary covers: [since, written_at)
    written_at    timestamptz NOT NULL,
    summary       jsonb NOT NULL,                       -- computed by cc._shift_summary, never by a client
    note          text NOT NULL DEFAULT ''              -- at most cc.input_limit handover_note_chars
);
CREATE INDEX ON cc.handover (street_id, id);
CREATE INDEX ON cc.handover (author, written_at);

CREATE TABLE cc.handover_ack (
    handover_id     bigint NOT NULL REFERENCES cc.handover,
    login           name NOT NULL,                      -- session_user
    acknowledged_at timestamptz NOT NULL,
    PRIMARY KEY (handover_id, login)
);
COMMENT ON TABLE cc.handover IS
    'Shift handovers (交接班): append-only; consoles read them only through cc.pending_handover and cc.handovers.';
COMMENT ON TABLE cc.handover_ack IS 'Who acknowledged which handover, when: append-only.';

CREATE FUNCTION cc._handover_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the handover tables are append-only: % is refused', TG_OP
        USING ERRCODE = '42501', HINT = 'Write a new handover through cc.write_handover.';
END $$;
CREATE TRIGGER handover_no_update BEFORE UPDATE OR DELETE ON cc.handover
    FOR EACH ROW EXECUTE FUNCTION cc._handover_immutable();
CREATE TRIGGER handover_no_truncate BEFORE TRUNCATE ON cc.handover
    FOR EACH STATEMENT EXECUTE FUNCTION cc._handover_immutable();
CREATE TRIGGER handover_ack_no_update BEFORE UPDATE OR DELETE ON cc.handover_ack
    FOR EACH ROW EXECUTE FUNCTION cc._handover_immutable();
CREATE TRIGGER handover_ack_no_truncate BEFORE TRUNCATE ON cc.handover_ack
    FOR EACH STATEMENT EXECUTE FUNCTION cc._handover_immutable();

-- Consoles read and write them only through the definer functions (owned by cc_exec).
REVOKE ALL ON cc.handover, cc.handover_ack FROM PUBLIC;
ALTER TABLE cc.handover ENABLE ROW LEVEL SECURITY;
ALTER TABLE cc.handover_ack ENABLE ROW LEVEL SECURITY;
CREATE POLICY exec_all ON cc.handover FOR ALL TO cc_exec USING (true) WITH CHECK (true);
CREATE POLICY exec_all ON cc.handover_ack FOR ALL TO cc_exec USING (true) WITH CHECK (true);
GRANT SELECT, INSERT ON cc.handover, cc.handover_ack TO cc_exec;
GRANT SELECT ON cc.handover, cc.handover_ack TO cc_admin;
CREATE POLICY admin_read ON cc.handover FOR SELECT TO cc_admin USING (true);
CREATE POLICY admin_read ON cc.handover_ack FOR SELECT TO cc_admin USING (true);

-- ---------------------------------------------------------------- who may
-- Operators and supervisors (and administrators, who are supervisors) hand over a shift; the
-- wall, field terminals and unit consoles do not.
CREATE FUNCTION cc._require_shift_console() RETURNS cc.console_account
LANGUAGE plpgsql STABLE AS $$
DECLARE
    acct cc.console_account := cc._account();
BEGIN
    IF NOT pg_has_role(session_user, 'cc_operator', 'MEMBER') THEN
        RAISE EXCEPTION 'login "%" does not hand over shifts: only operators and supervisors do', session_user
            USING ERRCODE = '42501', HINT = 'Sign in as the hall''s operator or supervisor.';
    END IF;
    RETURN acct;
END $$;

-- Where the caller's shift began: the newest handover of its scope (the previous shift ended
-- then), but no further back than 24 hours; 12 hours back when the scope has none yet.
CREATE FUNCTION cc._shift_start(p_street integer, p_now timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT greatest(coalesce((SELECT max(h.written_at) FROM cc.handover h
                               WHERE h.street_id IS NOT DISTINCT FROM p_street AND h.written_at <= p_now),
                             p_now - interval '12 hours'),
                    p_now - interval '24 hours')
$$;

-- The summary of a shift, as the server counts it. Called by the definer functions only.
CREATE FUNCTION cc._shift_summary(p_street integer, p_since timestamptz, p_now timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH mine AS (
        SELECT e.action, e.case_id FROM cc.case_event e
         WHERE e.actor = session_user AND e.at >= p_since AND e.at < p_now
    ), open_cases AS (
        SELECT b.id, b.code, b.title, b.urgency, b.state, b.deadline, b.supervision_level
          FROM cc.case_board b
         WHERE b.is_open AND (p_street IS NULL OR b.street_id = p_street) AND cc.sees_street(b.street_id)
    ), listed AS (
        SELECT kind, count(*) AS n,
               coalesce(jsonb_agg(jsonb_build_object('id', id, 'code', code, 'title', title, 'state', state,
                                                     'urgency', urgency, 'deadline', deadline)
                                  ORDER BY deadline NULLS LAST, id)
                        FILTER (WHERE rn <= cc._limit_of('handover_cases')), '[]') AS cases
          FROM (SELECT o.*, k.kind, row_number() OVER (PARTITION BY k.kind ORDER BY o.deadline NULLS LAST, o.id) AS rn
                  FROM open_cases o
                 CROSS JOIN LATERAL (VALUES ('urgent', o.urgency <> 'normal'),
                                            ('supervised', o.supervision_level IS NOT NULL),
                                            ('overdue', o.deadline < p_now)) AS k(kind, yes)
                 WHERE k.yes) t
         GROUP BY kind
    )
    SELECT jsonb_build_object(
        'since', p_since, 'until', p_now,
        'taken', (SELECT count(DISTINCT case_id) FROM mine WHERE action IN ('report', 'report_solved', 'repeat')),
        'filed', (SELECT count(DISTINCT case_id) FROM mine WHERE action = 'file'),
        'dispatched', (SELECT count(DISTINCT case_id) FROM mine WHERE action IN ('dispatch', 'redispatch')),
        'closed', (SELECT count(DISTINCT case_id) FROM mine WHERE action = 'verify_pass'),
        'open', (SELECT count(*) FROM open_cases),
        'urgent', coalesce((SELECT n FROM listed WHERE kind = 'urgent'), 0),
        'urgent_cases', coalesce((SELECT cases FROM listed WHERE kind = 'urgent'), '[]'),
        'supervised', coalesce((SELECT n FROM listed WHERE kind = 'supervised'), 0),
        'supervised_cases', coalesce((SELECT cases FROM listed WHERE kind = 'supervised'), '[]'),
        'overdue', coalesce((SELECT n FROM listed WHERE kind = 'overdue'), 0),
        'overdue_cases', coalesce((SELECT cases FROM listed WHERE kind = 'overdue'), '[]'))
$$;

-- The helpers run inside the definer functions, as cc_exec; no console calls them.
GRANT EXECUTE ON FUNCTION cc._require_shift_console(), cc._shift_start(integer, timestamptz),
    cc._shift_summary(integer, timestamptz, timestamptz) TO cc_exec;

-- ---------------------------------------------------------------- the functions consoles call
-- What a handover written now would say (the sign-out dialog shows it before the note is typed).
CREATE FUNCTION cc.shift_summary() RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    acct cc.console_account := cc._require_shift_console();
    v_now timestamptz := cc.clock();
BEGIN
    RETURN cc._shift_summary(acct.street_id, cc._shift_start(acct.street_id, v_now), v_now);
END $$;
COMMENT ON FUNCTION cc.shift_summary() IS
    'The summary of the caller''s shift so far (since its scope''s last handover, at most 24 hours back).';
GRANT EXECUTE ON FUNCTION cc.shift_summary() TO cc_reader;

-- Write the handover: the summary is the server's, the note the operator's (cleaned, bounded).
CREATE FUNCTION cc.write_handover(p_note text DEFAULT '') RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    acct cc.console_account := cc._require_shift_console();
    v_now timestamptz := cc.clock();
    v_since timestamptz;
    v_note text;
    v_id bigint;
BEGIN
    IF p_note IS NOT NULL AND length(p_note) > cc._limit_of('handover_note_chars') THEN
        RAISE EXCEPTION 'the handover note is too long: % characters; at most % are allowed',
                        length(p_note), cc._limit_of('handover_note_chars')
            USING ERRCODE = 'CC009', HINT = 'Shorten it: the cases themselves are listed by the summary.';
    END IF;
    v_note := btrim(coalesce(cc._clean_text(p_note, true), ''), E' \n\u3000');
    IF (SELECT count(*) FROM cc.handover WHERE author = session_user AND written_at > v_now - interval '1 day')
       >= cc._limit_of('handovers_per_login_day') THEN
        RAISE EXCEPTION 'login "%" has written % handovers in the last 24 hours, the most one account may',
                        session_user, cc._limit_of('handovers_per_login_day')
            USING ERRCODE = 'CC007', HINT = 'A shift is handed over once, at its end.';
    END IF;
    v_since := cc._shift_start(acct.street_id, v_now);
    INSERT INTO cc.handover (street_id, author, author_name, since, written_at, summary, note)
    VALUES (acct.street_id, session_user, acct.display_name, v_since, v_now,
            cc._shift_summary(acct.street_id, v_since, v_now), v_note)
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;
COMMENT ON FUNCTION cc.write_handover(text) IS
    'Hand over the caller''s shift: the server''s summary of it and the operator''s note; the next operator of the scope sees it.';
GRANT EXECUTE ON FUNCTION cc.write_handover(text) TO cc_reader;

-- The handover the caller should read at sign-in: the newest of its scope, if this login has
-- not acknowledged it yet and it is less than 24 hours old (an older one is history).
CREATE FUNCTION cc.pending_handover()
RETURNS TABLE (id bigint, author name, author_name text, since timestamptz, written_at timestamptz,
               summary jsonb, note text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    acct cc.console_account := cc._require_shift_console();
BEGIN
    RETURN QUERY
    SELECT h.id, h.author, h.author_name, h.since, h.written_at, h.summary, h.note
      FROM (SELECT * FROM cc.handover x WHERE x.street_id IS NOT DISTINCT FROM acct.street_id
             ORDER BY x.id DESC LIMIT 1) h
     WHERE h.written_at > cc.clock() - interval '24 hours'
       AND NOT EXISTS (SELECT 1 FROM cc.handover_ack a WHERE a.handover_id = h.id AND a.login = session_user);
END $$;
COMMENT ON FUNCTION cc.pending_handover() IS
    'The newest handover of the caller''s scope that this login has not acknowledged (none older than 24 hours).';
GRANT EXECUTE ON FUNCTION cc.pending_handover() TO cc_reader;

-- Acknowledge a handover of the caller's own scope; a second acknowledgement by the same login
-- changes nothing and answers the first one's time.
CREATE FUNCTION cc.acknowledge_handover(p_id bigint) RETURNS timestamptz
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    acct cc.console_account := cc._require_shift_console();
    h cc.handover;
    v_at timestamptz;
BEGIN
    SELECT * INTO h FROM cc.handover WHERE handover.id = p_id;
    IF NOT FOUND OR h.street_id IS DISTINCT FROM acct.street_id THEN
        RAISE EXCEPTION 'no handover % for your console''s scope', coalesce(p_id::text, 'NULL')
            USING ERRCODE = 'CC008', HINT = 'Acknowledge the handover cc.pending_handover() shows you.';
    END IF;
    SELECT a.acknowledged_at INTO v_at FROM cc.handover_ack a WHERE a.handover_id = h.id AND a.login = session_user;
    IF FOUND THEN
        RETURN v_at;
    END IF;
    v_at := cc.clock();
    INSERT INTO cc.handover_ack (handover_id, login, acknowledged_at) VALUES (h.id, session_user, v_at);
    RETURN v_at;
END $$;
COMMENT ON FUNCTION cc.acknowledge_handover(bigint) IS
    'The caller read handover p_id of its own scope (append-only; repeated calls answer the first time).';
GRANT EXECUTE ON FUNCTION cc.acknowledge_handover(bigint) TO cc_reader;

-- The scope's handovers of the last p_days days, with who acknowledged each: the audit a
-- supervisor reads.
CREATE FUNCTION cc.handovers(p_days integer DEFAULT 7)
RETURNS TABLE (id bigint, author name, author_name text, since timestamptz, written_at timestamptz,
               summary jsonb, note text, acknowledged jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    acct cc.console_account := cc._require_shift_console();
BEGIN
    IF p_days IS NULL OR p_days NOT BETWEEN 1 AND 366 THEN
        RAISE EXCEPTION 'a handover history covers 1 to 366 days, got %', coalesce(p_days::text, 'NULL')
            USING ERRCODE = 'CC009', HINT = 'Ask for at most a year of handovers.';
    END IF;
    RETURN QUERY
    SELECT h.id, h.author, h.author_name, h.since, h.written_at, h.summary, h.note,
           coalesce((SELECT jsonb_agg(jsonb_build_object('login', a.login, 'at', a.acknowledged_at)
                                      ORDER BY a.acknowledged_at)
                       FROM cc.handover_ack a WHERE a.handover_id = h.id), '[]')
      FROM cc.handover h
     WHERE h.street_id IS NOT DISTINCT FROM acct.street_id AND h.written_at > cc.clock() - p_days * interval '1 day'
     ORDER BY h.id DESC
     LIMIT 500;          -- half a year of three shifts a day; a flood of handovers cannot make one answer huge
END $$;
COMMENT ON FUNCTION cc.handovers(integer) IS
    'The handovers of the caller''s scope over the last p_days days (the newest 500), each with its acknowledgements.';
GRANT EXECUTE ON FUNCTION cc.handovers(integer) TO cc_reader;
