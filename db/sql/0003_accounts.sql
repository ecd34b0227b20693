-- Operators as PostgreSQL login roles, an audit trail of sign-ins and account changes, who
-- may see which people, and residents' private data only for those who need it.
-- Runs as the migrating superuser (event triggers and role administration need it); the
-- objects still belong to cc_owner.
-- Replaced since: account_add, account_set_enabled, _on_login — in 0004_input.sql / 0004_guard.sql (the rule in force is the
-- newest definition; this file is the history a migration replays).

-- ---------------------------------------------------------------- audit trail
SET LOCAL ROLE cc_owner;

CREATE TABLE cc.audit_log (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor   name NOT NULL DEFAULT session_user,     -- the signed-in role, never a client value
    action  text NOT NULL,                          -- sign_in, account_add, account_disable, account_enable
    subject name,                                   -- the account acted on
    detail  jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX ON cc.audit_log (subject, id);
COMMENT ON TABLE cc.audit_log IS 'Append-only: sign-ins and account changes. Readable by cc_admin.';

CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON cc.audit_log
    FOR EACH ROW EXECUTE FUNCTION cc._event_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON cc.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION cc._event_immutable();
REVOKE ALL ON cc.audit_log FROM PUBLIC, cc_reader;
GRANT SELECT ON cc.audit_log TO cc_admin;

-- ---------------------------------------------------------------- accounts
-- cc_owner may create login roles and grant exactly the console groups, nothing else
-- (PostgreSQL 16+: ADMIN without INHERIT or SET gives it no rights of those groups).
RESET ROLE;
ALTER ROLE cc_owner CREATEROLE;
GRANT cc_operator, cc_supervisor, cc_wall, cc_admin TO cc_owner WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;
GRANT pg_signal_backend TO cc_owner;    -- to sign a disabled account out
SET LOCAL ROLE cc_owner;

CREATE FUNCTION cc._require_admin() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'cc_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'only administrators manage accounts (you are "%")', session_user
            USING ERRCODE = '42501', HINT = 'Sign in with an account in cc_admin.';
    END IF;
END $$;

-- The password arrives as a SCRAM-SHA-256 verifier computed by the client (libpq's
-- PQencryptPasswordConn): the clear text never reaches the server or its logs.
CREATE FUNCTION cc.account_add(p_login text, p_verifier text, p_display_name text, p_role text,
                               p_street_id integer DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
BEGIN
    PERFORM cc._require_admin();
    IF p_login !~ '^[a-z][a-z0-9_]{2,40}$' THEN
        RAISE EXCEPTION 'login name "%" is not allowed', p_login
            USING ERRCODE = 'CC009', HINT = '3–41 characters: lower-case letters, digits and _, starting with a letter.';
    END IF;
    IF p_role NOT IN ('operator', 'supervisor', 'wall', 'admin') THEN
        RAISE EXCEPTION 'unknown console role "%"', p_role
            USING ERRCODE = 'CC009', HINT = 'Use operator, supervisor, wall or admin.';
    END IF;
    IF p_verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'CC009', HINT = 'Use commandcenter accounts add; it hashes the password on your machine.';
    END IF;
    IF length(coalesce(p_display_name, '')) NOT BETWEEN 1 AND 80 THEN
        RAISE EXCEPTION 'a display name of 1–80 characters is required' USING ERRCODE = 'CC009';
    END IF;
    IF p_street_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cc.street WHERE id = p_street_id) THEN
        RAISE EXCEPTION 'street % does not exist', p_street_id USING ERRCODE = 'CC009';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        RAISE EXCEPTION 'an account or role "%" already exists', p_login USING ERRCODE = 'CC009';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_verifier);
    EXECUTE format('GRANT %I TO %I', 'cc_' || p_role, p_login);
    INSERT INTO cc.console_account (login, display_name, street_id) VALUES (p_login, p_display_name, p_street_id);
    INSERT INTO cc.audit_log (action, subject, detail)
    VALUES ('account_add', p_login, jsonb_build_object('role', p_role, 'street_id', p_street_id));
END $$;

