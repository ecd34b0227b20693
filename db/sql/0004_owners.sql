-- Revision 0004, part 3: no request ever runs as the owner of the tables.
--
--   cc_owner   owns the schema, tables and views; runs no code at request time (NOLOGIN, no
--              CREATEROLE, no pg_signal_backend, no temporary objects).
--   cc_exec    owns the workflow's SECURITY DEFINER functions; may read the tables and write
--              exactly the rows the workflow writes (cases, events, photos, the event counter);
--              cannot alter a table, disable a trigger or grant anything.
--   cc_keeper  owns the account, guard and self-check functions; may create console logins
--              and grant them the four console groups (without holding their rights), end
--              sessions, read activity; writes only console_account and audit_log.
--   cc_guard   may call cc.guard() (the embedded server's owner process; `db guard` elsewhere).
-- Runs as the migrating superuser (role attributes and memberships need it).

DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['cc_exec', 'cc_keeper', 'cc_guard'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;

-- ---------------------------------------------------------------- what cc_owner gives up
ALTER ROLE cc_owner NOCREATEROLE;
REVOKE pg_signal_backend FROM cc_owner;

-- ---------------------------------------------------------------- cc_keeper
ALTER ROLE cc_keeper CREATEROLE;
GRANT cc_operator, cc_supervisor, cc_wall, cc_admin TO cc_keeper WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;
GRANT pg_signal_backend, pg_read_all_stats TO cc_keeper;

-- The console groups that cc_owner gave existing logins (cc.create_account ran as cc_owner
-- before 0004) are given again by cc_keeper, then taken back from cc_owner's hand: a grant
-- depends on its grantor's ADMIN, so cc_owner could not lose ADMIN while they stood
-- ("dependent privileges exist": every database with accounts failed to upgrade from 0003).
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT g.rolname AS grp, m.rolname AS login, am.inherit_option, am.set_option
               FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
              WHERE am.grantor = 'cc_owner'::regrole
                AND g.rolname IN ('cc_operator', 'cc_supervisor', 'cc_wall', 'cc_admin') LOOP
        EXECUTE format('GRANT %I TO %I WITH INHERIT %s, SET %s GRANTED BY cc_keeper',
                       r.grp, r.login, upper(r.inherit_option::text), upper(r.set_option::text));
        EXECUTE format('REVOKE %I FROM %I GRANTED BY cc_owner', r.grp, r.login);
    END LOOP;
END $$;
REVOKE cc_operator, cc_supervisor, cc_wall, cc_admin FROM cc_owner;

-- Existing console logins: administered by cc_keeper from now on, with a connection limit and
-- an idle-in-transaction timeout (a first line only: a login can SET that one away; the
-- guard is what it cannot).
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT a.login FROM cc.console_account a JOIN pg_roles ro ON ro.rolname = a.login
              WHERE NOT ro.rolsuper LOOP
        EXECUTE format('GRANT %I TO cc_keeper WITH ADMIN TRUE, INHERIT FALSE, SET FALSE', r.login);
        EXECUTE format('REVOKE %I FROM cc_owner', r.login);
        EXECUTE format('ALTER ROLE %I CONNECTION LIMIT %s', r.login, cc.console_connection_limit());
        EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', r.login, '10s');
    END LOOP;
END $$;

SET LOCAL ROLE cc_owner;
GRANT USAGE ON SCHEMA cc TO cc_exec, cc_keeper, cc_guard;

-- ---------------------------------------------------------------- cc_exec: the workflow's rows
GRANT SELECT ON ALL TABLES IN SCHEMA cc TO cc_exec;
REVOKE SELECT ON cc.audit_log FROM cc_exec;
GRANT INSERT, UPDATE ON cc."case" TO cc_exec;
GRANT INSERT ON cc.case_event, cc.attachment TO cc_exec;
GRANT UPDATE ON cc.event_counter TO cc_exec;
-- Row-level security applies to cc_exec (it is not the owner): its functions check scope
-- themselves, so its policies admit every row.
CREATE POLICY exec_all ON cc."case" FOR ALL TO cc_exec USING (true) WITH CHECK (true);
CREATE POLICY exec_all ON cc.case_event FOR ALL TO cc_exec USING (true) WITH CHECK (true);
CREATE POLICY exec_all ON cc.attachment FOR ALL TO cc_exec USING (true) WITH CHECK (true);
CREATE POLICY exec_all ON cc.person FOR SELECT TO cc_exec USING (true);

-- ---------------------------------------------------------------- cc_keeper: accounts and audit
GRANT SELECT, INSERT ON cc.console_account TO cc_keeper;
GRANT SELECT, INSERT ON cc.audit_log TO cc_keeper;
GRANT SELECT ON cc.street TO cc_keeper;
REVOKE ALL ON cc.guard_turn FROM cc_reader, cc_exec;
GRANT SELECT, UPDATE ON cc.guard_turn TO cc_keeper;
CREATE INDEX attachment_uploader_idx ON cc.attachment (uploaded_by, uploaded_at);

-- ---------------------------------------------------------------- where staff live
-- Names and phones of staff are published; where they live is not: positions for the map go
-- to operators, handlers and supervisors of their own street (row-level security), not to the wall.
REVOKE SELECT ON cc.person FROM cc_reader;
GRANT SELECT (id, name, phone, employer, on_duty) ON cc.person TO cc_reader;
GRANT SELECT (home_lon, home_lat) ON cc.person TO cc_operator, cc_handler;

-- ---------------------------------------------------------------- staffing by street
-- Who holds which post is a street's business, like its cases (published staff names stay in
-- cc.person for the streets that work with them).
ALTER TABLE cc.grid_assignment ENABLE ROW LEVEL SECURITY;
CREATE POLICY grid_assignment_by_street ON cc.grid_assignment FOR SELECT TO cc_reader
    USING (grid_id IN (SELECT g.id FROM cc.grid g WHERE cc.sees_street(g.street_id)));
CREATE POLICY exec_all ON cc.grid_assignment FOR SELECT TO cc_exec USING (true);
ALTER TABLE cc.unit_staff ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_staff_by_street ON cc.unit_staff FOR SELECT TO cc_reader
    USING (unit_id IN (SELECT u.id FROM cc.unit u WHERE u.street_id IS NULL OR cc.sees_street(u.street_id)));
CREATE POLICY exec_all ON cc.unit_staff FOR SELECT TO cc_exec USING (true);

CREATE OR REPLACE VIEW cc.grid_staffing WITH (security_invoker = true) AS
SELECT g.id AS grid_id, g.code AS grid_code, g.street_id, g.community_id,
       count(DISTINCT ga.role_code) FILTER (WHERE r.is_core) AS core_roles_filled,
       (SELECT count(*) FROM cc.force_role WHERE is_core) AS core_roles,
       count(DISTINCT ga.role_code) FILTER (WHERE r.is_core) = (SELECT count(*) FROM cc.force_role WHERE is_core)
           AS fully_staffed
  FROM cc.grid g
  LEFT JOIN cc.grid_assignment ga ON ga.grid_id = g.id
  LEFT JOIN cc.force_role r ON r.code = ga.role_code
 WHERE cc.sees_street(g.street_id)
 GROUP BY g.id;
COMMENT ON VIEW cc.grid_staffing IS 'Per grid of the caller''s area: how many of the seven forces are staffed.';

-- ---------------------------------------------------------------- who may call the new functions
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA cc FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE cc_owner IN SCHEMA cc REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA cc TO cc_exec;
REVOKE EXECUTE ON FUNCTION cc.guard(interval, interval, interval, interval), cc.security_check(),
    cc.account_add(text, text, text, text, integer, text), cc.account_set_enabled(text, boolean), cc.accounts()
    FROM cc_exec;
GRANT EXECUTE ON FUNCTION cc._quote(text), cc._clean_text(text, boolean), cc._text_arg(text, text, integer, boolean),
    cc.console_connection_limit(), cc.local_tz() TO cc_keeper;
GRANT EXECUTE ON FUNCTION cc._clean_text(text, boolean), cc._quote(text), cc.console_connection_limit() TO cc_reader;
GRANT EXECUTE ON FUNCTION cc.guard(interval, interval, interval, interval) TO cc_guard;
GRANT EXECUTE ON FUNCTION cc.security_check() TO cc_admin;
GRANT EXECUTE ON FUNCTION cc.account_add(text, text, text, text, integer, text), cc.whoami() TO cc_reader;
