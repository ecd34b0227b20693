-- Cluster-wide group roles (created once per cluster; every database of the cluster shares
-- them). Login roles are made members of these; see db/README.md.
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['cc_owner', 'cc_reader', 'cc_reporter', 'cc_handler',
                             'cc_operator', 'cc_supervisor', 'cc_wall', 'cc_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;

GRANT cc_reader TO cc_reporter, cc_handler, cc_operator, cc_wall;
GRANT cc_reporter TO cc_operator;
GRANT cc_operator, cc_handler TO cc_supervisor;
GRANT cc_supervisor TO cc_admin;
-- The migrating user creates objects as cc_owner.
GRANT cc_owner TO CURRENT_USER;
DO $$
BEGIN
    EXECUTE format('GRANT CREATE, TEMPORARY ON DATABASE %I TO cc_owner', current_database());
END $$;
