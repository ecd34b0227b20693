-- Revision 0007, part 2: the measures of a period for every scope (issue 13).
--
-- Every formula is written once, in cc._kpi_facts (one row per case touched in the period,
-- with what that case adds to each count), and once in db/README.md ("Measures (since 0007)").
-- cc.kpi, cc.kpi_by and its named siblings, cc.kpi_cases and cc.kpi_trend only add the facts
-- up, pick the cases behind one of them, or cut the period into buckets. Every function here
-- is SECURITY INVOKER: a console counts what its row-level security lets it see, so a street
-- sub-centre gets its street's figures and nothing of another street's.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- limits
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('measure_period_days', 800, 'days', 'the longest period the measures are computed for'),
    ('trend_buckets', 400, 'count', 'the most day/week/month buckets one trend returns'),
    ('ranking_min_cases', 10, 'count', 'cases due (应结案数) a member needs to be ranked');

-- ---------------------------------------------------------------- the names, one place
CREATE TABLE cc.measure (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    name_en     text NOT NULL,
    unit        text NOT NULL CHECK (unit IN ('count', 'percent', 'hours', 'score')),
    sort        smallint NOT NULL UNIQUE,
    description text NOT NULL
);
COMMENT ON TABLE cc.measure IS
    'The measures of a period (cc.kpi and siblings): the names the hall, the CLI and reports show; '
    'formulas in db/README.md.';
INSERT INTO cc.measure (code, name, name_en, unit, sort, description) VALUES
    ('reported', '上报数', 'Reported', 'count', 1, 'report and report_solved events in the period'),
    ('filed', '立案数', 'Filed', 'count', 2, 'file events in the period'),
    ('dispatched', '派遣数', 'Dispatches', 'count', 3, 'dispatch and redispatch events in the period'),
    ('first_dispatched', '首次派遣数', 'First dispatches', 'count', 4,
     'cases whose first dispatch falls in the period'),
    ('dispatched_on_time', '按时派遣数', 'Dispatched on time', 'count', 5,
     'first dispatches no later than the dispatch deadline in force'),
    ('on_time_dispatch_rate', '按时派遣率', 'On-time dispatch rate', 'percent', 6,
     'dispatched_on_time / first_dispatched'),
    ('due', '应结案数', 'Due', 'count', 7, 'closed in the period + open_overdue'),
    ('open_overdue', '超期未结案数', 'Open and overdue', 'count', 8,
     'filed cases open at the end, past their handling deadline, not suspended'),
    ('closed', '结案数', 'Closed', 'count', 9, 'cases closed (verification passed) in the period'),
    ('closed_on_time', '按期结案数', 'Closed on time', 'count', 10,
     'closed cases handled on time and verified within the verification deadline'),
    ('closure_rate', '结案率', 'Closure rate', 'percent', 11, 'closed / due'),
    ('on_time_closure_rate', '按期结案率', 'On-time closure rate', 'percent', 12, 'closed_on_time / due'),
    ('handled_judged', '计时处置数', 'Handling timed', 'count', 13,
     'closed cases whose handling was timed against a deadline'),
    ('handled_on_time', '按期处置数', 'Handled on time', 'count', 14,
     'of handled_judged, those whose every feedback came within the handling deadline'),
    ('handled_on_time_rate', '按期处置率', 'On-time handling rate', 'percent', 15,
     'handled_on_time / handled_judged'),
    ('reworked', '返工数', 'Reworked', 'count', 16, 'closed cases that failed verification at least once'),
    ('rework_rate', '返工率', 'Rework rate', 'percent', 17, 'reworked / closed'),
    ('returned', '退回数', 'Returned', 'count', 18, 'return events in the period'),
    ('escalated', '上报升级数', 'Escalated', 'count', 19, 'escalate events in the period'),
    ('extended', '延期数', 'Extended', 'count', 20, 'extensions approved in the period'),
    ('suspended', '挂账数', 'Suspended', 'count', 21, 'suspensions started in the period'),
    ('supervised', '督办数', 'Supervised', 'count', 22, 'supervisions placed in the period'),
    ('handling_hours_median', '处置用时中位数', 'Handling time, median', 'hours', 23,
     'working hours from first dispatch to last feedback, cases closed in the period, time on hold excluded'),
    ('handling_hours_p90', '处置用时90分位', 'Handling time, 90th percentile', 'hours', 24,
     'as handling_hours_median, 90th percentile'),
    ('callbacks_reached', '回访数', 'Callbacks reached', 'count', 25, 'callbacks that reached the caller in the period'),
    ('satisfaction_avg', '回访满意度', 'Callback satisfaction', 'score', 26,
     'mean satisfaction (1–5) of callbacks_reached'),
    ('satisfied_rate', '满意率', 'Satisfied rate', 'percent', 27,
     'callbacks_reached with satisfaction 4 or 5 / callbacks_reached'),
    ('score', '综合得分', 'Composite score', 'score', 28, 'weighted components of cc.score_weight, 0–100');
GRANT SELECT ON cc.measure TO cc_reader, cc_exec;

-- The composite score: each component is a measure taken as it is (a rate), inverted
-- (100 − rate) or relative to the member with the most of it among its peers (100 × v / max).
CREATE TABLE cc.score_weight (
    component text PRIMARY KEY,
    measure   text NOT NULL REFERENCES cc.measure,
    transform text NOT NULL CHECK (transform IN ('as_is', 'inverse', 'relative')),
    weight    numeric NOT NULL CHECK (weight >= 0),
    -- the measures cc._kpi_sum can weigh: counts (relative only) and rates
    CHECK (CASE WHEN transform = 'relative'
                THEN measure IN ('reported', 'filed', 'first_dispatched', 'due', 'closed', 'closed_on_time',
                                 'handled_on_time')
                ELSE measure IN ('on_time_dispatch_rate', 'closure_rate', 'on_time_closure_rate',
                                 'handled_on_time_rate', 'rework_rate', 'satisfied_rate') END)
);
COMMENT ON TABLE cc.score_weight IS
    'Weights of the composite score (综合得分); a weight of 0 drops a component. See db/README.md.';
