-- Revision 0008: the measures of a city year within their target (issue 13, `bench report`).
--
-- Measured at 500,000 cases / 3 million events: one cc.kpi_by call took ~19 s, of which ~2 s
-- went to finding each closed case's first dispatch among its events (one index probe a
-- case), ~5 s to joining cases to the calendar's days (two sorts of the year's cases on disk
-- for a merge join), and ~1 s to aggregates spilled to disk. Now the case keeps the time of
-- its first dispatch, the calendar is looked up in arrays, and the aggregates stay in memory.
-- The formulas are those of 0007 and db/README.md, unchanged; tests/test_measures.py checks them.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- first dispatch, on the case
ALTER TABLE cc."case" ADD COLUMN first_dispatched_at timestamptz;
COMMENT ON COLUMN cc."case".first_dispatched_at IS
    'When the case was first dispatched (its first dispatch event); set once, by cc._first_dispatch.';

-- Kept by the row, whatever function dispatches: the first dispatched_at a case gets stays.
CREATE FUNCTION cc._first_dispatch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.first_dispatched_at := coalesce(OLD.first_dispatched_at, NEW.dispatched_at);
    ELSE
        NEW.first_dispatched_at := coalesce(NEW.first_dispatched_at, NEW.dispatched_at);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER case_first_dispatch BEFORE INSERT OR UPDATE ON cc."case"
    FOR EACH ROW EXECUTE FUNCTION cc._first_dispatch();

-- the cases dispatched so far (the trigger above is not fired: only this column changes)
ALTER TABLE cc."case" DISABLE TRIGGER USER;
UPDATE cc."case" c SET first_dispatched_at = d.at
  FROM (SELECT e.case_id, min(e.at) AS at FROM cc.case_event e WHERE e.action = 'dispatch' GROUP BY e.case_id) d
 WHERE d.case_id = c.id;
ALTER TABLE cc."case" ENABLE TRIGGER USER;

CREATE INDEX case_first_dispatched_idx ON cc."case" (first_dispatched_at);
GRANT SELECT (first_dispatched_at) ON cc."case" TO cc_reader;

-- ---------------------------------------------------------------- working time by lookup
-- Working minutes from the start of the span's first day (p_d0) to local time p_l: those of
-- the days before (p_marks, one element a day from p_d0) and of p_l's day up to p_l when it is
-- a working day (p_work), over at most four work periods (p_ws/p_we, minutes of the day;
-- cc._kpi_period refuses more). float8 throughout: a numeric[] lookup walks its elements, and
-- numeric and interval arithmetic made this 6× slower (measured). Local times are converted
-- once by the caller: repeated here, the inliner would convert them once per use. One
-- expression, so the planner inlines it.
CREATE FUNCTION cc._work_mark(p_l timestamp, p_d0 date, p_marks float8[], p_work boolean[],
                              p_ws float8[], p_we float8[]) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_marks[p_l::date - p_d0 + 1]
           + CASE WHEN p_work[p_l::date - p_d0 + 1]
                  THEN greatest(0, least(date_part('epoch', p_l::time) / 60, p_we[1]) - p_ws[1])
                       + coalesce(greatest(0, least(date_part('epoch', p_l::time) / 60, p_we[2]) - p_ws[2]), 0)
                       + coalesce(greatest(0, least(date_part('epoch', p_l::time) / 60, p_we[3]) - p_ws[3]), 0)
                       + coalesce(greatest(0, least(date_part('epoch', p_l::time) / 60, p_we[4]) - p_ws[4]), 0)
                  ELSE 0 END
$$;

