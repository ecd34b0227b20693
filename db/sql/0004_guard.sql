-- Revision 0004, part 2: accounts with connection limits, the guard that ends a console session
-- holding up others, and the security self-check. These functions belong to cc_keeper (see
-- 0004_owners.sql), the one role that may manage login roles and end sessions.
SET LOCAL ROLE cc_owner;

-- How many connections one console login may hold at once. A hall uses two (change feed,
-- worker) plus one for a moment at sign-in; the rest is room for a second hall or a wall.
CREATE FUNCTION cc.console_connection_limit() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 12 $$;

-- ---------------------------------------------------------------- accounts (replaces 0003)
-- An account's name in both interface languages (the hall shows the one it speaks).
ALTER TABLE cc.console_account ADD COLUMN display_name_en text CHECK (length(display_name_en) <= 80);

DROP FUNCTION cc.account_add(text, text, text, text, integer);
CREATE FUNCTION cc.account_add(p_login text, p_verifier text, p_display_name text, p_role text,
                               p_street_id integer DEFAULT NULL, p_display_name_en text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    v_name text;
    v_name_en text := nullif(cc._text_arg(p_display_name_en, 'the English display name', 80), '');
BEGIN
    PERFORM cc._require_admin();
    IF p_login IS NULL OR p_login !~ '^[a-z][a-z0-9_]{2,40}$' THEN
        RAISE EXCEPTION 'login name % is not allowed', cc._quote(p_login)
            USING ERRCODE = 'CC009', HINT = '3–41 characters: lower-case letters, digits and _, starting with a letter.';
    END IF;
    IF p_role IS NULL OR p_role NOT IN ('operator', 'supervisor', 'wall', 'admin') THEN
        RAISE EXCEPTION 'unknown console role %', cc._quote(p_role)
            USING ERRCODE = 'CC009', HINT = 'Use operator, supervisor, wall or admin.';
    END IF;
    IF p_verifier IS NULL OR length(p_verifier) > 400 OR p_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
        RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'CC009', HINT = 'Use commandcenter accounts add; it hashes the password on your machine.';
    END IF;
    v_name := cc._text_arg(p_display_name, 'the display name', 80);
    IF v_name IS NULL OR v_name = '' THEN
        RAISE EXCEPTION 'a display name of 1–80 characters is required'
            USING ERRCODE = 'CC009', HINT = 'Give the person''s or the post''s name, e.g. 东华门分中心受理员.';
    END IF;
    IF p_street_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cc.street WHERE id = p_street_id) THEN
        RAISE EXCEPTION 'street % does not exist', p_street_id
            USING ERRCODE = 'CC009', HINT = 'Leave the street empty for the district centre.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        RAISE EXCEPTION 'an account or role "%" already exists', p_login
            USING ERRCODE = 'CC009', HINT = 'Choose another login name.';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN CONNECTION LIMIT %s PASSWORD %L',
                   p_login, cc.console_connection_limit(), p_verifier);
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', p_login, '10s');
    EXECUTE format('GRANT %I TO %I', 'cc_' || p_role, p_login);
    INSERT INTO cc.console_account (login, display_name, display_name_en, street_id)
    VALUES (p_login, v_name, v_name_en, p_street_id);
    INSERT INTO cc.audit_log (action, subject, detail)
    VALUES ('account_add', p_login, jsonb_build_object('role', p_role, 'street_id', p_street_id));
END $$;