INSERT INTO cc.score_weight (component, measure, transform, weight) VALUES
    ('volume', 'closed', 'relative', 25),
    ('closure', 'closure_rate', 'as_is', 25),
    ('on_time', 'handled_on_time_rate', 'as_is', 25),
    ('quality', 'rework_rate', 'inverse', 25);
GRANT SELECT ON cc.score_weight TO cc_reader, cc_exec;

-- ---------------------------------------------------------------- indexes the period scans use
CREATE INDEX callback_done_idx ON cc.callback (done_at) WHERE outcome = 'reached';
CREATE INDEX case_open_deadline_idx ON cc."case" (handle_deadline) WHERE closed_at IS NULL;
CREATE INDEX extension_decided_at_idx ON cc.extension (decided_at) WHERE approved;
-- a case's first dispatch, and its filings and escalations, without reading its other events
CREATE INDEX case_event_dispatch_idx ON cc.case_event (case_id, at) WHERE action = 'dispatch';
CREATE INDEX case_event_filing_idx ON cc.case_event (case_id, at) WHERE action IN ('file', 'escalate');

-- Working minutes of a day up to time-of-day p_t, given the work periods' starts and ends (at
-- most four periods: cc._kpi_period refuses more). One expression, so the planner inlines it.
CREATE FUNCTION cc._in_day(p_t time, p_ws time[], p_we time[]) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (extract(epoch FROM coalesce(greatest(interval '0', least(p_t, p_we[1]) - p_ws[1]), interval '0')
                             + coalesce(greatest(interval '0', least(p_t, p_we[2]) - p_ws[2]), interval '0')
                             + coalesce(greatest(interval '0', least(p_t, p_we[3]) - p_ws[3]), interval '0')
                             + coalesce(greatest(interval '0', least(p_t, p_we[4]) - p_ws[4]), interval '0')) / 60)::numeric
$$;

-- ---------------------------------------------------------------- arguments
CREATE FUNCTION cc._kpi_period(p_from timestamptz, p_to timestamptz) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_days integer := cc._limit_of('measure_period_days');
BEGIN
    IF p_from IS NULL OR p_to IS NULL OR NOT isfinite(p_from) OR NOT isfinite(p_to) THEN
        RAISE EXCEPTION 'a period needs a finite start and end, got % to %', p_from, p_to
            USING ERRCODE = 'CC009', HINT = 'Give both ends of the period as timestamps.';
    END IF;
    IF p_to <= p_from THEN
        RAISE EXCEPTION 'the period ends (%) before it starts (%)', p_to, p_from
            USING ERRCODE = 'CC009', HINT = 'Periods are half-open, [from, to): give an end after the start.';
    END IF;
    IF (SELECT count(*) FROM cc.work_period) > 4 THEN
        RAISE EXCEPTION 'the measures count working time over at most four work periods a day'
            USING ERRCODE = 'CC009', HINT = 'Extend cc._in_day (db/sql/0007_measures.sql) for more periods.';
    END IF;
    -- in epoch seconds (numeric): p_to - p_from overflows an interval for far-apart dates (22008)
    IF extract(epoch FROM p_to) - extract(epoch FROM p_from) > v_days * 86400 THEN
        RAISE EXCEPTION 'a period of % days is longer than the % days measured at once',
                        ceil((extract(epoch FROM p_to) - extract(epoch FROM p_from)) / 86400), v_days
            USING ERRCODE = 'CC009', HINT = 'Ask for a shorter period (cc.input_limit measure_period_days).';
    END IF;
END $$;

CREATE FUNCTION cc._kpi_scope(p_scope text, p_within integer) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_scope IS NULL OR p_scope NOT IN ('district', 'street', 'community', 'grid', 'department', 'unit', 'person') THEN
        RAISE EXCEPTION 'unknown scope %', coalesce('"' || left(p_scope, 40) || '"', 'NULL')
            USING ERRCODE = 'CC009',
                  HINT = 'Use one of: district, street, community, grid, department, unit, person.';
    END IF;
    IF p_within IS NOT NULL AND p_scope IN ('district', 'department') THEN
        RAISE EXCEPTION 'scope % cannot be narrowed (within %)', p_scope, p_within
            USING ERRCODE = 'CC009',
                  HINT = 'Narrow street by district, community by street, grid by community, unit by department, '
                         'person by unit; leave within empty for district and department.';
    END IF;
END $$;

