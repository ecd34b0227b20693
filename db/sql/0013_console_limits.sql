-- Hostile console, third review (session 12): what a read-only wall could still do to every
-- other console, and what the guard now ends.
--   * 15,000 advisory locks from one session filled the server's lock table: every query of
--     every console, every sign-in (the superuser's too) and the guard itself failed with
--     "out of shared memory" until the wall closed its connection. Consoles take no advisory
--     locks any more (harden.sql), and a console holding very many locks is ended.
--   * A LISTEN inside one long statement holds the NOTIFY queue's tail; a flood of NOTIFY from
--     another connection then filled the 8 GB queue in 35 s and every action failed (54000).
--     While the queue is filling, the guard ends the console transactions that hold it back.
--   * One statement ran for five minutes on both cores (a plpgsql loop); the guard now ends a
--     console statement after a minute (no console reads for that long).
--   * A console changed its own login's settings (ALTER ROLE wall IN DATABASE … SET
--     idle_in_transaction_session_timeout = 0, work_mem = '1GB'; ALTER ROLE … RESET ALL), which
--     PostgreSQL always allows a role; the check did not see per-database settings. The guard
--     puts them back (audited) and the check reads every database's settings.

DROP FUNCTION cc.guard(interval, interval, interval, interval);
CREATE FUNCTION cc.guard(p_block_after interval DEFAULT '2 seconds',
                         p_idle_after interval DEFAULT '10 seconds',
                         p_xact_after interval DEFAULT '5 minutes',
                         p_unread_after interval DEFAULT '10 seconds',
                         p_statement_after interval DEFAULT '1 minute',
                         p_locks_over integer DEFAULT 1000,
                         p_queue_over double precision DEFAULT 0.01,
                         p_queue_xact_after interval DEFAULT '5 seconds',
                         p_login_locks_over integer DEFAULT 5000)
