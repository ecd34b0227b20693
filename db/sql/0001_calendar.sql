-- Work calendar: every deadline goes through cc.add_time, so holidays, weekends and make-up
-- working days count the same way for every client.
-- Replaced since: clock (the statement's time since 0004), add_time — in 0004_input.sql / 0004_guard.sql (the rule in force is the
-- newest definition; this file is the history a migration replays).
SET LOCAL ROLE cc_owner;

CREATE FUNCTION cc.local_tz() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 'Asia/Shanghai'::text $$;
COMMENT ON FUNCTION cc.local_tz() IS 'Time zone of the work calendar.';

CREATE FUNCTION cc.is_workday(p_day date) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce((SELECT is_workday FROM cc.calendar_day WHERE day = p_day),
                    extract(isodow FROM p_day) < 6)
$$;
COMMENT ON FUNCTION cc.is_workday(date) IS
    'Working day? Monday-Friday unless cc.calendar_day says otherwise (holiday / make-up day).';

CREATE FUNCTION cc.workday_minutes() RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(sum(extract(epoch FROM ends - starts) / 60), 0)::numeric FROM cc.work_period
$$;

-- The clock of the rules. now() for everyone; an administrator loading history may set
-- cc.clock for the transaction (demo seeding). Others who set it are refused, not ignored.
CREATE FUNCTION cc.clock() RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v text := current_setting('cc.clock', true);
BEGIN
    IF v IS NULL OR v = '' THEN
        RETURN now();
    END IF;
    IF NOT pg_has_role(session_user, 'cc_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'only administrators may set cc.clock'
            USING ERRCODE = '42501', HINT = 'RESET cc.clock and try again.';
    END IF;
    RETURN v::timestamptz;
END $$;
COMMENT ON FUNCTION cc.clock() IS 'Current time of the workflow: now(), or cc.clock for administrators loading history.';

CREATE FUNCTION cc.add_time(p_start timestamptz, p_amount numeric, p_unit text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_local   timestamp;
    v_day     date;
    v_time    time;
    v_left    numeric;   -- working minutes still to place
    v_from    time;
    v_avail   numeric;
    v_starts  time[];
    v_ends    time[];
    i         integer;
    v_guard   integer := 0;
BEGIN
    IF p_amount IS NULL OR p_amount < 0 THEN
        RAISE EXCEPTION 'time limit must be a non-negative amount, got %', p_amount USING ERRCODE = 'CC009';
    END IF;
    CASE p_unit
        WHEN 'minutes' THEN RETURN p_start + interval '1 minute' * p_amount::float8;
        WHEN 'hours' THEN RETURN p_start + interval '1 hour' * p_amount::float8;
        WHEN 'work_hours' THEN v_left := p_amount * 60;
        WHEN 'work_days' THEN v_left := p_amount * cc.workday_minutes();
        ELSE RAISE EXCEPTION 'unknown time unit "%" (use minutes, hours, work_hours or work_days)', p_unit
             USING ERRCODE = 'CC009';
    END CASE;
    -- Read the work periods once, not once per day walked.
    SELECT array_agg(starts ORDER BY seq), array_agg(ends ORDER BY seq) INTO v_starts, v_ends FROM cc.work_period;
    v_local := p_start AT TIME ZONE cc.local_tz();
    v_day := v_local::date;
    v_time := v_local::time;
    LOOP
        v_guard := v_guard + 1;
        IF v_guard > 4000 THEN
            RAISE EXCEPTION 'work calendar has no working time within 4000 days of %', p_start
                USING ERRCODE = 'CC009', HINT = 'Check cc.work_period and cc.calendar_day.';
        END IF;
        IF cc.is_workday(v_day) THEN
            FOR i IN 1 .. coalesce(cardinality(v_starts), 0) LOOP
                CONTINUE WHEN v_time >= v_ends[i];
                v_from := greatest(v_time, v_starts[i]);
                v_avail := extract(epoch FROM v_ends[i] - v_from) / 60;
                IF v_left <= v_avail THEN
                    RETURN ((v_day + v_from) + interval '1 minute' * v_left::float8) AT TIME ZONE cc.local_tz();
                END IF;
                v_left := v_left - v_avail;
                v_time := v_ends[i];
            END LOOP;
        END IF;
        v_day := v_day + 1;
        v_time := time '00:00';
    END LOOP;
END $$;
COMMENT ON FUNCTION cc.add_time(timestamptz, numeric, text) IS
    'Deadline = start + amount in minutes/hours (clock time) or work_hours/work_days (work calendar; one working day = the day''s work periods).';