-- ---------------------------------------------------------------- the formulas, once
-- One row per visible case that adds to any measure of [p_from, p_to); each column is what
-- that case adds (0/1 or a number of events). "At the end" is least(p_to, now): what lies
-- after now is not known yet.
CREATE FUNCTION cc._kpi_facts(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (case_id bigint, reported integer, filed integer, dispatched integer, returned integer,
               escalated integer, first_dispatched integer, dispatched_on_time integer, closed integer,
               closed_on_time integer, handled_judged integer, handled_on_time integer, reworked integer,
               open_overdue integer, extended integer, suspended integer, supervised integer,
               callbacks_reached integer, satisfaction integer, satisfied integer, handling_minutes numeric)
-- Planned on its own (the SET keeps it from being inlined): inlined, the planner guessed a few
-- rows for it and joined a city year's facts to units by a nested loop (4 s of 5, measured).
-- 32 MB keeps a year's per-case aggregate in memory.
LANGUAGE sql STABLE ROWS 100000 SET work_mem = '32MB' AS $$
    WITH bounds AS (SELECT least(p_to, cc.clock()) AS t_end),
    ev AS (   -- events of the period, per case
        SELECT e.case_id,
               count(*) FILTER (WHERE e.action IN ('report', 'report_solved'))::int AS reported,
               count(*) FILTER (WHERE e.action = 'file')::int AS filed,
               count(*) FILTER (WHERE e.action IN ('dispatch', 'redispatch'))::int AS dispatched,
               count(*) FILTER (WHERE e.action = 'return')::int AS returned,
               count(*) FILTER (WHERE e.action = 'escalate')::int AS escalated,
               min(e.at) FILTER (WHERE e.action = 'dispatch') AS first_dispatch_in
          FROM cc.case_event e
         WHERE e.at >= p_from AND e.at < p_to
         GROUP BY e.case_id),
    fd AS (   -- the case's first dispatch ever, when it falls in the period
        SELECT ev.case_id, ev.first_dispatch_in AS at, c.dispatch_deadline, c.category_id, c.urgency,
               (c.return_count > 0 OR c.escalation_count > 0) AS reset,
               CASE WHEN c.return_count > 0 OR c.escalation_count > 0     -- the filing or escalation before it
                    THEN (SELECT max(p.at) FROM cc.case_event p
                           WHERE p.case_id = c.id AND p.action IN ('file', 'escalate') AND p.at < ev.first_dispatch_in)
               END AS since
          FROM ev JOIN cc."case" c ON c.id = ev.case_id
         WHERE ev.first_dispatch_in IS NOT NULL
           AND ((c.return_count = 0 AND c.escalation_count = 0)   -- then it has one dispatch event
                OR NOT EXISTS (SELECT 1 FROM cc.case_event p
                                WHERE p.case_id = c.id AND p.action = 'dispatch' AND p.at < p_from))),
    cl AS (   -- cases closed in the period
        SELECT c.id AS case_id, c.handled_late, c.closed_at, c.verify_deadline, c.rework_count, c.handled_at,
               (SELECT min(p.at) FROM cc.case_event p WHERE p.case_id = c.id AND p.action = 'dispatch')
                   AS first_dispatch
          FROM cc."case" c
         WHERE c.closed_at >= p_from AND c.closed_at < p_to AND c.state IN ('closed', 'evaluated')),
    tz AS (   -- the work calendar's constants, read once
        SELECT cc.local_tz() AS z,
               (SELECT array_agg(wp.starts ORDER BY wp.seq) FROM cc.work_period wp) AS ws,
               (SELECT array_agg(wp.ends ORDER BY wp.seq) FROM cc.work_period wp) AS we,
               (SELECT sum(extract(epoch FROM wp.ends - wp.starts) / 60) FROM cc.work_period wp) AS day_minutes),
    cal AS (  -- per local day of the span handled: working day or not, working minutes before it
        SELECT g::date AS day, w.work,
               (count(*) FILTER (WHERE w.work) OVER (ORDER BY g) - w.work::int) * tz.day_minutes AS mark
          FROM tz,
               (SELECT (min(m.a) AT TIME ZONE (SELECT z FROM tz))::date AS d0,
                       (max(m.b) AT TIME ZONE (SELECT z FROM tz))::date AS d1
                  FROM (SELECT cl.first_dispatch AS a, cl.handled_at AS b FROM cl
                        UNION ALL SELECT fd.since, fd.at FROM fd WHERE fd.reset) m) span,
               generate_series(span.d0, span.d1, interval '1 day') g,
               LATERAL (SELECT coalesce((SELECT cd.is_workday FROM cc.calendar_day cd WHERE cd.day = g::date),
                                        extract(isodow FROM g) < 6) AS work) w),
    hm AS (   -- working minutes from first dispatch to last feedback (as cc.work_minutes_between)
        SELECT cl.case_id,
               (c1.mark + CASE WHEN c1.work THEN cc._in_day((cl.handled_at AT TIME ZONE tz.z)::time, tz.ws, tz.we)
                               ELSE 0 END)
               - (c0.mark + CASE WHEN c0.work THEN cc._in_day((cl.first_dispatch AT TIME ZONE tz.z)::time, tz.ws, tz.we)
                                 ELSE 0 END) AS minutes
          FROM cl CROSS JOIN tz
          JOIN cal c1 ON c1.day = (cl.handled_at AT TIME ZONE tz.z)::date
          JOIN cal c0 ON c0.day = (cl.first_dispatch AT TIME ZONE tz.z)::date
         WHERE cl.handled_at >= cl.first_dispatch),
    fdt AS (  -- on time: by the deadline set at filing; after a return or escalation, within the
              -- item's dispatch limit from the filing or escalation before the first dispatch
        SELECT fd.case_id,
               CASE WHEN NOT fd.reset THEN fd.at <= fd.dispatch_deadline
                    WHEN tl.unit = 'minutes' THEN fd.at <= fd.since + tl.amount * interval '1 minute'
                    WHEN tl.unit = 'hours' THEN fd.at <= fd.since + tl.amount * interval '1 hour'
                    ELSE (c1.mark + CASE WHEN c1.work THEN cc._in_day((fd.at AT TIME ZONE tz.z)::time, tz.ws, tz.we) ELSE 0 END)
                       - (c0.mark + CASE WHEN c0.work THEN cc._in_day((fd.since AT TIME ZONE tz.z)::time, tz.ws, tz.we) ELSE 0 END)
                         <= tl.amount * CASE tl.unit WHEN 'work_days' THEN tz.day_minutes ELSE 60 END
               END AS on_time
          FROM fd CROSS JOIN tz
          LEFT JOIN cc.time_limit tl ON fd.reset AND tl.category_id = fd.category_id AND tl.urgency = fd.urgency
                                    AND tl.phase = 'dispatch'
          LEFT JOIN cal c1 ON fd.reset AND c1.day = (fd.at AT TIME ZONE tz.z)::date
          LEFT JOIN cal c0 ON fd.reset AND c0.day = (fd.since AT TIME ZONE tz.z)::date),
    held AS (   -- working minutes on hold between first dispatch and last feedback (rare: per row)
        SELECT s.case_id,
               sum(greatest(0, cc.work_minutes_between(greatest(s.suspended_at, cl.first_dispatch),
                                                       least(coalesce(s.resumed_at, cl.handled_at), cl.handled_at))))
                   AS minutes
          FROM cc.suspension s JOIN cl ON cl.case_id = s.case_id
         WHERE s.suspended_at < cl.handled_at AND coalesce(s.resumed_at, 'infinity') > cl.first_dispatch
         GROUP BY s.case_id),
    od AS (   -- filed, open at the end, past the handling deadline, not on hold at the end
        SELECT o.id AS case_id
          FROM (SELECT c.id, c.filed_at FROM cc."case" c, bounds b                 -- open now
                 WHERE c.closed_at IS NULL AND c.handle_deadline < b.t_end
                UNION ALL
                SELECT c.id, c.filed_at FROM cc."case" c, bounds b                 -- finished after the end
                 WHERE c.closed_at >= b.t_end AND c.handle_deadline < b.t_end
                   AND NOT (c.closed_at < p_to AND c.state IN ('closed', 'evaluated'))) o, bounds b
         WHERE o.filed_at < b.t_end
           AND NOT EXISTS (SELECT 1 FROM cc.suspension s
                            WHERE s.case_id = o.id AND s.suspended_at < b.t_end
                              AND (s.resumed_at IS NULL OR s.resumed_at >= b.t_end))),
    ext AS (SELECT x.case_id, count(*)::int AS n FROM cc.extension x
             WHERE x.approved AND x.decided_at >= p_from AND x.decided_at < p_to GROUP BY x.case_id),
    sus AS (SELECT s.case_id, count(*)::int AS n FROM cc.suspension s
             WHERE s.suspended_at >= p_from AND s.suspended_at < p_to GROUP BY s.case_id),
    sup AS (SELECT s.case_id, count(*)::int AS n FROM cc.supervision s
             WHERE s.placed_at >= p_from AND s.placed_at < p_to GROUP BY s.case_id),
    cb AS (SELECT k.case_id, k.satisfaction::int AS satisfaction FROM cc.callback k
            WHERE k.outcome = 'reached' AND k.done_at >= p_from AND k.done_at < p_to),
    facts AS (
        SELECT ev.case_id, ev.reported, ev.filed, ev.dispatched, ev.returned, ev.escalated,
               0 AS first_dispatched, 0 AS dispatched_on_time, 0 AS closed, 0 AS closed_on_time,
               0 AS handled_judged, 0 AS handled_on_time, 0 AS reworked, 0 AS open_overdue,
               0 AS extended, 0 AS suspended, 0 AS supervised, 0 AS callbacks_reached,
               NULL::int AS satisfaction, 0 AS satisfied, NULL::numeric AS handling_minutes
          FROM ev
        UNION ALL
        SELECT fdt.case_id, 0, 0, 0, 0, 0, 1, coalesce(fdt.on_time, false)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, NULL
          FROM fdt
        UNION ALL
        SELECT cl.case_id, 0, 0, 0, 0, 0, 0, 0, 1,
               (cl.handled_late IS NOT TRUE AND cl.closed_at <= cl.verify_deadline)::int,
               (cl.handled_late IS NOT NULL)::int, (cl.handled_late = false)::int, (cl.rework_count > 0)::int,
               0, 0, 0, 0, 0, NULL, 0,
               hm.minutes - coalesce(h.minutes, 0)
          FROM cl LEFT JOIN hm ON hm.case_id = cl.case_id LEFT JOIN held h ON h.case_id = cl.case_id
        UNION ALL
        SELECT od.case_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, NULL, 0, NULL FROM od
        UNION ALL
        SELECT ext.case_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ext.n, 0, 0, 0, NULL, 0, NULL FROM ext
        UNION ALL
        SELECT sus.case_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sus.n, 0, 0, NULL, 0, NULL FROM sus
        UNION ALL
        SELECT sup.case_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sup.n, 0, NULL, 0, NULL FROM sup
        UNION ALL
        SELECT cb.case_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, cb.satisfaction,
               (cb.satisfaction >= 4)::int, NULL FROM cb)
    SELECT f.case_id, sum(f.reported)::int, sum(f.filed)::int, sum(f.dispatched)::int, sum(f.returned)::int,
           sum(f.escalated)::int, sum(f.first_dispatched)::int, sum(f.dispatched_on_time)::int, sum(f.closed)::int,
           sum(f.closed_on_time)::int, sum(f.handled_judged)::int, sum(f.handled_on_time)::int,
           sum(f.reworked)::int, sum(f.open_overdue)::int, sum(f.extended)::int, sum(f.suspended)::int,
           sum(f.supervised)::int, sum(f.callbacks_reached)::int, max(f.satisfaction), sum(f.satisfied)::int,
           max(f.handling_minutes)
      FROM facts f
     GROUP BY f.case_id
$$;
COMMENT ON FUNCTION cc._kpi_facts(timestamptz, timestamptz) IS
    'Per visible case, what it adds to each measure of [p_from, p_to): the formulas of db/README.md, once.';

-- The scope member a case counts for: territory by the case, departments, units and people
-- by its current assignee (NULL: it counts for no member of that scope).
CREATE FUNCTION cc._kpi_member(p_scope text, p_district integer, p_street integer, p_community integer,
                               p_grid integer, p_department integer, p_unit integer, p_person integer)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE p_scope WHEN 'district' THEN p_district
                        WHEN 'street' THEN p_street
                        WHEN 'community' THEN p_community
                        WHEN 'grid' THEN p_grid
                        WHEN 'department' THEN p_department
                        WHEN 'unit' THEN p_unit
                        WHEN 'person' THEN p_person END
$$;

-- ---------------------------------------------------------------- sums and rates
-- Sums of facts per member with the rates, the score and the rank. The one place rates are
-- formed from counts.
CREATE FUNCTION cc._kpi_sum(p_from timestamptz, p_to timestamptz, p_scope text, p_within integer)
RETURNS TABLE (id integer, reported bigint, filed bigint, dispatched bigint, first_dispatched bigint,
               dispatched_on_time bigint, on_time_dispatch_rate numeric, due bigint, open_overdue bigint,
               closed bigint, closed_on_time bigint, closure_rate numeric, on_time_closure_rate numeric,
               handled_judged bigint, handled_on_time bigint, handled_on_time_rate numeric, reworked bigint,
               rework_rate numeric, returned bigint, escalated bigint, extended bigint, suspended bigint,
               supervised bigint, handling_hours_median numeric, handling_hours_p90 numeric,
               callbacks_reached bigint, satisfaction_avg numeric, satisfied_rate numeric,
               score numeric, rank integer)
LANGUAGE sql STABLE AS $$
    WITH keyed AS (
        SELECT cc._kpi_member(p_scope, s.district_id::int, c.street_id, c.community_id, c.grid_id, u.department_id,
                                    c.assignee_unit_id, c.assignee_person_id) AS k, f.*
          FROM cc._kpi_facts(p_from, p_to) f
          JOIN cc."case" c ON c.id = f.case_id
          JOIN cc.street s ON s.id = c.street_id
          LEFT JOIN cc.unit u ON u.id = c.assignee_unit_id
         WHERE p_within IS NULL
            OR (p_scope = 'street' AND s.district_id = p_within)
            OR (p_scope = 'community' AND c.street_id = p_within)
            OR (p_scope = 'grid' AND c.community_id = p_within)
            OR (p_scope = 'unit' AND u.department_id = p_within)
            OR (p_scope = 'person' AND c.assignee_person_id IN (SELECT us.person_id FROM cc.unit_staff us
                                                                  WHERE us.unit_id = p_within))),
    sums AS (
        SELECT k.k AS id, sum(k.reported)::bigint AS reported, sum(k.filed)::bigint AS filed,
               sum(k.dispatched)::bigint AS dispatched, sum(k.first_dispatched)::bigint AS first_dispatched,
               sum(k.dispatched_on_time)::bigint AS dispatched_on_time,
               sum(k.closed + k.open_overdue)::bigint AS due, sum(k.open_overdue)::bigint AS open_overdue,
               sum(k.closed)::bigint AS closed, sum(k.closed_on_time)::bigint AS closed_on_time,
               sum(k.handled_judged)::bigint AS handled_judged, sum(k.handled_on_time)::bigint AS handled_on_time,
               sum(k.reworked)::bigint AS reworked, sum(k.returned)::bigint AS returned,
               sum(k.escalated)::bigint AS escalated, sum(k.extended)::bigint AS extended,
               sum(k.suspended)::bigint AS suspended, sum(k.supervised)::bigint AS supervised,
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY k.handling_minutes) / 60)::numeric, 1) AS h50,
               round((percentile_cont(0.9) WITHIN GROUP (ORDER BY k.handling_minutes) / 60)::numeric, 1) AS h90,
               sum(k.callbacks_reached)::bigint AS callbacks_reached,
               round(avg(k.satisfaction), 2) AS satisfaction_avg, sum(k.satisfied)::bigint AS satisfied
          FROM keyed k
         WHERE k.k IS NOT NULL
         GROUP BY k.k),
    rated AS (
        SELECT s.*, cc._rate(s.dispatched_on_time, s.first_dispatched) AS on_time_dispatch_rate,
               cc._rate(s.closed, s.due) AS closure_rate, cc._rate(s.closed_on_time, s.due) AS on_time_closure_rate,
               cc._rate(s.handled_on_time, s.handled_judged) AS handled_on_time_rate,
               cc._rate(s.reworked, s.closed) AS rework_rate, cc._rate(s.satisfied, s.callbacks_reached) AS satisfied_rate,
               s.due >= cc._limit_of('ranking_min_cases') AS ranked
          FROM sums s),
    comp AS (   -- every member × every weighted component, as points 0–100
        SELECT r.id, r.ranked, w.component, w.transform, w.weight,
               CASE w.measure
                   WHEN 'reported' THEN r.reported::numeric WHEN 'filed' THEN r.filed::numeric
                   WHEN 'first_dispatched' THEN r.first_dispatched::numeric WHEN 'due' THEN r.due::numeric
                   WHEN 'closed' THEN r.closed::numeric WHEN 'closed_on_time' THEN r.closed_on_time::numeric
                   WHEN 'handled_on_time' THEN r.handled_on_time::numeric
                   WHEN 'on_time_dispatch_rate' THEN r.on_time_dispatch_rate
                   WHEN 'closure_rate' THEN r.closure_rate WHEN 'on_time_closure_rate' THEN r.on_time_closure_rate
                   WHEN 'handled_on_time_rate' THEN r.handled_on_time_rate
                   WHEN 'rework_rate' THEN r.rework_rate WHEN 'satisfied_rate' THEN r.satisfied_rate END AS v
          FROM rated r CROSS JOIN cc.score_weight w),
    points AS (
        SELECT c.id, c.weight,
               least(100, greatest(0, coalesce(
                   CASE c.transform
                       WHEN 'as_is' THEN c.v
                       WHEN 'inverse' THEN 100 - c.v
                       ELSE 100.0 * c.v / nullif(coalesce(max(c.v) FILTER (WHERE c.ranked) OVER (PARTITION BY c.component),
                                                          max(c.v) OVER (PARTITION BY c.component)), 0) END, 0))) AS pts
          FROM comp c),
    scored AS (
        SELECT p.id, round(sum(p.weight * p.pts) / nullif(sum(p.weight), 0), 1) AS score
          FROM points p GROUP BY p.id)
    SELECT r.id, r.reported, r.filed, r.dispatched, r.first_dispatched, r.dispatched_on_time,
           r.on_time_dispatch_rate, r.due, r.open_overdue, r.closed, r.closed_on_time, r.closure_rate,
           r.on_time_closure_rate, r.handled_judged, r.handled_on_time, r.handled_on_time_rate, r.reworked,
           r.rework_rate, r.returned, r.escalated, r.extended, r.suspended, r.supervised, r.h50, r.h90,
           r.callbacks_reached, r.satisfaction_avg, r.satisfied_rate, s.score,
           CASE WHEN r.ranked THEN (rank() OVER (PARTITION BY r.ranked ORDER BY s.score DESC NULLS LAST))::int END
      FROM rated r LEFT JOIN scored s ON s.id = r.id
