-- One home for every rule (issue 11). Runs as the migrating superuser; objects are created
-- as cc_owner like every earlier one; harden.sql gives definer functions their narrow owners.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- limits
-- Every bound that a function enforces and a dialog shows, once. Functions read it through
-- cc._limit_of(); the client reads the table (cc_reader) to size its fields.
CREATE TABLE cc.input_limit (
    code        text PRIMARY KEY,
    value       integer NOT NULL CHECK (value > 0),
    unit        text NOT NULL CHECK (unit IN ('characters', 'bytes', 'count', 'minutes', 'days')),
    description text NOT NULL
);
COMMENT ON TABLE cc.input_limit IS
    'Bounds the workflow functions enforce and the dialogs show; read with cc._limit_of(code).';
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('note_chars', 2000, 'characters', 'a note, reason or feedback on a case'),
    ('title_chars', 200, 'characters', 'a case title'),
    ('description_chars', 4000, 'characters', 'a case description'),
    ('address_chars', 300, 'characters', 'a case address'),
    ('filename_chars', 200, 'characters', 'the file name of a photo'),
    ('photo_bytes', 5242880, 'bytes', 'one photo'),
    ('photos_per_case', 20, 'count', 'photos one case keeps'),
    ('photos_per_login_day', 300, 'count', 'photos one login may add in 24 hours'),
    ('deadline_days', 366, 'days', 'how far ahead a deadline given by hand may lie'),
    ('deadline_warn_minutes', 120, 'minutes', 'a running deadline shows as due soon this long before it');
GRANT SELECT ON cc.input_limit TO cc_reader, cc_exec;

CREATE FUNCTION cc._limit_of(p_code text) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT value FROM cc.input_limit WHERE code = p_code
$$;
GRANT EXECUTE ON FUNCTION cc._limit_of(text) TO cc_exec, cc_reader;

-- ---------------------------------------------------------------- the board view
-- warn_at: when the running deadline turns "due soon". Appended so that CREATE OR REPLACE
-- keeps the columns every client reads.
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
           AS warn_at
  FROM cc."case" c
  JOIN cc.case_state s ON s.code = c.state
  CROSS JOIN LATERAL (SELECT CASE s.phase WHEN 'file' THEN c.file_deadline
                                          WHEN 'dispatch' THEN c.dispatch_deadline
                                          WHEN 'handle' THEN c.handle_deadline
                                          WHEN 'verify' THEN c.verify_deadline END AS deadline) d
  JOIN cc.category cat ON cat.id = c.category_id
  JOIN cc.grid g ON g.id = c.grid_id
  JOIN cc.community cm ON cm.id = c.community_id
  JOIN cc.street st ON st.id = c.street_id
  LEFT JOIN cc.unit u ON u.id = c.assignee_unit_id
  LEFT JOIN cc.person p ON p.id = c.assignee_person_id;
COMMENT ON VIEW cc.case_board IS
    'One row per visible case: names, the deadline of the phase it is in (NULL once finished), '
    'overdue (deadline < now()) and warn_at (due soon from then; cc.input_limit). Clients '
    'compare deadline and warn_at with their clock as time passes; they define neither.';
COMMENT ON COLUMN cc.case_board.overdue IS 'deadline < now(): the one definition of overdue.';
