-- Re-applied at the end of every migration from 0004 on (idempotent). A SECURITY DEFINER
-- function whose search_path does not end in pg_temp still resolves names in the caller's
-- temporary schema first (PostgreSQL documentation, "Writing SECURITY DEFINER Functions
-- Safely"), so the caller's types and tables would run inside it with its owner's rights.
-- Every definer function in cc is pinned here and given to the narrow owner it needs; a
-- function a migration adds or replaces cannot slip past. tests/test_hostile_console.py and
-- cc.security_check() read the catalogue to prove it.
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig, p.proname
               FROM pg_proc p
              WHERE p.pronamespace = 'cc'::regnamespace AND p.prosecdef LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, cc, pg_temp', f.sig);
        -- A console may SET debug_print_plan and client_min_messages = log: the server then sends
        -- it the plans made inside the function, with the constants of the rows it filtered out
        -- (another street's id beside a name searched for: a hostile review of 0010). Off inside.
        -- (Not the street lookups: called once a row, three more settings a call cost time, and
        -- a plan of theirs holds only the street asked about, which their callers already hold.)
        IF f.proname NOT IN ('sees_street', 'console_street') THEN
            EXECUTE format('ALTER FUNCTION %s SET debug_print_plan = off', f.sig);
            EXECUTE format('ALTER FUNCTION %s SET debug_print_parse = off', f.sig);
            EXECUTE format('ALTER FUNCTION %s SET debug_print_rewritten = off', f.sig);
        END IF;
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', f.sig,
                       CASE WHEN f.proname IN ('account_add', 'account_set_enabled', 'accounts', '_require_admin',
                                               '_on_login', 'guard', 'security_check', '_login_settings_are_ours',
                                               '_restore_login_settings', '_end_login_sessions')
                            THEN 'cc_keeper' ELSE 'cc_exec' END);
    END LOOP;
    -- Console roles need no temporary objects. (CREATE DATABASE … TEMPLATE does not copy a
    -- database's grants: a copy must run this file again.)
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC, cc_owner', current_database());
END $$;

-- PUBLIC executes nothing in cc, whichever migration added it: a per-schema default privilege
-- cannot take away the global default (EXECUTE for PUBLIC), so the global one is revoked for
-- the functions' creator too, and anything already created is swept.
ALTER DEFAULT PRIVILEGES FOR ROLE cc_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA cc FROM PUBLIC;

-- Large objects are storage outside every table and its rules: a read-only console could
-- write gigabytes and hand them to another login. Nothing here uses them.
REVOKE EXECUTE ON FUNCTION lo_create(oid), lo_creat(integer), lo_from_bytea(oid, bytea), lowrite(integer, bytea),
    lo_put(oid, bigint, bytea), lo_open(oid, integer), lo_get(oid), lo_get(oid, bigint, integer),
    lo_truncate(integer, integer), lo_truncate64(integer, bigint), lo_unlink(oid) FROM PUBLIC;

-- Advisory locks live in the server's shared lock table, outside every rule: one console took
-- 15,000 and every query, sign-in and the guard itself failed ("out of shared memory"). Only
-- the definer functions take them (cc.open311_import, a transaction's lock on one request).
-- Signalling a backend: a login could end its own other sessions (one wall display the others);
-- the guard and the account functions (cc_keeper) do that.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'pg_catalog'::regnamespace
                AND (p.proname LIKE 'pg\_advisory\_%' OR p.proname LIKE 'pg\_try\_advisory\_%'
                     OR p.proname IN ('pg_terminate_backend', 'pg_cancel_backend')) LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION pg_advisory_xact_lock(bigint) TO cc_exec;
-- pg_notify: the doorbell is rung inside the definer functions (cc_exec); a console flooded the
-- queue with it, 5,000 notifications a statement. (A NOTIFY statement cannot be revoked: the
-- guard ends a console that sends them while the queue fills.)
REVOKE EXECUTE ON FUNCTION pg_notify(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pg_notify(text, text) TO cc_exec;
-- No DO blocks for consoles: a loop of EXECUTE hid what it ran from pg_stat_activity (a NOTIFY
-- flood spelled backwards, an ALTER ROLE put together from pieces), which the guard reads.
-- Running the definer functions written in plpgsql needs no USAGE; writing them does.
REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC;
GRANT USAGE ON LANGUAGE plpgsql TO cc_owner, cc_exec, cc_keeper;
GRANT EXECUTE ON FUNCTION pg_terminate_backend(integer, bigint) TO cc_keeper;

-- Every console may read which schema revision this is: the app checks it at start.
DO $$
BEGIN
    IF to_regclass('public.alembic_version') IS NOT NULL THEN
        GRANT SELECT ON public.alembic_version TO cc_reader;
    END IF;
END $$;