$$;
COMMENT ON FUNCTION cc._kpi_sum(timestamptz, timestamptz, text, integer) IS
    'cc._kpi_facts summed per scope member, with the rates, the composite score and the rank.';

-- ---------------------------------------------------------------- the interfaces
DROP FUNCTION cc.kpi(timestamptz, timestamptz, integer);
DROP FUNCTION cc.kpi_by_street(timestamptz, timestamptz);

CREATE FUNCTION cc.kpi_by(p_from timestamptz, p_to timestamptz, p_scope text, p_within integer DEFAULT NULL)
RETURNS TABLE (scope text, id integer, name text, name_en text, parent_id integer,
               reported bigint, filed bigint, dispatched bigint, first_dispatched bigint,
               dispatched_on_time bigint, on_time_dispatch_rate numeric, due bigint, open_overdue bigint,
               closed bigint, closed_on_time bigint, closure_rate numeric, on_time_closure_rate numeric,
               handled_judged bigint, handled_on_time bigint, handled_on_time_rate numeric, reworked bigint,
               rework_rate numeric, returned bigint, escalated bigint, extended bigint, suspended bigint,
               supervised bigint, handling_hours_median numeric, handling_hours_p90 numeric,
               callbacks_reached bigint, satisfaction_avg numeric, satisfied_rate numeric,
               score numeric, rank integer)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM cc._kpi_period(p_from, p_to);
    PERFORM cc._kpi_scope(p_scope, p_within);
    RETURN QUERY
    WITH m AS (
        SELECT d.id::int AS id, d.name, d.name_en, NULL::int AS parent_id FROM cc.district d WHERE p_scope = 'district'
        UNION ALL SELECT st.id, st.name, st.name_en, st.district_id::int FROM cc.street st WHERE p_scope = 'street'
        UNION ALL SELECT co.id, co.name, co.name, co.street_id FROM cc.community co WHERE p_scope = 'community'
        UNION ALL SELECT g.id, g.name, g.code, g.community_id FROM cc.grid g WHERE p_scope = 'grid'
        UNION ALL SELECT dp.id, dp.name, dp.name_en, NULL FROM cc.department dp WHERE p_scope = 'department'
        UNION ALL SELECT u.id, u.name, u.name_en, u.department_id FROM cc.unit u WHERE p_scope = 'unit'
        UNION ALL SELECT pe.id, pe.name, pe.name,
                         (SELECT min(us.unit_id) FROM cc.unit_staff us WHERE us.person_id = pe.id)
                    FROM cc.person pe WHERE p_scope = 'person')
    SELECT p_scope, k.id, m.name, m.name_en, m.parent_id,
           k.reported, k.filed, k.dispatched, k.first_dispatched, k.dispatched_on_time, k.on_time_dispatch_rate,
           k.due, k.open_overdue, k.closed, k.closed_on_time, k.closure_rate, k.on_time_closure_rate,
           k.handled_judged, k.handled_on_time, k.handled_on_time_rate, k.reworked, k.rework_rate, k.returned,
           k.escalated, k.extended, k.suspended, k.supervised, k.handling_hours_median, k.handling_hours_p90,
           k.callbacks_reached, k.satisfaction_avg, k.satisfied_rate, k.score, k.rank
      FROM cc._kpi_sum(p_from, p_to, p_scope, p_within) k
      LEFT JOIN m ON m.id = k.id
     ORDER BY k.rank NULLS LAST, k.score DESC NULLS LAST, k.id;