RETURNS TABLE (ended_pid integer, ended_login name, why text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp
-- a round never waits on a console's lock: a console held the row of its own login's settings
-- in an open transaction and the restore below waited on it, the round with it, for as long as
-- that session lived (every other rule switched off)
SET lock_timeout = '200ms' AS $$
DECLARE
    r record;
    v_ended integer;
    v_queue double precision := pg_notification_queue_usage();
BEGIN
    IF NOT pg_has_role(session_user, 'cc_guard', 'MEMBER') THEN
        RAISE EXCEPTION 'only the guard service ends sessions (you are "%")', session_user
            USING ERRCODE = '42501', HINT = 'Run commandcenter db guard as a member of cc_guard.';
    END IF;
    -- A row no console can lock (an advisory key could be taken by anyone, and was).
    PERFORM 1 FROM cc.guard_turn FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN;                -- another guard is at work this very moment
    END IF;
    FOR r IN
        WITH console AS (
            SELECT a.pid, a.usename, a.datname, a.state, a.xact_start, a.state_change, a.query_start,
                   a.wait_event, a.wait_event_type, a.query
              FROM pg_stat_activity a JOIN pg_roles ro ON ro.oid = a.usesysid
             WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND NOT ro.rolsuper
               AND pg_has_role(a.usesysid, 'cc_reader', 'MEMBER')
        ), waiting AS (
            SELECT l.pid, min(l.waitstart) AS since
              FROM pg_locks l WHERE NOT l.granted AND l.waitstart IS NOT NULL GROUP BY l.pid
        ), holding AS (
            SELECT l.pid, count(*) AS locks FROM pg_locks l WHERE l.granted GROUP BY l.pid
        ), per_login AS (
            SELECT c.usename, sum(h.locks) AS locks FROM console c JOIN holding h ON h.pid = c.pid GROUP BY c.usename
        ), found AS (
            SELECT c.pid, c.usename, 1 AS prio,
                   format('held a lock that session %s waited for since %s', w.pid,
                          to_char(w.since AT TIME ZONE cc.local_tz(), 'HH24:MI:SS')) AS why
              FROM waiting w CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)
              JOIN console c ON c.pid = bp.pid
             WHERE w.since < clock_timestamp() - p_block_after
               AND c.pid NOT IN (SELECT pid FROM waiting)
            UNION ALL
            SELECT c.pid, c.usename, 2, format('held %s locks (the server has room for some %s in all)', h.locks,
                                               current_setting('max_locks_per_transaction')::int
                                               * current_setting('max_connections')::int)
              FROM console c JOIN holding h ON h.pid = c.pid
             WHERE h.locks > p_locks_over
            UNION ALL
            SELECT c.pid, c.usename, 2, format('held %s locks, its login %s in all', h.locks, pl.locks)
              FROM console c JOIN holding h ON h.pid = c.pid JOIN per_login pl ON pl.usename = c.usename
             WHERE pl.locks > p_login_locks_over AND h.locks > p_login_locks_over / 50
            UNION ALL
            -- the flooder: while the queue fills, a console whose statement sends notifications
            -- (the product's doorbell is sent inside the definer functions, never by a console)
            SELECT c.pid, c.usename, 3, format('sent notifications while the NOTIFY queue filled (%s %% full)',
                                               round((v_queue * 100)::numeric, 1))
              FROM console c
             WHERE v_queue > p_queue_over AND c.query ILIKE '%notify%'
            UNION ALL
            SELECT c.pid, c.usename, 3, format('held back the NOTIFY queue (%s %% full) with a transaction open since %s',
                                               round((v_queue * 100)::numeric, 1),
                                               to_char(c.xact_start AT TIME ZONE cc.local_tz(), 'HH24:MI:SS'))
              FROM console c
             WHERE v_queue > p_queue_over AND c.xact_start < clock_timestamp() - p_queue_xact_after
               -- not a listener that is reading (idle between deliveries): under a flood that was
               -- the hall's own change feed, ended three times in 40 s while the flooder went on
               AND (c.state <> 'idle' OR (c.wait_event_type = 'Client' AND c.wait_event = 'ClientWrite'))
            UNION ALL
            SELECT c.pid, c.usename, 4, format('idle in an open transaction since %s',
                                               to_char(c.state_change AT TIME ZONE cc.local_tz(), 'HH24:MI:SS'))
              FROM console c
             WHERE c.state LIKE 'idle in transaction%' AND c.state_change < clock_timestamp() - p_idle_after
            UNION ALL
            SELECT c.pid, c.usename, 5, format('ran one statement since %s',
                                               to_char(coalesce(c.query_start, c.xact_start) AT TIME ZONE cc.local_tz(),
                                                       'HH24:MI:SS'))
              FROM console c
             WHERE c.state IN ('active', 'fastpath function call')      -- a call by the function protocol has no query_start
               AND coalesce(c.query_start, c.xact_start) < clock_timestamp() - p_statement_after
            UNION ALL
            SELECT c.pid, c.usename, 6, format('kept one transaction open since %s',
                                               to_char(c.xact_start AT TIME ZONE cc.local_tz(), 'HH24:MI:SS'))
              FROM console c WHERE c.xact_start < clock_timestamp() - p_xact_after
            UNION ALL
            SELECT c.pid, c.usename, 7, format('has not read from the server since %s',
                                               to_char(c.state_change AT TIME ZONE cc.local_tz(), 'HH24:MI:SS'))
              FROM console c
             WHERE c.wait_event_type = 'Client' AND c.wait_event = 'ClientWrite'
               AND c.state_change < clock_timestamp() - p_unread_after
        )
        SELECT DISTINCT ON (f.pid) f.pid, f.usename, f.why FROM found f ORDER BY f.pid, f.prio
    LOOP
        IF pg_terminate_backend(r.pid) THEN
            INSERT INTO cc.audit_log (action, subject, detail)
            VALUES ('session_ended', r.usename, jsonb_build_object('pid', r.pid, 'reason', r.why));
            ended_pid := r.pid;
            ended_login := r.usename;
            why := r.why;
            RETURN NEXT;
        END IF;
    END LOOP;
    -- A console login's settings are the product's: its idle timeout and nothing else, in any
    -- database. A console may change its own (PostgreSQL allows every role that); they are put
    -- back before its next sign-in can use them. Only the logins cc_keeper administers (made by
    -- cc.account_add): another is the administrator's, and cc.security_check names it.
    FOR r IN
        SELECT a.login, (SELECT string_agg(coalesce(d.datname, '(all databases)') || ': '
                                           || array_to_string(s.setconfig, ', '), '; ')
                           FROM pg_db_role_setting s LEFT JOIN pg_database d ON d.oid = s.setdatabase
                          WHERE s.setrole = ro.oid) AS had
          FROM cc.console_account a JOIN pg_roles ro ON ro.rolname = a.login
         WHERE NOT cc._login_settings_are_ours(ro.oid)
           AND pg_has_role('cc_keeper', ro.oid, 'MEMBER WITH ADMIN OPTION')
    LOOP
        -- the session that changed them goes too: one wall display set its shared login read-only
        -- every 50 ms, faster than a restore a second, and kept every other display out
        v_ended := cc._end_login_sessions(r.login, 'changed its login''s settings', true);
        BEGIN
            PERFORM cc._restore_login_settings(r.login);
            INSERT INTO cc.audit_log (action, subject, detail)
            VALUES ('settings_restored', r.login, jsonb_build_object('had', coalesce(r.had, 'none')));
            why := format('its login settings had been changed (%s); put back, %s session(s) that changed them ended',
                          coalesce(r.had, 'none'), v_ended);
        EXCEPTION WHEN OTHERS THEN           -- the sessions ended above stay ended and audited
            -- a session of the login holds the settings row in an open transaction: it is ended,
            -- and the next round puts them back
            v_ended := v_ended + cc._end_login_sessions(r.login, 'held its login''s settings in an open transaction',
                                                        false);
            why := format('its login settings had been changed (%s) and could not be put back yet (%s); '
                          '%s session(s) of it ended', coalesce(r.had, 'none'), SQLERRM, v_ended);
        END;
        ended_pid := NULL;
        ended_login := r.login;
        RETURN NEXT;
    END LOOP;
END $$;
COMMENT ON FUNCTION cc.guard(interval, interval, interval, interval, interval, integer, double precision, interval, integer) IS
    'Ends console sessions that hold up others (a lock waited on > 2 s, > 1,000 locks, the NOTIFY queue held back while '
    'it fills, idle in transaction > 10 s, a statement > 1 min, a transaction > 5 min, unread output > 10 s) and puts '
    'back console logins'' changed settings; audited.';

-- The one setting a console login carries, everywhere else none.
CREATE FUNCTION cc._login_settings_are_ours(p_role oid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
    SELECT NOT EXISTS (SELECT 1 FROM pg_db_role_setting s
                        WHERE s.setrole = p_role
                          AND (s.setdatabase <> 0 OR s.setconfig <> ARRAY['idle_in_transaction_session_timeout=10s']))
       AND EXISTS (SELECT 1 FROM pg_db_role_setting s
                    WHERE s.setrole = p_role AND s.setdatabase = 0
                      AND s.setconfig = ARRAY['idle_in_transaction_session_timeout=10s'])
$$;

-- Ends a console login's sessions that changed its settings (their last statement altered a
-- role: p_altering) or that sit in an open transaction, audited. Called by the guard only.
CREATE FUNCTION cc._end_login_sessions(p_login name, p_why text, p_altering boolean) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    v_pid integer;
    v_ended integer := 0;
BEGIN
    -- "altering": both words anywhere in its last statement, however spaced or commented
    -- (ALTER/**/ROLE slipped past a pattern of the two words together); consoles cannot hide a
    -- statement in a DO block (no plpgsql for them, harden.sql)
    FOR v_pid IN SELECT a.pid FROM pg_stat_activity a
                  WHERE a.usename = p_login AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
                    AND CASE WHEN p_altering THEN a.query ~* 'alter' AND a.query ~* '(role|user)'
                             ELSE a.xact_start IS NOT NULL END LOOP
        IF pg_terminate_backend(v_pid) THEN
            INSERT INTO cc.audit_log (action, subject, detail)
            VALUES ('session_ended', p_login, jsonb_build_object('pid', v_pid, 'reason', p_why));
            v_ended := v_ended + 1;
        END IF;
    END LOOP;
    RETURN v_ended;
END $$;

CREATE FUNCTION cc._restore_login_settings(p_login name) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp SET lock_timeout = '200ms' AS $$
DECLARE
    d record;
BEGIN
    FOR d IN SELECT db.datname FROM pg_db_role_setting s JOIN pg_roles ro ON ro.oid = s.setrole
                               JOIN pg_database db ON db.oid = s.setdatabase
              WHERE ro.rolname = p_login AND s.setdatabase <> 0 LOOP
        EXECUTE format('ALTER ROLE %I IN DATABASE %I RESET ALL', p_login, d.datname);
    END LOOP;
    EXECUTE format('ALTER ROLE %I RESET ALL', p_login);
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', p_login, '10s');
END $$;

REVOKE EXECUTE ON FUNCTION cc.guard(interval, interval, interval, interval, interval, integer, double precision, interval, integer),
    cc._login_settings_are_ours(oid), cc._restore_login_settings(name), cc._end_login_sessions(name, text, boolean)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cc.guard(interval, interval, interval, interval, interval, integer, double precision, interval, integer)
    TO cc_guard;
GRANT EXECUTE ON FUNCTION cc._login_settings_are_ours(oid) TO cc_keeper;

-- ---------------------------------------------------------------- the self-check, reading every database's settings
CREATE OR REPLACE FUNCTION cc.security_check()
RETURNS TABLE (check_name text, ok boolean, detail text, fix text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    v_bad text;
BEGIN
    PERFORM cc._require_admin();

    check_name := 'server version';
    ok := current_setting('server_version_num')::int >= 170000;
    detail := 'PostgreSQL ' || current_setting('server_version');
    fix := 'Use PostgreSQL 17 or newer (login event trigger, role grants without inheritance).';
    RETURN NEXT;

    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO v_bad
      FROM pg_proc p
     WHERE p.pronamespace = 'cc'::regnamespace AND p.prosecdef
       AND NOT coalesce('search_path=pg_catalog, cc, pg_temp' = ANY (p.proconfig), false);
    check_name := 'definer functions pin search_path with pg_temp last';
    ok := v_bad IS NULL;
    detail := coalesce('not pinned: ' || v_bad, 'all pinned');
    fix := 'Run commandcenter db upgrade (it re-applies db/sql/harden.sql).';
    RETURN NEXT;

    SELECT string_agg(p.oid::regprocedure::text || ' (' || pg_get_userbyid(p.proowner) || ')', ', ') INTO v_bad
      FROM pg_proc p
     WHERE p.pronamespace = 'cc'::regnamespace AND p.prosecdef
       AND pg_get_userbyid(p.proowner) NOT IN ('cc_exec', 'cc_keeper');
    check_name := 'definer functions run as cc_exec or cc_keeper, never as the tables'' owner';
    ok := v_bad IS NULL;
    detail := coalesce('wrong owner: ' || v_bad, 'all owned by cc_exec / cc_keeper');
    fix := 'Run commandcenter db upgrade (it re-applies db/sql/harden.sql).';
    RETURN NEXT;

    SELECT string_agg(g, ', ') INTO v_bad
      FROM unnest(ARRAY['public', 'cc_reader', 'cc_reporter', 'cc_handler', 'cc_operator',
                        'cc_supervisor', 'cc_wall', 'cc_admin', 'cc_exec', 'cc_keeper', 'cc_owner']) AS g
     WHERE (g = 'public' AND EXISTS (SELECT 1 FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) x
                                      WHERE d.datname = current_database() AND x.grantee = 0
                                        AND x.privilege_type = 'TEMPORARY'))
        OR (g <> 'public' AND has_database_privilege(g, current_database(), 'TEMPORARY'));
    check_name := 'console roles cannot create temporary objects';
    ok := v_bad IS NULL;
    detail := coalesce('TEMPORARY granted to: ' || v_bad, 'TEMPORARY granted to none of them');
    fix := format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC (and from each role named).', current_database());
    RETURN NEXT;

    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO v_bad
      FROM pg_proc p
     WHERE p.pronamespace = 'pg_catalog'::regnamespace
       AND (p.proname LIKE 'pg\_advisory\_%' OR p.proname LIKE 'pg\_try\_advisory\_%'
            OR p.proname IN ('pg_terminate_backend', 'pg_cancel_backend'))
       AND (has_function_privilege('cc_wall', p.oid, 'EXECUTE') OR has_function_privilege('cc_operator', p.oid, 'EXECUTE'));
    IF has_language_privilege('cc_wall', 'plpgsql', 'USAGE') OR has_language_privilege('cc_operator', 'plpgsql', 'USAGE') THEN
        v_bad := concat_ws(', ', v_bad, 'DO blocks (USAGE on plpgsql)');
    END IF;
    check_name := 'consoles take no advisory locks, signal no other session, run no DO blocks';
    ok := v_bad IS NULL;
    detail := coalesce('a console may call: ' || v_bad, 'advisory locks, backend signals and plpgsql are not theirs');
    fix := 'Run commandcenter db upgrade (it re-applies db/sql/harden.sql).';
    RETURN NEXT;

    SELECT string_agg(a.login || ' (' || CASE WHEN r.rolconnlimit < 0 THEN 'unlimited' ELSE r.rolconnlimit::text END || ')', ', ')
      INTO v_bad
      FROM cc.console_account a JOIN pg_roles r ON r.rolname = a.login
     WHERE r.rolconnlimit < 0 OR r.rolconnlimit > cc.console_connection_limit();
    check_name := 'every console login has a connection limit';
    ok := v_bad IS NULL;
    detail := coalesce('no or too high a limit: ' || v_bad,
                       'at most ' || cc.console_connection_limit() || ' connections each, of max_connections '
                       || current_setting('max_connections'));
    fix := format('ALTER ROLE <login> CONNECTION LIMIT %s for each one named.', cc.console_connection_limit());
    RETURN NEXT;

    SELECT string_agg(d.datname, ', ') INTO v_bad
      FROM pg_database d
     WHERE d.datallowconn AND d.datname <> current_database()
       AND has_database_privilege('cc_reader', d.datname, 'CONNECT');
    check_name := 'console roles connect to this database only';
    ok := v_bad IS NULL;
    detail := coalesce('CONNECT allowed on: ' || v_bad, 'no other database admits them');
    fix := 'REVOKE CONNECT ON DATABASE <name> FROM PUBLIC for each one named (the superuser keeps it).';
    RETURN NEXT;

    SELECT string_agg(a.login || ' (' || coalesce((SELECT string_agg(coalesce(db.datname, 'all databases') || ': '
                                                                      || array_to_string(s.setconfig, ', '), '; ')
                                                     FROM pg_db_role_setting s
                                                     LEFT JOIN pg_database db ON db.oid = s.setdatabase
                                                    WHERE s.setrole = r.oid), 'no idle timeout') || ')', '; ')
      INTO v_bad
      FROM cc.console_account a JOIN pg_roles r ON r.rolname = a.login
     WHERE NOT cc._login_settings_are_ours(r.oid);
    check_name := 'no console login carries settings of its own';
    ok := v_bad IS NULL;
    detail := coalesce('set by ALTER ROLE … SET: ' || v_bad, 'only the product''s idle timeout');
    fix := 'The guard puts them back within a second; without a guard: ALTER ROLE <login> [IN DATABASE <db>] RESET ALL; '
           'ALTER ROLE <login> SET idle_in_transaction_session_timeout = ''10s''.';
    RETURN NEXT;

    check_name := 'a guard ends sessions that hold others up';
    ok := EXISTS (SELECT 1 FROM pg_stat_activity a JOIN pg_roles ro ON ro.oid = a.usesysid
                   WHERE a.datname = current_database() AND a.application_name = 'commandcenter-guard'
                     AND (ro.rolsuper OR pg_has_role(a.usesysid, 'cc_guard', 'MEMBER')));
    detail := CASE WHEN ok THEN 'a guard is connected' ELSE 'no session named commandcenter-guard is connected' END;
    fix := 'Run `commandcenter db guard --dsn …` as a service, signed in as a member of cc_guard '
           '(the embedded server runs its own).';
    RETURN NEXT;
END $$;

-- ---------------------------------------------------------------- a day's reports and urges per login
-- A street operator's script reported 8,716 urgent cases in 10 s, each ringing every hall's
-- doorbell and kept for ever by the append-only event table. Photos, repeats, visits and
-- handovers had daily bounds; reports and urges now have them too, counted per console login
-- and calendar day of the district as each event is written (the administrator's own tools —
-- the demo history, command-line imports — are not a console and are not counted).
SET LOCAL ROLE cc_owner;                 -- the tables' owner, as every migration's tables
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('reports_per_login_day', 1000, 'count', 'cases one console login may report in a day'),
    ('urges_per_login_day', 1000, 'count', 'urges one console login may send in a day');

CREATE TABLE cc.login_day_count (
    login  name NOT NULL,
    day    date NOT NULL,
    action text NOT NULL CHECK (action IN ('report', 'urge')),
    n      integer NOT NULL CHECK (n > 0),
    PRIMARY KEY (login, day, action)
);
COMMENT ON TABLE cc.login_day_count IS
    'Reports and urges per console login and district day, for their daily bounds (cc.input_limit); no console reads it.';
GRANT SELECT, INSERT, UPDATE ON cc.login_day_count TO cc_exec;

CREATE FUNCTION cc._count_login_day() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    v_action text := CASE WHEN NEW.action = 'urge' THEN 'urge' ELSE 'report' END;
    v_limit  integer := cc._limit_of(CASE WHEN NEW.action = 'urge' THEN 'urges_per_login_day'
                                          ELSE 'reports_per_login_day' END);
    v_n      integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cc.console_account WHERE login = NEW.actor) THEN
        RETURN NULL;
    END IF;
    INSERT INTO cc.login_day_count AS d (login, day, action, n)
    VALUES (NEW.actor, (NEW.at AT TIME ZONE cc.local_tz())::date, v_action, 1)
    ON CONFLICT (login, day, action) DO UPDATE SET n = d.n + 1
    RETURNING d.n INTO v_n;
    IF v_n > v_limit THEN
        RAISE EXCEPTION 'login "%" has made % % today, the most one account may (a day''s bound, cc.input_limit)',
                        NEW.actor, v_limit, CASE WHEN v_action = 'urge' THEN 'urges' ELSE 'reports' END
            USING ERRCODE = 'CC009', HINT = 'Ask the administrator if a shift really takes more.';
    END IF;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION cc._count_login_day() FROM PUBLIC;
CREATE TRIGGER case_event_login_day AFTER INSERT ON cc.case_event
    FOR EACH ROW WHEN (NEW.action IN ('report', 'report_solved', 'urge')) EXECUTE FUNCTION cc._count_login_day();