CREATE FUNCTION cc.account_set_enabled(p_login text, p_enabled boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
BEGIN
    PERFORM cc._require_admin();
    IF NOT EXISTS (SELECT 1 FROM cc.console_account WHERE login = p_login) THEN
        RAISE EXCEPTION 'no console account "%"', p_login USING ERRCODE = 'CC008';
    END IF;
    EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
    IF NOT p_enabled THEN      -- a disabled account is signed out everywhere at once
        PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = p_login;
    END IF;
    INSERT INTO cc.audit_log (action, subject)
    VALUES (CASE WHEN p_enabled THEN 'account_enable' ELSE 'account_disable' END, p_login);
END $$;

CREATE FUNCTION cc.accounts()
RETURNS TABLE (login name, display_name text, role text, street text, can_login boolean, last_sign_in timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
BEGIN
    PERFORM cc._require_admin();
    RETURN QUERY
    SELECT a.login, a.display_name,
           (SELECT string_agg(substr(g.rolname, 4), ',' ORDER BY g.rolname)
              FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
             WHERE m.member = r.oid AND g.rolname IN ('cc_operator', 'cc_supervisor', 'cc_wall', 'cc_admin')),
           coalesce(s.name, '区级 district'), r.rolcanlogin,
           (SELECT max(l.at) FROM cc.audit_log l WHERE l.subject = a.login AND l.action = 'sign_in')
      FROM cc.console_account a
      JOIN pg_roles r ON r.rolname = a.login
      LEFT JOIN cc.street s ON s.id = a.street_id
     ORDER BY a.street_id NULLS FIRST, a.login;
END $$;

REVOKE EXECUTE ON FUNCTION cc._require_admin(), cc.account_add(text, text, text, text, integer),
    cc.account_set_enabled(text, boolean), cc.accounts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cc._require_admin(), cc.account_add(text, text, text, text, integer),
    cc.account_set_enabled(text, boolean), cc.accounts() TO cc_reader;   -- they check cc_admin themselves

-- ---------------------------------------------------------------- sign-in audit
-- A login event trigger (PostgreSQL 17+) records every console sign-in. It must never fail a
-- login, so any error inside is swallowed (and the sign-in simply not recorded).
CREATE FUNCTION cc._on_login() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM cc.console_account WHERE login = session_user) THEN
        INSERT INTO cc.audit_log (action, subject, detail)
        VALUES ('sign_in', session_user, jsonb_build_object('client', inet_client_addr(),
                                                            'application', current_setting('application_name', true)));
    END IF;
EXCEPTION WHEN OTHERS THEN
    NULL;
END $$;
REVOKE EXECUTE ON FUNCTION cc._on_login() FROM PUBLIC;

RESET ROLE;
CREATE EVENT TRIGGER cc_sign_in ON login EXECUTE FUNCTION cc._on_login();
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- who sees which people
-- A street sub-centre sees the people who hold a post in its street or work in its street's
-- (or a district) unit; the district sees everyone.
CREATE FUNCTION cc.sees_person(p_person integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
    SELECT cc.sees_street(NULL) OR EXISTS (
        SELECT 1 FROM cc.grid_assignment ga JOIN cc.grid g ON g.id = ga.grid_id
         WHERE ga.person_id = p_person AND cc.sees_street(g.street_id))
    OR EXISTS (
        SELECT 1 FROM cc.unit_staff us JOIN cc.unit u ON u.id = us.unit_id
         WHERE us.person_id = p_person AND (u.street_id IS NULL OR cc.sees_street(u.street_id)))
$$;
REVOKE EXECUTE ON FUNCTION cc.sees_person(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cc.sees_person(integer) TO cc_reader;

ALTER TABLE cc.person ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_by_street ON cc.person FOR SELECT TO cc_reader USING (cc.sees_person(id));

-- ---------------------------------------------------------------- residents' private data
-- A hotline caller's name and phone: operators (who call back) and above, not the wall and
-- not a field handler. Column privileges, so SELECT * by a wall role fails loudly.
REVOKE SELECT ON cc."case" FROM cc_reader;
GRANT SELECT (id, code, source, category_id, title, description, address, lon, lat, grid_id, community_id,
              street_id, urgency, state, tier, assignee_unit_id, assignee_person_id, reporter_person_id,
              reported_at, filed_at, dispatched_at, accepted_at, handled_at, closed_at, file_deadline,
              dispatch_deadline, handle_deadline, verify_deadline, rework_count, urge_count, escalation_count,
              return_count, handled_late, satisfaction, version, updated_at)
    ON cc."case" TO cc_reader;
GRANT SELECT (reporter_name, reporter_phone) ON cc."case" TO cc_operator;