END $$;
COMMENT ON FUNCTION cc.kpi_by(timestamptz, timestamptz, text, integer) IS
    'Every measure of [p_from, p_to) per member of a scope (district, street, community, grid, department, '
    'unit, person) with activity, optionally within a parent; composite score and rank.';

CREATE FUNCTION cc.kpi(p_from timestamptz, p_to timestamptz, p_street integer DEFAULT NULL)
RETURNS TABLE (reported bigint, filed bigint, dispatched bigint, first_dispatched bigint,
               dispatched_on_time bigint, on_time_dispatch_rate numeric, due bigint, open_overdue bigint,
               closed bigint, closed_on_time bigint, closure_rate numeric, on_time_closure_rate numeric,
               handled_judged bigint, handled_on_time bigint, handled_on_time_rate numeric, reworked bigint,
               rework_rate numeric, returned bigint, escalated bigint, extended bigint, suspended bigint,
               supervised bigint, handling_hours_median numeric, handling_hours_p90 numeric,
               callbacks_reached bigint, satisfaction_avg numeric, satisfied_rate numeric)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM cc._kpi_period(p_from, p_to);
    RETURN QUERY
    SELECT coalesce(k.reported, 0), coalesce(k.filed, 0), coalesce(k.dispatched, 0),
           coalesce(k.first_dispatched, 0), coalesce(k.dispatched_on_time, 0), k.on_time_dispatch_rate,
           coalesce(k.due, 0), coalesce(k.open_overdue, 0), coalesce(k.closed, 0), coalesce(k.closed_on_time, 0),
           k.closure_rate, k.on_time_closure_rate, coalesce(k.handled_judged, 0), coalesce(k.handled_on_time, 0),
           k.handled_on_time_rate, coalesce(k.reworked, 0), k.rework_rate, coalesce(k.returned, 0),
           coalesce(k.escalated, 0), coalesce(k.extended, 0), coalesce(k.suspended, 0), coalesce(k.supervised, 0),
           k.handling_hours_median, k.handling_hours_p90, coalesce(k.callbacks_reached, 0), k.satisfaction_avg,
           k.satisfied_rate
      FROM (VALUES (1)) one(x)
      LEFT JOIN cc._kpi_sum(p_from, p_to, CASE WHEN p_street IS NULL THEN 'district' ELSE 'street' END, NULL) k
        ON p_street IS NULL OR k.id = p_street;
