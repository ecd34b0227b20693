-- Console helpers. What a dispatcher is offered for a case: the grid's staff and the street's and district's
-- units, each with its current open load, the recommended ones marked (the grid role or the
-- routed unit the category calls for), and the handling deadline the category's time limit
-- gives if the case were dispatched now. The rule lives here so every client offers the same.
-- Replaced since: dispatch_options — in 0004_input.sql / 0004_guard.sql (the rule in force is the
-- newest definition; this file is the history a migration replays).
SET LOCAL ROLE cc_owner;

CREATE FUNCTION cc.dispatch_options(p_case bigint)
RETURNS TABLE (kind text, id integer, name text, detail text, detail_en text, phone text,
               open_load bigint, recommended boolean, deadline timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
DECLARE
    c cc."case";
    cat cc.category;
    v_deadline timestamptz;
BEGIN
    SELECT * INTO c FROM cc."case" WHERE "case".id = p_case AND cc.sees_street(street_id);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'case % does not exist or is outside your scope', p_case
            USING ERRCODE = 'CC008', HINT = 'Reload the case board.';
    END IF;
    SELECT * INTO cat FROM cc.category WHERE category.id = c.category_id;
    v_deadline := cc._limit(c.category_id, c.urgency, 'handle', cc.clock());
    RETURN QUERY
    SELECT 'person'::text, p.id, p.name, r.name, r.name_en, p.phone,
           (SELECT count(*) FROM cc."case" o JOIN cc.case_state s ON s.code = o.state
             WHERE o.assignee_person_id = p.id AND s.is_open),
           r.code = cat.handler_role, v_deadline
      FROM cc.grid_assignment ga
      JOIN cc.person p ON p.id = ga.person_id
      JOIN cc.force_role r ON r.code = ga.role_code
     WHERE ga.grid_id = c.grid_id AND p.on_duty
    UNION ALL
    SELECT 'unit'::text, u.id, u.name, d.name, d.name_en, NULL::text,
           (SELECT count(*) FROM cc."case" o JOIN cc.case_state s ON s.code = o.state
             WHERE o.assignee_unit_id = u.id AND s.is_open),
           EXISTS (SELECT 1 FROM cc.routing_rule rr
                    WHERE rr.category_id = c.category_id AND rr.street_id = c.street_id AND rr.unit_id = u.id),
           v_deadline
      FROM cc.unit u
      JOIN cc.department d ON d.id = u.department_id
     WHERE u.street_id = c.street_id OR u.street_id IS NULL
     ORDER BY 8 DESC, 1, 7, 3;
END $$;
COMMENT ON FUNCTION cc.dispatch_options(bigint) IS
    'Assignees a dispatcher may pick for a case, with open load, the recommended ones and the preset deadline.';

REVOKE EXECUTE ON FUNCTION cc.dispatch_options(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cc.dispatch_options(bigint) TO cc_reader;

-- Who the signed-in console is (console_account itself is not readable by consoles).
CREATE FUNCTION cc.whoami()
RETURNS TABLE (login name, display_name text, street_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
    SELECT a.login, a.display_name, a.street_id FROM cc._account() a
$$;
COMMENT ON FUNCTION cc.whoami() IS 'The signed-in console account: login, display name, street (NULL = district-wide).';
REVOKE EXECUTE ON FUNCTION cc.whoami() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cc.whoami() TO cc_reader;
