-- Revision 0007, part 1: the end of the loop (issue 13) — extension (延期), suspension
-- (挂账/缓办) and supervision (督办), and working time between two moments.
--
-- All three are actions on a case like every other: they lock the case through cc._begin,
-- check the role, the version and what the case allows (cc._why_not, the one rule of which
-- of them applies now), write one event (the timeline, the change feed) and bump the version.
-- The case keeps what the board shows; the tables below keep the history the measures count.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- limits
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('extensions_per_case', 2, 'count', 'approved extensions one case may have'),
    ('suspension_review_days', 366, 'days', 'how far ahead a suspended case''s review date may lie'),
    ('supervision_reply_days', 30, 'days', 'how far ahead a supervision''s reply deadline may lie');

-- ---------------------------------------------------------------- reference
CREATE TABLE cc.suspend_reason (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL
);
INSERT INTO cc.suspend_reason VALUES
    ('budget', '需资金立项', 'Needs funding', 1),
    ('court', '待司法裁决', 'Awaits a court', 2),
    ('seasonal', '受季节影响', 'Seasonal', 3),
    ('planning', '待规划拆迁', 'Awaits planning or demolition', 4),
    ('other', '其他', 'Other', 9);

CREATE TABLE cc.supervision_level (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    rank    smallint NOT NULL UNIQUE
);
INSERT INTO cc.supervision_level VALUES
    ('street', '街道督办', 'Street supervision', 1),
    ('district', '区级督办', 'District supervision', 2),
    ('leader', '领导督办', 'Leader supervision', 3);
GRANT SELECT ON cc.suspend_reason, cc.supervision_level TO cc_reader, cc_exec;

-- ---------------------------------------------------------------- what the case shows
ALTER TABLE cc."case"
    ADD COLUMN suspended_at          timestamptz,       -- NULL: not on hold; else its clock is stopped
    ADD COLUMN suspension_review_on  date,
    ADD COLUMN extension_count       smallint NOT NULL DEFAULT 0 CHECK (extension_count >= 0),
    ADD COLUMN extension_pending     boolean NOT NULL DEFAULT false,
    ADD COLUMN supervision_level     text REFERENCES cc.supervision_level,
    ADD COLUMN supervision_reply_due timestamptz,
    ADD COLUMN supervision_replied_at timestamptz,
    ADD CHECK ((suspended_at IS NULL) = (suspension_review_on IS NULL)),
    ADD CHECK (supervision_level IS NOT NULL OR (supervision_reply_due IS NULL AND supervision_replied_at IS NULL));
GRANT SELECT (suspended_at, suspension_review_on, extension_count, extension_pending, supervision_level,
              supervision_reply_due, supervision_replied_at) ON cc."case" TO cc_reader;
CREATE INDEX case_suspended_idx ON cc."case" (suspension_review_on) WHERE suspended_at IS NOT NULL;
CREATE INDEX case_supervised_idx ON cc."case" (supervision_level) WHERE supervision_level IS NOT NULL;

-- ---------------------------------------------------------------- the history the measures count
CREATE TABLE cc.extension (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id            bigint NOT NULL REFERENCES cc."case",
    street_id          integer NOT NULL REFERENCES cc.street,
    unit_id            integer REFERENCES cc.unit,         -- the assignee that asked
    person_id          integer REFERENCES cc.person,
    old_deadline       timestamptz NOT NULL,
    requested_deadline timestamptz NOT NULL,
    reason             text NOT NULL,
    requested_by       name NOT NULL,
    requested_at       timestamptz NOT NULL,
    approved           boolean,                            -- NULL: not yet decided
    granted_deadline   timestamptz,
    decision_note      text NOT NULL DEFAULT '',
    decided_by         name,
    decided_at         timestamptz,
    CHECK ((approved IS NULL) = (decided_at IS NULL)),
    CHECK ((approved IS TRUE) = (granted_deadline IS NOT NULL))
);
CREATE UNIQUE INDEX extension_one_pending ON cc.extension (case_id) WHERE approved IS NULL;
CREATE INDEX extension_case_idx ON cc.extension (case_id, id);
CREATE INDEX extension_decided_idx ON cc.extension (decided_at) WHERE approved;
COMMENT ON TABLE cc.extension IS 'Requests for more time (延期) and their decisions; one pending per case.';