END $$;
COMMENT ON FUNCTION cc.kpi(timestamptz, timestamptz, integer) IS
    'Every measure of [p_from, p_to) over what the caller sees, or one street: one row, rates in percent.';

-- The named siblings: kpi_by with the scope in the name, for readable calls; same columns.
DO $$
DECLARE
    cols text;
    f record;
BEGIN
    SELECT string_agg(format('%I %s', p.proargnames[i], format_type(p.proallargtypes[i], NULL)), ', ' ORDER BY i)
      INTO cols
      FROM pg_proc p, generate_subscripts(p.proallargtypes, 1) i
     WHERE p.oid = 'cc.kpi_by(timestamptz, timestamptz, text, integer)'::regprocedure AND p.proargmodes[i] = 't';
    FOR f IN SELECT * FROM (VALUES
            ('kpi_by_street', '', 'street', 'NULL', 'per street'),
            ('kpi_by_community', ', p_street integer DEFAULT NULL', 'community', 'p_street', 'per community of a street'),
            ('kpi_by_grid', ', p_community integer DEFAULT NULL', 'grid', 'p_community', 'per grid of a community'),
            ('kpi_by_department', '', 'department', 'NULL', 'per department (by the current assignee)'),
            ('kpi_by_unit', ', p_department integer DEFAULT NULL', 'unit', 'p_department', 'per unit of a department'),
            ('kpi_by_person', ', p_unit integer DEFAULT NULL', 'person', 'p_unit', 'per person (assignee) of a unit'))
            AS v(fn, extra, scope, within, what) LOOP
        EXECUTE format('CREATE FUNCTION cc.%I(p_from timestamptz, p_to timestamptz%s) RETURNS TABLE (%s) '
                       'LANGUAGE sql STABLE AS $f$ SELECT * FROM cc.kpi_by(p_from, p_to, %L, %s) $f$',
                       f.fn, f.extra, cols, f.scope, f.within);
        EXECUTE format('COMMENT ON FUNCTION cc.%I IS %L', f.fn,
                       format('cc.kpi_by(p_from, p_to, %L, …): every measure %s.', f.scope, f.what));
    END LOOP;
