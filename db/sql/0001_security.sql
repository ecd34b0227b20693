-- Grants and row-level security. Writes go only through the cc.* functions (SECURITY
-- DEFINER, owned by cc_owner); login roles get SELECT and EXECUTE, never INSERT/UPDATE/DELETE.
SET LOCAL ROLE cc_owner;

REVOKE ALL ON SCHEMA cc FROM PUBLIC;
GRANT USAGE ON SCHEMA cc TO cc_reader;
REVOKE ALL ON ALL TABLES IN SCHEMA cc FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA cc TO cc_reader;
REVOKE SELECT ON cc.console_account FROM cc_reader;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA cc FROM PUBLIC;

-- Read helpers (used by views, policies and deadlines).
GRANT EXECUTE ON FUNCTION cc.local_tz(), cc.is_workday(date), cc.workday_minutes(), cc.clock(),
    cc.add_time(timestamptz, numeric, text), cc.sees_street(integer), cc._has_capability(text),
    cc.allowed_actions(bigint), cc.events_after(bigint, integer), cc.event_horizon()
    TO cc_reader;

-- Actions: every console may call them; each function checks the capability that
-- cc.workflow_action names against session_user's role membership and refuses with a
-- message that says which role is missing (a bare grant refusal would not say).
GRANT EXECUTE ON FUNCTION cc.report(text, text, text, float8, float8, text, text, text, integer,
                                    integer, text, text, boolean),
                          cc.add_attachment(bigint, text, bytea),
                          cc.file(bigint, integer, text, text, text), cc.reject(bigint, integer, text),
                          cc.urge(bigint, integer, text),
                          cc.accept(bigint, integer, text), cc.return_case(bigint, integer, text),
                          cc.feedback(bigint, integer, text),
                          cc.dispatch(bigint, integer, integer, integer, timestamptz, text),
                          cc.redispatch(bigint, integer, integer, integer, timestamptz, text),
                          cc.verify(bigint, integer, boolean, text), cc.evaluate(bigint, integer, integer, text),
                          cc.escalate(bigint, integer, text), cc.cancel(bigint, integer, text)
    TO cc_reader;

-- A street sub-centre sees its own street's cases, events and photos; the district all.
ALTER TABLE cc."case" ENABLE ROW LEVEL SECURITY;
ALTER TABLE cc.case_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE cc.attachment ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_by_street ON cc."case" FOR SELECT TO cc_reader USING (cc.sees_street(street_id));
CREATE POLICY event_by_street ON cc.case_event FOR SELECT TO cc_reader USING (cc.sees_street(street_id));
CREATE POLICY attachment_by_street ON cc.attachment FOR SELECT TO cc_reader USING (cc.sees_street(street_id));