-- ---------------------------------------------------------------- the formulas, faster
CREATE OR REPLACE FUNCTION cc._kpi_facts(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (case_id bigint, reported integer, filed integer, dispatched integer, returned integer,
               escalated integer, first_dispatched integer, dispatched_on_time integer, closed integer,
               closed_on_time integer, handled_judged integer, handled_on_time integer, reworked integer,
               open_overdue integer, extended integer, suspended integer, supervised integer,
               callbacks_reached integer, satisfaction integer, satisfied integer, handling_minutes numeric)
-- Planned on its own (the SET keeps it from being inlined): inlined, the planner guessed a few
-- rows for it and joined a city year's facts to units by a nested loop (4 s of 5, measured).
-- 128 MB keeps a city year's per-case aggregates in memory (32 MB spilled 200 MB to disk).
LANGUAGE sql STABLE ROWS 100000 SET work_mem = '128MB' AS $$
    WITH bounds AS (SELECT least(p_to, cc.clock()) AS t_end),
    tz AS (   -- the work calendar's constants, read once (minutes of the day)
        SELECT cc.local_tz() AS z,
               (SELECT array_agg(date_part('epoch', wp.starts) / 60 ORDER BY wp.seq) FROM cc.work_period wp) AS ws,
               (SELECT array_agg(date_part('epoch', wp.ends) / 60 ORDER BY wp.seq) FROM cc.work_period wp) AS we,
               (SELECT sum(date_part('epoch', wp.ends - wp.starts) / 60) FROM cc.work_period wp) AS day_minutes),
    ev AS (   -- events of the period, per case
        SELECT e.case_id,
               count(*) FILTER (WHERE e.action IN ('report', 'report_solved'))::int AS reported,
               count(*) FILTER (WHERE e.action = 'file')::int AS filed,
               count(*) FILTER (WHERE e.action IN ('dispatch', 'redispatch'))::int AS dispatched,
               count(*) FILTER (WHERE e.action = 'return')::int AS returned,
               count(*) FILTER (WHERE e.action = 'escalate')::int AS escalated
          FROM cc.case_event e
         WHERE e.at >= p_from AND e.at < p_to
         GROUP BY e.case_id),
    fd0 AS (  -- cases whose first dispatch ever falls in the period
        SELECT c.id AS case_id, c.first_dispatched_at AS at, c.dispatch_deadline, c.category_id, c.urgency,
               (c.return_count > 0 OR c.escalation_count > 0) AS reset,
               CASE WHEN c.return_count > 0 OR c.escalation_count > 0     -- the filing or escalation before it
                    THEN (SELECT max(p.at) FROM cc.case_event p
                           WHERE p.case_id = c.id AND p.action IN ('file', 'escalate') AND p.at < c.first_dispatched_at)
               END AS since
          FROM cc."case" c
         WHERE c.first_dispatched_at >= p_from AND c.first_dispatched_at < p_to),
    fd AS (   -- with local times where working time is counted
        SELECT fd0.*, CASE WHEN fd0.reset THEN fd0.at AT TIME ZONE tz.z END AS at_l,
               CASE WHEN fd0.reset THEN fd0.since AT TIME ZONE tz.z END AS since_l
          FROM fd0 CROSS JOIN tz),
    cl AS (   -- cases closed in the period
        SELECT c.id AS case_id, c.handled_late, c.closed_at, c.verify_deadline, c.rework_count, c.handled_at,
               c.first_dispatched_at AS first_dispatch,
               c.handled_at AT TIME ZONE tz.z AS handled_l, c.first_dispatched_at AT TIME ZONE tz.z AS first_l
          FROM cc."case" c CROSS JOIN tz
         WHERE c.closed_at >= p_from AND c.closed_at < p_to AND c.state IN ('closed', 'evaluated')),
    span AS (   -- the local days working time is counted over
        SELECT min(m.a)::date AS d0, max(m.b)::date AS d1
          FROM (SELECT cl.first_l AS a, cl.handled_l AS b FROM cl
                UNION ALL SELECT fd.since_l, fd.at_l FROM fd WHERE fd.reset) m),
    days AS (   -- per day of the span: working day or not, working minutes before it
        SELECT g::date AS day, w.work,
               (count(*) FILTER (WHERE w.work) OVER (ORDER BY g) - w.work::int) * tz.day_minutes AS mark
          FROM tz, span, generate_series(span.d0, span.d1, interval '1 day') g,
               LATERAL (SELECT coalesce((SELECT cd.is_workday FROM cc.calendar_day cd WHERE cd.day = g::date),
                                        extract(isodow FROM g) < 6) AS work) w),
    cal AS (   -- the same as arrays indexed by day - d0 + 1: one lookup a row instead of a join
        SELECT (SELECT d0 FROM span) AS d0, (SELECT array_agg(mark ORDER BY day) FROM days) AS marks,
               (SELECT array_agg(work ORDER BY day) FROM days) AS work),
    fdt AS (  -- on time: by the deadline set at filing; after a return or escalation, within the
              -- item's dispatch limit from the filing or escalation before the first dispatch
        SELECT fd.case_id,
               CASE WHEN NOT fd.reset THEN fd.at <= fd.dispatch_deadline
                    WHEN tl.unit = 'minutes' THEN fd.at <= fd.since + tl.amount * interval '1 minute'
                    WHEN tl.unit = 'hours' THEN fd.at <= fd.since + tl.amount * interval '1 hour'
                    ELSE cc._work_mark(fd.at_l, cal.d0, cal.marks, cal.work, tz.ws, tz.we)
                         - cc._work_mark(fd.since_l, cal.d0, cal.marks, cal.work, tz.ws, tz.we)
                         <= tl.amount * CASE tl.unit WHEN 'work_days' THEN tz.day_minutes ELSE 60 END
               END AS on_time
          FROM fd CROSS JOIN tz CROSS JOIN cal
          LEFT JOIN cc.time_limit tl ON fd.reset AND tl.category_id = fd.category_id AND tl.urgency = fd.urgency
                                    AND tl.phase = 'dispatch'),
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
               -- working minutes from first dispatch to last feedback (as cc.work_minutes_between)
               (CASE WHEN cl.handled_at >= cl.first_dispatch
                     THEN cc._work_mark(cl.handled_l, cal.d0, cal.marks, cal.work, tz.ws, tz.we)
                          - cc._work_mark(cl.first_l, cal.d0, cal.marks, cal.work, tz.ws, tz.we)
                END)::numeric - coalesce(h.minutes, 0)
          FROM cl CROSS JOIN tz CROSS JOIN cal LEFT JOIN held h ON h.case_id = cl.case_id
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

GRANT EXECUTE ON FUNCTION cc._work_mark(timestamp, date, float8[], boolean[], float8[], float8[]) TO cc_reader, cc_exec;

-- ---------------------------------------------------------------- row-level security, once a statement
-- A policy calling cc.sees_street(street_id) ran it once per row read (a SECURITY DEFINER
-- function is never inlined): the wall's half-year report on the 90-day demo took 6.8 s
-- against the district centre's 1.0 s. The same rule is now looked up once per statement
-- (each sub-select is an InitPlan): whether the login sees every street, and which street
-- its console has.
CREATE FUNCTION cc.console_street() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT street_id FROM cc.console_account WHERE login = session_user
$$;
COMMENT ON FUNCTION cc.console_street() IS
    'The street of the signed-in console (NULL: none, or the whole district); with cc.sees_street(NULL) '
    'the row-level security of every table kept by street.';
GRANT EXECUTE ON FUNCTION cc.console_street() TO cc_reader;

DO $$
DECLARE p record;
BEGIN
    FOR p IN SELECT pol.tablename, pol.policyname FROM pg_policies pol
              WHERE pol.schemaname = 'cc' AND pol.qual = 'cc.sees_street(street_id)' LOOP
        EXECUTE format('ALTER POLICY %I ON cc.%I USING ((SELECT cc.sees_street(NULL)) '
                       'OR street_id = (SELECT cc.console_street()))', p.policyname, p.tablename);
    END LOOP;
END $$;