END $$;

-- The cases behind a count, for the panel's click on a figure.
CREATE FUNCTION cc.kpi_cases(p_from timestamptz, p_to timestamptz, p_measure text, p_scope text DEFAULT NULL,
                             p_id integer DEFAULT NULL)
RETURNS TABLE (case_id bigint, code text, title text, state text, street_id integer, community_id integer,
               grid_id integer, assignee_unit_id integer, assignee_person_id integer, reported_at timestamptz,
               closed_at timestamptz, handle_deadline timestamptz, adds integer)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM cc._kpi_period(p_from, p_to);
    IF p_measure IS NULL OR NOT EXISTS (SELECT 1 FROM cc.measure m WHERE m.code = p_measure AND m.unit = 'count') THEN
        RAISE EXCEPTION 'no cases lie behind measure %', coalesce('"' || left(p_measure, 40) || '"', 'NULL')
            USING ERRCODE = 'CC009',
                  HINT = 'Name a count: ' || (SELECT string_agg(m.code, ', ' ORDER BY m.sort) FROM cc.measure m
                                               WHERE m.unit = 'count')
                         || ' (a rate''s cases are those of its numerator and denominator).';
    END IF;
    IF p_scope IS NOT NULL THEN
        PERFORM cc._kpi_scope(p_scope, NULL);
    END IF;
    IF (p_scope IS NULL) <> (p_id IS NULL) THEN
        RAISE EXCEPTION 'a scope and a member id go together (got scope %, id %)',
                        coalesce(left(p_scope, 40), 'NULL'), coalesce(p_id::text, 'NULL')
            USING ERRCODE = 'CC009', HINT = 'Give both, e.g. scope street and the street''s id, or neither.';
    END IF;
    RETURN QUERY
    SELECT c.id, c.code, c.title, c.state, c.street_id, c.community_id, c.grid_id, c.assignee_unit_id,
           c.assignee_person_id, c.reported_at, c.closed_at, c.handle_deadline, x.n
      FROM cc._kpi_facts(p_from, p_to) f
      JOIN cc."case" c ON c.id = f.case_id
      JOIN cc.street s ON s.id = c.street_id
      LEFT JOIN cc.unit u ON u.id = c.assignee_unit_id
     CROSS JOIN LATERAL (SELECT CASE p_measure
                 WHEN 'reported' THEN f.reported WHEN 'filed' THEN f.filed WHEN 'dispatched' THEN f.dispatched
                 WHEN 'first_dispatched' THEN f.first_dispatched WHEN 'dispatched_on_time' THEN f.dispatched_on_time
                 WHEN 'due' THEN f.closed + f.open_overdue WHEN 'open_overdue' THEN f.open_overdue
                 WHEN 'closed' THEN f.closed WHEN 'closed_on_time' THEN f.closed_on_time
                 WHEN 'handled_judged' THEN f.handled_judged WHEN 'handled_on_time' THEN f.handled_on_time
                 WHEN 'reworked' THEN f.reworked WHEN 'returned' THEN f.returned WHEN 'escalated' THEN f.escalated
                 WHEN 'extended' THEN f.extended WHEN 'suspended' THEN f.suspended WHEN 'supervised' THEN f.supervised
                 WHEN 'callbacks_reached' THEN f.callbacks_reached END AS n) x
     WHERE x.n > 0
       AND (p_scope IS NULL OR cc._kpi_member(p_scope, s.district_id::int, c.street_id, c.community_id, c.grid_id, u.department_id,
                                    c.assignee_unit_id, c.assignee_person_id) = p_id)
     ORDER BY c.id;