CREATE OR REPLACE FUNCTION cc.account_set_enabled(p_login text, p_enabled boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
BEGIN
    PERFORM cc._require_admin();
    IF p_enabled IS NULL THEN
        RAISE EXCEPTION 'say whether the account is to be enabled (true) or disabled (false)'
            USING ERRCODE = 'CC009', HINT = 'commandcenter accounts enable LOGIN or disable LOGIN.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM cc.console_account WHERE login = p_login) THEN
        RAISE EXCEPTION 'no console account %', cc._quote(p_login)
            USING ERRCODE = 'CC008', HINT = 'commandcenter accounts list shows the accounts.';
    END IF;
    EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
    IF NOT p_enabled THEN      -- a disabled account is signed out everywhere at once
        PERFORM pg_terminate_backend(a.pid) FROM pg_stat_activity a WHERE a.usename = p_login;
    END IF;
    INSERT INTO cc.audit_log (action, subject)
    VALUES (CASE WHEN p_enabled THEN 'account_enable' ELSE 'account_disable' END, p_login);
END $$;

-- ---------------------------------------------------------------- the guard
-- The event counter's row lock is held from a transaction's first event to its commit (dense
-- ids; 0001_events.sql), and a login can SET away any timeout. So the server side ends a
-- console session (never a superuser's), in any database of the cluster, that
--   * holds a lock another session has waited for longer than p_block_after, and is not
--     itself waiting (only the root of a queue is ended, never a waiter caught in it),
--   * sits idle in an open transaction longer than p_idle_after,
--   * keeps one transaction open longer than p_xact_after (it pins vacuum's horizon), or
--   * has not read what the server sends it for p_unread_after (a LISTEN whose client does
--     not read pins the cluster's NOTIFY queue; when that queue fills, every action fails).
-- Each ending is written to cc.audit_log. Called every second by the embedded server's owner
-- process (store/guard.py) or, for another server, by `commandcenter db guard`.
CREATE TABLE cc.guard_turn (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton));
INSERT INTO cc.guard_turn VALUES (true);
COMMENT ON TABLE cc.guard_turn IS 'One guard at a time: its row is locked for a round. No console may read or lock it.';

CREATE FUNCTION cc.guard(p_block_after interval DEFAULT '2 seconds',
                         p_idle_after interval DEFAULT '10 seconds',
                         p_xact_after interval DEFAULT '5 minutes',
                         p_unread_after interval DEFAULT '10 seconds')
RETURNS TABLE (ended_pid integer, ended_login name, why text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    r record;
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
            SELECT a.pid, a.usename, a.datname, a.state, a.xact_start, a.state_change,
                   a.wait_event, a.wait_event_type
              FROM pg_stat_activity a JOIN pg_roles ro ON ro.oid = a.usesysid
             WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND NOT ro.rolsuper
               AND pg_has_role(a.usesysid, 'cc_reader', 'MEMBER')
        ), waiting AS (
            SELECT l.pid, min(l.waitstart) AS since
              FROM pg_locks l WHERE NOT l.granted AND l.waitstart IS NOT NULL GROUP BY l.pid
        ), found AS (
            SELECT c.pid, c.usename, 1 AS prio,
                   format('held a lock that session %s waited for since %s', w.pid,
                          to_char(w.since AT TIME ZONE cc.local_tz(), 'HH24:MI:SS')) AS why
              FROM waiting w CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)
              JOIN console c ON c.pid = bp.pid
             WHERE w.since < clock_timestamp() - p_block_after
               AND c.pid NOT IN (SELECT pid FROM waiting)
            UNION ALL
            SELECT c.pid, c.usename, 2, format('idle in an open transaction since %s',
                                               to_char(c.state_change AT TIME ZONE cc.local_tz(), 'HH24:MI:SS'))
              FROM console c
             WHERE c.state LIKE 'idle in transaction%' AND c.state_change < clock_timestamp() - p_idle_after
            UNION ALL
            SELECT c.pid, c.usename, 3, format('kept one transaction open since %s',
                                               to_char(c.xact_start AT TIME ZONE cc.local_tz(), 'HH24:MI:SS'))
              FROM console c WHERE c.xact_start < clock_timestamp() - p_xact_after
            UNION ALL
            SELECT c.pid, c.usename, 4, format('has not read from the server since %s',
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
END $$;
COMMENT ON FUNCTION cc.guard(interval, interval, interval, interval) IS
    'Ends console sessions that hold up others (a lock waited on > 2 s, idle in transaction > 10 s, a transaction > 5 min, unread output > 10 s); audited.';

DROP FUNCTION cc.whoami();
CREATE FUNCTION cc.whoami()
RETURNS TABLE (login name, display_name text, street_id integer, display_name_en text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
    SELECT a.login, a.display_name, a.street_id, a.display_name_en FROM cc._account() a
$$;
COMMENT ON FUNCTION cc.whoami() IS
    'The signed-in console account: login, display name, street (NULL = district-wide), English display name.';

-- ---------------------------------------------------------------- sign-in audit (replaces 0003)
-- A console's sign-in is recorded, or the sign-in fails: a login that starts read-only
-- (PGOPTIONS=-c default_transaction_read_only=on) skipped the record before. Only the look-up
-- is allowed to fail quietly, so a broken catalogue never locks the superuser out (it is not
-- a console account).
CREATE OR REPLACE FUNCTION cc._on_login() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    v_console boolean := false;
BEGIN
    BEGIN
        v_console := EXISTS (SELECT 1 FROM cc.console_account WHERE login = session_user);
    EXCEPTION WHEN OTHERS THEN
        RETURN;
    END;
    IF v_console THEN
        IF current_setting('transaction_read_only') = 'on' THEN
            RAISE EXCEPTION 'console sign-ins are recorded; this session starts read-only, so it is refused'
                USING ERRCODE = '42501', HINT = 'Sign in without default_transaction_read_only.';
        END IF;
        INSERT INTO cc.audit_log (action, subject, detail)
        VALUES ('sign_in', session_user, jsonb_build_object('client', inet_client_addr(),
                                                            'application', current_setting('application_name', true)));
    END IF;
END $$;

-- ---------------------------------------------------------------- self-check
-- What `commandcenter db check` reports: each protection this page depends on, whether it
-- holds here, and what the administrator must do where it does not.
CREATE FUNCTION cc.security_check()
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

    SELECT string_agg(a.login || ' (' || array_to_string(r.rolconfig, ', ') || ')', '; ') INTO v_bad
      FROM cc.console_account a JOIN pg_roles r ON r.rolname = a.login
     WHERE r.rolconfig IS NOT NULL
       AND r.rolconfig <> ARRAY['idle_in_transaction_session_timeout=10s'];
    check_name := 'no console login carries settings of its own';
    ok := v_bad IS NULL;
    detail := coalesce('set by ALTER ROLE … SET: ' || v_bad, 'only the product''s idle timeout');
    fix := 'ALTER ROLE <login> RESET ALL; ALTER ROLE <login> SET idle_in_transaction_session_timeout = ''10s''.';
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
COMMENT ON FUNCTION cc.security_check() IS 'Administrators: the protections db/README.md relies on, checked on this server.';