CREATE TABLE cc.suspension (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       bigint NOT NULL REFERENCES cc."case",
    street_id     integer NOT NULL REFERENCES cc.street,
    reason_code   text NOT NULL REFERENCES cc.suspend_reason,
    reason        text NOT NULL,
    review_on     date NOT NULL,
    phase         text CHECK (phase IN ('file', 'dispatch', 'handle', 'verify')),
    deadline      timestamptz,           -- the running deadline when the clock stopped
    work_minutes_left numeric,           -- … and what was left of it in working minutes
    suspended_by  name NOT NULL,
    suspended_at  timestamptz NOT NULL,
    resumed_by    name,
    resumed_at    timestamptz,
    resume_note   text NOT NULL DEFAULT '',
    CHECK ((resumed_at IS NULL) = (resumed_by IS NULL))
);
CREATE UNIQUE INDEX suspension_one_open ON cc.suspension (case_id) WHERE resumed_at IS NULL;
CREATE INDEX suspension_case_idx ON cc.suspension (case_id, id);
CREATE INDEX suspension_at_idx ON cc.suspension (suspended_at);
COMMENT ON TABLE cc.suspension IS 'Cases put on hold (挂账/缓办): from when, why, until which review, when resumed.';

CREATE TABLE cc.supervision (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cc."case",
    street_id   integer NOT NULL REFERENCES cc.street,
    level       text NOT NULL REFERENCES cc.supervision_level,
    note        text NOT NULL,
    reply_due   timestamptz NOT NULL,
    placed_by   name NOT NULL,
    placed_at   timestamptz NOT NULL,
    reply       text,
    replied_by  name,
    replied_at  timestamptz,
    lifted_by   name,
    lifted_at   timestamptz,
    lift_note   text NOT NULL DEFAULT '',
    CHECK ((replied_at IS NULL) = (reply IS NULL)),
    CHECK ((lifted_at IS NULL) = (lifted_by IS NULL))
);
CREATE UNIQUE INDEX supervision_one_open ON cc.supervision (case_id) WHERE lifted_at IS NULL;
CREATE INDEX supervision_case_idx ON cc.supervision (case_id, id);
CREATE INDEX supervision_at_idx ON cc.supervision (placed_at);
COMMENT ON TABLE cc.supervision IS 'Formal supervision (督办) of a case at a level, the unit''s reply, and when it was lifted.';

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['extension', 'suspension', 'supervision'] LOOP
        EXECUTE format('ALTER TABLE cc.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON cc.%I FOR SELECT TO cc_reader USING (cc.sees_street(street_id))',
                       t || '_by_street', t);
        EXECUTE format('CREATE POLICY exec_all ON cc.%I FOR ALL TO cc_exec USING (true) WITH CHECK (true)', t);
        EXECUTE format('GRANT SELECT ON cc.%I TO cc_reader', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE ON cc.%I TO cc_exec', t);
    END LOOP;
END $$;

-- ---------------------------------------------------------------- working time
-- Minutes of working time (cc.work_period on working days, cc.is_workday) in [p_from, p_to):
-- the measure of handling time, and what a stopped clock keeps of a work-hour deadline.
-- Negative when p_to is before p_from.
CREATE FUNCTION cc.work_minutes_between(p_from timestamptz, p_to timestamptz) RETURNS numeric
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_a timestamp;
    v_b timestamp;
    v_sum numeric := 0;
    v_day date;
    p record;
BEGIN
    IF p_from IS NULL OR p_to IS NULL THEN
        RETURN NULL;
    END IF;
    IF p_to < p_from THEN
        RETURN -cc.work_minutes_between(p_to, p_from);
    END IF;
    IF p_to - p_from > interval '4000 days' THEN
        RAISE EXCEPTION 'working time over more than 4000 days (% to %) is not counted', p_from, p_to
            USING ERRCODE = 'CC009', HINT = 'Ask for a shorter period.';
    END IF;
    v_a := p_from AT TIME ZONE cc.local_tz();
    v_b := p_to AT TIME ZONE cc.local_tz();
    FOR v_day IN SELECT d::date FROM generate_series(v_a::date, v_b::date, interval '1 day') d LOOP
        CONTINUE WHEN NOT cc.is_workday(v_day);
        FOR p IN SELECT starts, ends FROM cc.work_period LOOP
            v_sum := v_sum + greatest(0, extract(epoch FROM least(v_b, v_day + p.ends)
                                                       - greatest(v_a, v_day + p.starts)) / 60);
        END LOOP;
    END LOOP;
    RETURN v_sum;
END $$;
COMMENT ON FUNCTION cc.work_minutes_between(timestamptz, timestamptz) IS
    'Working minutes (work periods of working days, in the district''s time zone) from p_from to p_to.';
GRANT EXECUTE ON FUNCTION cc.work_minutes_between(timestamptz, timestamptz) TO cc_reader, cc_exec;