END $$;
COMMENT ON FUNCTION cc.kpi_cases(timestamptz, timestamptz, text, text, integer) IS
    'The visible cases behind a count of [p_from, p_to) (and how much each adds), for a scope member or all.';

-- The main measures' course over local days, weeks or months, for trend charts.
CREATE FUNCTION cc.kpi_trend(p_from timestamptz, p_to timestamptz, p_bucket text, p_scope text DEFAULT NULL,
                             p_id integer DEFAULT NULL)
RETURNS TABLE (bucket_start timestamptz, bucket_end timestamptz, reported bigint, filed bigint,
               first_dispatched bigint, on_time_dispatch_rate numeric, due bigint, closed bigint,
               closed_on_time bigint, closure_rate numeric, on_time_closure_rate numeric,
               handled_on_time_rate numeric, rework_rate numeric, handling_hours_median numeric,
               satisfaction_avg numeric)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_tz text := cc.local_tz();
    v_step interval;
    v_first timestamp;
    v_n integer;
    v_max integer := cc._limit_of('trend_buckets');
BEGIN
    PERFORM cc._kpi_period(p_from, p_to);
    IF p_bucket IS NULL OR p_bucket NOT IN ('day', 'week', 'month') THEN
        RAISE EXCEPTION 'unknown bucket %', coalesce('"' || left(p_bucket, 40) || '"', 'NULL')
            USING ERRCODE = 'CC009', HINT = 'Use day, week (Monday to Sunday) or month, in the district''s calendar.';
    END IF;
    IF p_scope IS NOT NULL THEN
        PERFORM cc._kpi_scope(p_scope, NULL);
    END IF;
    IF (p_scope IS NULL) <> (p_id IS NULL) THEN
        RAISE EXCEPTION 'a scope and a member id go together (got scope %, id %)',
                        coalesce(left(p_scope, 40), 'NULL'), coalesce(p_id::text, 'NULL')
            USING ERRCODE = 'CC009', HINT = 'Give both, e.g. scope street and the street''s id, or neither.';
    END IF;
    v_step := ('1 ' || p_bucket)::interval;
    v_first := date_trunc(p_bucket, p_from AT TIME ZONE v_tz);
    SELECT count(*) INTO v_n
      FROM generate_series(v_first, (p_to AT TIME ZONE v_tz) - interval '1 microsecond', v_step);
    IF v_n > v_max THEN
        RAISE EXCEPTION 'a trend of % % buckets is more than the % one trend returns', v_n, p_bucket, v_max
            USING ERRCODE = 'CC009', HINT = 'Use a coarser bucket or a shorter period (cc.input_limit trend_buckets).';
    END IF;
    RETURN QUERY
    SELECT b.s, b.e, coalesce(k.reported, 0), coalesce(k.filed, 0), coalesce(k.first_dispatched, 0),
           k.on_time_dispatch_rate, coalesce(k.due, 0), coalesce(k.closed, 0), coalesce(k.closed_on_time, 0),
           k.closure_rate, k.on_time_closure_rate, k.handled_on_time_rate, k.rework_rate,
           k.handling_hours_median, k.satisfaction_avg
      FROM (SELECT greatest(p_from, g AT TIME ZONE v_tz) AS s, least(p_to, (g + v_step) AT TIME ZONE v_tz) AS e
              FROM generate_series(v_first, (p_to AT TIME ZONE v_tz) - interval '1 microsecond', v_step) g) b
      LEFT JOIN LATERAL (SELECT * FROM cc._kpi_sum(b.s, b.e, coalesce(p_scope, 'district'), NULL) t
                          WHERE p_scope IS NULL OR t.id = p_id) k ON true
     ORDER BY b.s;
END $$;
COMMENT ON FUNCTION cc.kpi_trend(timestamptz, timestamptz, text, text, integer) IS
    'The main measures per local day, week or month bucket of [p_from, p_to), for all visible cases or one member.';

GRANT EXECUTE ON FUNCTION cc._kpi_period(timestamptz, timestamptz),
    cc._kpi_scope(text, integer), cc._kpi_facts(timestamptz, timestamptz),
    cc._kpi_member(text, integer, integer, integer, integer, integer, integer, integer), cc._kpi_sum(timestamptz, timestamptz, text, integer),
    cc._in_day(time, time[], time[]),
    cc.kpi(timestamptz, timestamptz, integer), cc.kpi_by(timestamptz, timestamptz, text, integer),
    cc.kpi_by_street(timestamptz, timestamptz), cc.kpi_by_community(timestamptz, timestamptz, integer),
    cc.kpi_by_grid(timestamptz, timestamptz, integer), cc.kpi_by_department(timestamptz, timestamptz),
    cc.kpi_by_unit(timestamptz, timestamptz, integer), cc.kpi_by_person(timestamptz, timestamptz, integer),
    cc.kpi_cases(timestamptz, timestamptz, text, text, integer),
    cc.kpi_trend(timestamptz, timestamptz, text, text, integer)
    TO cc_reader, cc_exec;
