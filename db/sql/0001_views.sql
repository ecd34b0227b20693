-- Read views for consoles. security_invoker: the caller's row-level security applies.
-- Replaced since 0005 (0005_rules.sql): case_board.
SET LOCAL ROLE cc_owner;

CREATE VIEW cc.case_board WITH (security_invoker = true) AS
SELECT c.id, c.code, c.source, c.category_id, cat.code AS category_code, cat.name AS category_name,
       cat.name_en AS category_name_en, c.title, c.address, c.lon, c.lat,
       c.grid_id, g.code AS grid_code, g.name AS grid_name,
       c.community_id, cm.name AS community_name, c.street_id, st.name AS street_name,
       st.name_en AS street_name_en, c.urgency, c.state, s.is_open, c.tier,
       c.assignee_unit_id, u.name AS assignee_unit_name, c.assignee_person_id, p.name AS assignee_person_name,
       c.reported_at, c.filed_at, c.dispatched_at, c.handled_at, c.closed_at,
       CASE s.phase WHEN 'file' THEN c.file_deadline
                    WHEN 'dispatch' THEN c.dispatch_deadline
                    WHEN 'handle' THEN c.handle_deadline
                    WHEN 'verify' THEN c.verify_deadline END AS deadline,
       (CASE s.phase WHEN 'file' THEN c.file_deadline
                     WHEN 'dispatch' THEN c.dispatch_deadline
                     WHEN 'handle' THEN c.handle_deadline
                     WHEN 'verify' THEN c.verify_deadline END) < now() AS overdue,
       c.rework_count, c.urge_count, c.escalation_count, c.return_count, c.handled_late,
       c.satisfaction, c.version, c.updated_at
  FROM cc."case" c
  JOIN cc.case_state s ON s.code = c.state
  JOIN cc.category cat ON cat.id = c.category_id
  JOIN cc.grid g ON g.id = c.grid_id
  JOIN cc.community cm ON cm.id = c.community_id
  JOIN cc.street st ON st.id = c.street_id
  LEFT JOIN cc.unit u ON u.id = c.assignee_unit_id
  LEFT JOIN cc.person p ON p.id = c.assignee_person_id;
COMMENT ON VIEW cc.case_board IS
    'One row per visible case with names, the deadline of the phase it is in, and overdue computed now.';

CREATE VIEW cc.grid_staffing WITH (security_invoker = true) AS
SELECT g.id AS grid_id, g.code AS grid_code, g.street_id, g.community_id,
       count(DISTINCT ga.role_code) FILTER (WHERE r.is_core) AS core_roles_filled,
       (SELECT count(*) FROM cc.force_role WHERE is_core) AS core_roles,
       count(DISTINCT ga.role_code) FILTER (WHERE r.is_core) = (SELECT count(*) FROM cc.force_role WHERE is_core)
           AS fully_staffed
  FROM cc.grid g
  LEFT JOIN cc.grid_assignment ga ON ga.grid_id = g.id
  LEFT JOIN cc.force_role r ON r.code = ga.role_code
 GROUP BY g.id;
COMMENT ON VIEW cc.grid_staffing IS 'Per grid: how many of the seven forces are staffed.';
