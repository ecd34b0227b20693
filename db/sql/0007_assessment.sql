-- Revision 0007, part 3: two-way assessment (条块双向考评, issue 13).
--
-- Streets (块) rate the units of the departments that work in them (条), and the departments
-- rate the streets, on a form kept as rows (cc.assessment_item). One rating is one filled-in
-- form: a period, the rating side (a street or a department), the target (a unit or a street),
-- a score per item and a comment. Rating the same target for the same period again replaces
-- the scores (the rating's revision goes up); every submission is kept in the append-only
-- cc.assessment_log. cc.assessment_summary aggregates per target for the evaluation panel and
-- the wall (aggregates only); the rows themselves are read under row-level security.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- limits
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('assessment_comment_chars', 1000, 'characters', 'the comment of one assessment form'),
    ('assessment_period_days', 366, 'days', 'the longest period one assessment form covers'),
    ('assessments_per_login_day', 300, 'count', 'assessment forms one login may submit in 24 hours');

-- ---------------------------------------------------------------- the form
CREATE TABLE cc.assessment_item (
    code           text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
    direction      text NOT NULL CHECK (direction IN ('street_rates_unit', 'department_rates_street')),
    name           text NOT NULL,
    name_en        text NOT NULL,
    description    text NOT NULL DEFAULT '',
    description_en text NOT NULL DEFAULT '',
    weight         numeric(6, 2) NOT NULL CHECK (weight > 0),
    max_score      smallint NOT NULL CHECK (max_score BETWEEN 1 AND 100),
    sort           smallint NOT NULL,
    active         boolean NOT NULL DEFAULT true        -- retired items stay for old ratings
);
COMMENT ON TABLE cc.assessment_item IS
    'The two-way assessment form (条块双向考评): items per direction, weight, highest score. Edit rows to change the form.';
-- Streets rate the units on how they answer the street's cases; departments rate the streets on
-- how they find, report and follow up problems (after the Dongcheng/Haidian evaluation rules).
INSERT INTO cc.assessment_item (code, direction, name, name_en, description, description_en, weight, max_score, sort) VALUES
    ('response_speed', 'street_rates_unit', '响应速度', 'Response speed',
     '接到派遣后及时响应、按时到场处置', 'Answers dispatches promptly and arrives on time', 30, 10, 1),
    ('handling_quality', 'street_rates_unit', '处置质量', 'Handling quality',
     '问题解决到位，少返工、少重复上报', 'Solves the problem for good: little rework, few repeat reports', 30, 10, 2),
    ('cooperation', 'street_rates_unit', '协作配合', 'Cooperation',
     '参与联合执法、街道协调会，信息共享', 'Joins joint operations and the street''s coordination meetings, shares information', 20, 10, 3),
    ('service_attitude', 'street_rates_unit', '服务态度', 'Service attitude',
     '对街道和居民的沟通态度与反馈', 'How it communicates with the street and residents, and reports back', 20, 10, 4),
    ('report_quality', 'department_rates_street', '案件上报质量', 'Case reporting quality',
     '上报准确、分类正确、图片与位置清楚', 'Reports are accurate, rightly classified, with clear photos and positions', 35, 10, 1),
    ('coordination', 'department_rates_street', '统筹协调', 'Coordination',
     '组织属地力量、协调多部门联动', 'Organises local forces and coordinates several departments', 30, 10, 2),
    ('follow_through', 'department_rates_street', '督促落实', 'Follow-through',
     '跟踪督办、核查结案及时', 'Follows cases up, verifies and closes them in time', 35, 10, 3);
GRANT SELECT ON cc.assessment_item TO cc_reader, cc_exec;

-- ---------------------------------------------------------------- ratings
-- One row per filled-in form: (direction, period, rater side, target) is unique; the scores
-- per item are cc.assessment_score. Exactly one rater column and one target column are set,
-- as the direction says.
CREATE TABLE cc.assessment (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    direction           text NOT NULL CHECK (direction IN ('street_rates_unit', 'department_rates_street')),
    period_start        date NOT NULL,
    period_end          date NOT NULL,
    rater_street_id     integer REFERENCES cc.street,
    rater_department_id integer REFERENCES cc.department,
    target_unit_id      integer REFERENCES cc.unit,
    target_street_id    integer REFERENCES cc.street,
    comment             text NOT NULL DEFAULT '',
    rated_by            text NOT NULL,            -- the login that submitted the latest revision
    rated_at            timestamptz NOT NULL,
    on_behalf           boolean NOT NULL DEFAULT false,   -- recorded by the district centre from a paper form
    revision            integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    CHECK (period_end >= period_start AND isfinite(period_start) AND isfinite(period_end)),
    CHECK (CASE direction
               WHEN 'street_rates_unit' THEN rater_street_id IS NOT NULL AND rater_department_id IS NULL
                                             AND target_unit_id IS NOT NULL AND target_street_id IS NULL
               ELSE rater_department_id IS NOT NULL AND rater_street_id IS NULL
                    AND target_street_id IS NOT NULL AND target_unit_id IS NULL END),
    CONSTRAINT assessment_one_per_side UNIQUE NULLS NOT DISTINCT
        (direction, period_start, period_end, rater_street_id, rater_department_id, target_unit_id, target_street_id)
);
CREATE INDEX assessment_period_idx ON cc.assessment (direction, period_start, period_end);
COMMENT ON TABLE cc.assessment IS
    'A two-way assessment form filled in (cc.assess): period, rating street or department, target unit or street, comment, latest revision.';

CREATE TABLE cc.assessment_score (
    assessment_id bigint NOT NULL REFERENCES cc.assessment ON DELETE CASCADE,
    item_code     text NOT NULL REFERENCES cc.assessment_item,
    score         smallint NOT NULL CHECK (score >= 0),
    PRIMARY KEY (assessment_id, item_code)
);
COMMENT ON TABLE cc.assessment_score IS 'The score of one item of a two-way assessment form (its latest revision).';

-- Every submission, as it was sent: the audit trail of replaced ratings. Append-only.
CREATE TABLE cc.assessment_log (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id       bigint NOT NULL REFERENCES cc.assessment,
    revision            integer NOT NULL,
    rater_street_id     integer,
    rater_department_id integer,
    target_unit_id      integer,
    target_street_id    integer,
    scores              jsonb NOT NULL,           -- {"item_code": score, …}
    comment             text NOT NULL,
    rated_by            text NOT NULL,
    rated_at            timestamptz NOT NULL,
    on_behalf           boolean NOT NULL
);
CREATE INDEX assessment_log_rater_idx ON cc.assessment_log (rated_by, rated_at);
CREATE INDEX assessment_log_assessment_idx ON cc.assessment_log (assessment_id, revision);
COMMENT ON TABLE cc.assessment_log IS 'Every submitted two-way assessment form, also those replaced later (append-only).';
CREATE TRIGGER assessment_log_immutable BEFORE UPDATE OR DELETE ON cc.assessment_log
    FOR EACH ROW EXECUTE FUNCTION cc._event_immutable();
CREATE TRIGGER assessment_log_no_truncate BEFORE TRUNCATE ON cc.assessment_log
    FOR EACH STATEMENT EXECUTE FUNCTION cc._event_immutable();

-- One row per login that has assessed: cc.assess locks it, so that one login's connections
-- count their submissions one after another (no console can read or lock it).
CREATE TABLE cc.assessment_quota (
    login   text PRIMARY KEY,
    last_at timestamptz NOT NULL
);
COMMENT ON TABLE cc.assessment_quota IS 'Serialises one login''s assessments while cc.assess counts them (assessments_per_login_day).';

-- ---------------------------------------------------------------- who sees which ratings
-- A street sub-centre (operator or supervisor) sees the forms its street gave and those about
-- its street; a unit's console the forms its department gave and those about its unit; the
-- district centre's operators and supervisors, and administrators, every form; the wall and
-- field terminals none (they read cc.assessment_summary, aggregates only).
CREATE FUNCTION cc.sees_assessment(p_rater_street integer, p_rater_department integer,
                                   p_target_unit integer, p_target_street integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
    SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM cc.console_account WHERE login = session_user)
            THEN pg_has_role(session_user, 'cc_admin', 'MEMBER')
        ELSE EXISTS (
            SELECT 1 FROM cc.console_account a LEFT JOIN cc.unit u ON u.id = a.unit_id
             WHERE a.login = session_user
               AND ((a.street_id IS NULL AND a.unit_id IS NULL AND pg_has_role(session_user, 'cc_operator', 'MEMBER'))
                 OR (a.street_id IS NOT NULL AND pg_has_role(session_user, 'cc_operator', 'MEMBER')
                     AND (a.street_id = p_rater_street OR a.street_id = p_target_street))
                 OR (a.unit_id IS NOT NULL AND (u.department_id = p_rater_department OR a.unit_id = p_target_unit))))
    END
$$;
COMMENT ON FUNCTION cc.sees_assessment(integer, integer, integer, integer) IS
    'Row-level security predicate: may the signed-in login read this two-way assessment form?';
GRANT EXECUTE ON FUNCTION cc.sees_assessment(integer, integer, integer, integer) TO cc_reader, cc_exec;

ALTER TABLE cc.assessment ENABLE ROW LEVEL SECURITY;
CREATE POLICY assessment_by_side ON cc.assessment FOR SELECT TO cc_reader
    USING (cc.sees_assessment(rater_street_id, rater_department_id, target_unit_id, target_street_id));
CREATE POLICY exec_all ON cc.assessment FOR ALL TO cc_exec USING (true) WITH CHECK (true);
ALTER TABLE cc.assessment_score ENABLE ROW LEVEL SECURITY;
CREATE POLICY assessment_score_by_side ON cc.assessment_score FOR SELECT TO cc_reader
    USING (EXISTS (SELECT 1 FROM cc.assessment a WHERE a.id = assessment_id));   -- the form's own policy applies
CREATE POLICY exec_all ON cc.assessment_score FOR ALL TO cc_exec USING (true) WITH CHECK (true);
ALTER TABLE cc.assessment_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY assessment_log_by_side ON cc.assessment_log FOR SELECT TO cc_reader
    USING (cc.sees_assessment(rater_street_id, rater_department_id, target_unit_id, target_street_id));
CREATE POLICY exec_all ON cc.assessment_log FOR ALL TO cc_exec USING (true) WITH CHECK (true);
ALTER TABLE cc.assessment_quota ENABLE ROW LEVEL SECURITY;
CREATE POLICY exec_all ON cc.assessment_quota FOR ALL TO cc_exec USING (true) WITH CHECK (true);

GRANT SELECT ON cc.assessment, cc.assessment_score, cc.assessment_log TO cc_reader;
GRANT SELECT, INSERT, UPDATE ON cc.assessment TO cc_exec;
GRANT SELECT, INSERT, DELETE ON cc.assessment_score TO cc_exec;
GRANT SELECT, INSERT ON cc.assessment_log TO cc_exec;
GRANT SELECT, INSERT, UPDATE ON cc.assessment_quota TO cc_exec;

-- ---------------------------------------------------------------- who rates on behalf of whom
CREATE FUNCTION cc._assess_direction(p_direction text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_direction IS NULL OR p_direction NOT IN ('street_rates_unit', 'department_rates_street') THEN
        RAISE EXCEPTION 'unknown assessment direction %', cc._quote(p_direction) USING ERRCODE = 'CC009',
            HINT = 'Use street_rates_unit (a street rates units) or department_rates_street (a department rates streets).';
    END IF;
    RETURN p_direction;
END $$;

-- The one rule of who rates: the side the account rates for, NULL when it is a district-wide
-- supervisor or administrator (who records a named street's or department's paper form), or a
-- refusal (42501). A street sub-centre (operator or supervisor) rates units for its street; a
-- unit's console (handler) rates streets for the unit's department; neither rates its own side.
CREATE FUNCTION cc._assess_side(p_direction text, p_acct cc.console_account) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_direction = 'street_rates_unit' THEN
        IF p_acct.unit_id IS NOT NULL THEN
            RAISE EXCEPTION 'login "%" is the console of a unit: a department''s unit does not rate units', session_user
                USING ERRCODE = '42501', HINT = 'A unit''s console rates streets (department_rates_street); units are rated by the streets.';
        END IF;
        IF p_acct.street_id IS NOT NULL THEN
            IF NOT cc._has_capability('operator') THEN
                RAISE EXCEPTION 'rating units for a street needs the operator or supervisor role; login "%" does not have it', session_user
                    USING ERRCODE = '42501', HINT = 'Sign in with the street sub-centre''s operator or supervisor account.';
            END IF;
            RETURN p_acct.street_id;
        END IF;
    ELSE
        IF p_acct.unit_id IS NOT NULL THEN
            IF NOT (cc._has_capability('handler') OR cc._has_capability('supervisor')) THEN
                RAISE EXCEPTION 'rating streets for a department needs the handler role of one of its units; login "%" does not have it', session_user
                    USING ERRCODE = '42501', HINT = 'Sign in with the unit''s console account.';
            END IF;
            RETURN (SELECT department_id FROM cc.unit WHERE id = p_acct.unit_id);
        END IF;
        IF p_acct.street_id IS NOT NULL THEN
            RAISE EXCEPTION 'login "%" is a street sub-centre: a street does not rate streets', session_user
                USING ERRCODE = '42501', HINT = 'A street rates the departments'' units (street_rates_unit); streets are rated by the departments.';
        END IF;
    END IF;
    IF NOT cc._has_capability('supervisor') THEN
        RAISE EXCEPTION 'recording an assessment form for a street or department needs the supervisor role; login "%" does not have it', session_user
            USING ERRCODE = '42501', HINT = 'The district centre''s supervisor records the paper forms.';
    END IF;
    RETURN NULL;
END $$;

-- May this side rate this target: a street rates the district-level units and its own street's
-- units; a department rates every street, through a street-level unit only that unit's street.
CREATE FUNCTION cc._assess_target_ok(p_direction text, p_side integer, p_target integer, p_acct cc.console_account)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE p_direction
        WHEN 'street_rates_unit' THEN EXISTS (
            SELECT 1 FROM cc.unit u WHERE u.id = p_target AND (u.street_id IS NULL OR u.street_id = p_side))
        ELSE EXISTS (
            SELECT 1 FROM cc.street s WHERE s.id = p_target
               AND (p_acct.unit_id IS NULL
                    OR coalesce((SELECT u.street_id FROM cc.unit u WHERE u.id = p_acct.unit_id), s.id) = s.id))
    END
$$;
GRANT EXECUTE ON FUNCTION cc._assess_direction(text), cc._assess_side(text, cc.console_account),
    cc._assess_target_ok(text, integer, integer, cc.console_account) TO cc_exec;

-- The sides the caller may rate for (its own one, or every street / department for the district
-- centre's supervisors); nothing when it may not rate in this direction.
CREATE FUNCTION cc.assessment_raters(p_direction text)
RETURNS TABLE (id integer, name text, name_en text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    acct  cc.console_account := cc._account();
    v_dir text := cc._assess_direction(p_direction);
    v_side integer;
BEGIN
    BEGIN
        v_side := cc._assess_side(v_dir, acct);
    EXCEPTION WHEN insufficient_privilege THEN
        RETURN;
    END;
    IF v_dir = 'street_rates_unit' THEN
        RETURN QUERY SELECT s.id, s.name, s.name_en FROM cc.street s
                      WHERE v_side IS NULL OR s.id = v_side ORDER BY s.code;
    ELSE
        RETURN QUERY SELECT d.id, d.name, d.name_en FROM cc.department d
                      WHERE v_side IS NULL OR d.id = v_side ORDER BY d.code;
    END IF;
END $$;
COMMENT ON FUNCTION cc.assessment_raters(text) IS
    'The streets or departments the signed-in console may rate for in this direction (its own; every one for district supervisors).';
GRANT EXECUTE ON FUNCTION cc.assessment_raters(text) TO cc_reader;

-- What the caller may rate for a side: units (with their department) or streets.
CREATE FUNCTION cc.assessment_targets(p_direction text, p_rater integer DEFAULT NULL)
RETURNS TABLE (id integer, code text, name text, name_en text, group_name text, group_name_en text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    acct  cc.console_account := cc._account();
    v_dir text := cc._assess_direction(p_direction);
    v_side integer := cc._assess_side(v_dir, acct);
BEGIN
    IF v_side IS NULL THEN
        v_side := p_rater;         -- district centre: the street or department named (none: nothing)
    ELSIF p_rater IS NOT NULL AND p_rater <> v_side THEN
        RETURN;
    END IF;
    IF v_dir = 'street_rates_unit' THEN
        RETURN QUERY SELECT u.id, u.code, u.name, u.name_en, d.name, d.name_en
                       FROM cc.unit u JOIN cc.department d ON d.id = u.department_id
                      WHERE v_side IS NOT NULL AND cc._assess_target_ok(v_dir, v_side, u.id, acct)
                      ORDER BY u.street_id NULLS FIRST, d.code, u.code;
    ELSE
        RETURN QUERY SELECT s.id, s.code, s.name, s.name_en, NULL::text, NULL::text
                       FROM cc.street s
                      WHERE v_side IS NOT NULL AND cc._assess_target_ok(v_dir, v_side, s.id, acct)
                      ORDER BY s.code;
    END IF;
END $$;
COMMENT ON FUNCTION cc.assessment_targets(text, integer) IS
    'The units (with department) or streets the signed-in console may rate for the given side.';
GRANT EXECUTE ON FUNCTION cc.assessment_targets(text, integer) TO cc_reader;

-- ---------------------------------------------------------------- rating
-- One form: every active item of the direction's form scored (0 … max_score), for a period
-- that has begun and lasts at most assessment_period_days. Again for the same period, side and
-- target: replaces the scores (revision + 1); each submission is logged.
CREATE FUNCTION cc.assess(p_direction text, p_period_start date, p_period_end date, p_target integer,
                          p_items text[], p_scores integer[], p_comment text DEFAULT NULL,
                          p_rater integer DEFAULT NULL,
                          OUT assessment_id bigint, OUT revision integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    acct    cc.console_account := cc._account();
    v_dir   text := cc._assess_direction(p_direction);
    v_side  integer := cc._assess_side(v_dir, acct);
    v_now   timestamptz := cc.clock();
    v_today date := (cc.clock() AT TIME ZONE cc.local_tz())::date;
    v_comment text;
    v_bad   text;
    v_n     integer;
    v_on_behalf boolean := v_side IS NULL;
BEGIN
    -- the side: one's own, or for the district centre the one named
    IF v_side IS NULL THEN
        IF p_rater IS NULL THEN
            RAISE EXCEPTION 'name the % whose assessment form this is', CASE v_dir WHEN 'street_rates_unit' THEN 'street' ELSE 'department' END
                USING ERRCODE = 'CC009', HINT = 'The district centre records a street''s or a department''s form on its behalf: give its id.';
        END IF;
        IF v_dir = 'street_rates_unit' THEN
            PERFORM 1 FROM cc.street WHERE id = p_rater;
        ELSE
            PERFORM 1 FROM cc.department WHERE id = p_rater;
        END IF;
        IF NOT FOUND THEN
            RAISE EXCEPTION '% % does not exist', CASE v_dir WHEN 'street_rates_unit' THEN 'street' ELSE 'department' END, p_rater
                USING ERRCODE = 'CC008', HINT = 'Pick the rating side from cc.assessment_raters.';
        END IF;
        v_side := p_rater;
    ELSIF p_rater IS NOT NULL AND p_rater <> v_side THEN
        RAISE EXCEPTION 'login "%" rates for its own % only (id %), not for %', session_user,
                        CASE v_dir WHEN 'street_rates_unit' THEN 'street' ELSE 'department' END, v_side, p_rater
            USING ERRCODE = '42501', HINT = 'Leave the rating side empty, or ask the district centre to record another side''s form.';
    END IF;
    -- the target
    IF p_target IS NULL THEN
        RAISE EXCEPTION 'name the % to rate', CASE v_dir WHEN 'street_rates_unit' THEN 'unit' ELSE 'street' END
            USING ERRCODE = 'CC009', HINT = 'Pick the target from cc.assessment_targets.';
    END IF;
    IF NOT cc._assess_target_ok(v_dir, v_side, p_target, acct) THEN
        RAISE EXCEPTION '% % does not exist or is outside your area', CASE v_dir WHEN 'street_rates_unit' THEN 'unit' ELSE 'street' END, p_target
            USING ERRCODE = 'CC008',
                  HINT = 'A street rates the district-level units and its own street''s units; a department rates the streets (a street''s unit only its street).';
    END IF;
    -- the period: begun, at most a year, finite
    IF p_period_start IS NULL OR p_period_end IS NULL OR NOT isfinite(p_period_start) OR NOT isfinite(p_period_end) THEN
        RAISE EXCEPTION 'the period needs a first and a last day' USING ERRCODE = 'CC009',
            HINT = 'For example 2026-01-01 to 2026-06-30 for the first half-year.';
    END IF;
    IF p_period_end < p_period_start THEN
        RAISE EXCEPTION 'the period ends (%) before it starts (%)', p_period_end, p_period_start USING ERRCODE = 'CC009',
            HINT = 'Give the first day, then the last day.';
    END IF;
    IF p_period_start > v_today THEN
        RAISE EXCEPTION 'the period starts in the future (%; today is %)', p_period_start, v_today USING ERRCODE = 'CC009',
            HINT = 'Rate a period that has begun.';
    END IF;
    IF p_period_end - p_period_start + 1 > cc._limit_of('assessment_period_days') THEN
        RAISE EXCEPTION 'the period is % days long; one form covers at most % days',
                        p_period_end - p_period_start + 1, cc._limit_of('assessment_period_days')
            USING ERRCODE = 'CC009', HINT = 'Rate a half-year or a year at most.';
    END IF;
    -- the scores: every active item of the form, once, within its range
    IF p_items IS NULL OR p_scores IS NULL OR cardinality(p_items) <> cardinality(p_scores)
       OR array_ndims(p_items) IS DISTINCT FROM 1 OR array_ndims(p_scores) IS DISTINCT FROM 1 THEN
        RAISE EXCEPTION 'give the items and their scores as two lists of the same length' USING ERRCODE = 'CC009',
            HINT = 'One score per item of the form (cc.assessment_item).';
    END IF;
    IF cardinality(p_items) > 100 THEN
        RAISE EXCEPTION 'too many items: %', cardinality(p_items) USING ERRCODE = 'CC009',
            HINT = 'One score per item of the form (cc.assessment_item).';
    END IF;
    SELECT x.code INTO v_bad FROM unnest(p_items) AS x(code)
     WHERE x.code IS NULL OR NOT EXISTS (SELECT 1 FROM cc.assessment_item i
                                          WHERE i.code = x.code AND i.direction = v_dir AND i.active)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'unknown assessment item % for %', cc._quote(v_bad), v_dir USING ERRCODE = 'CC009',
            HINT = 'Items of this form: ' || (SELECT string_agg(code, ', ' ORDER BY sort) FROM cc.assessment_item
                                               WHERE direction = v_dir AND active);
    END IF;
    SELECT x.code INTO v_bad FROM unnest(p_items) AS x(code) GROUP BY x.code HAVING count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'item % is scored twice', cc._quote(v_bad) USING ERRCODE = 'CC009',
            HINT = 'Give each item one score.';
    END IF;
    SELECT string_agg(i.code, ', ' ORDER BY i.sort) INTO v_bad FROM cc.assessment_item i
     WHERE i.direction = v_dir AND i.active AND i.code <> ALL (p_items);
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'every item of the form needs a score; missing: %', v_bad USING ERRCODE = 'CC009',
            HINT = 'Score every item; 0 is a score.';
    END IF;
    SELECT format('%s for %s (0 to %s)', coalesce(x.score::text, 'no score'), i.code, i.max_score) INTO v_bad
      FROM unnest(p_items, p_scores) AS x(code, score) JOIN cc.assessment_item i ON i.code = x.code
     WHERE x.score IS NULL OR x.score < 0 OR x.score > i.max_score
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'score out of range: %', v_bad USING ERRCODE = 'CC009',
            HINT = 'Each item is scored from 0 to its highest score (cc.assessment_item.max_score).';
    END IF;
    v_comment := coalesce(cc._text_arg(p_comment, 'the comment', cc._limit_of('assessment_comment_chars'), true), '');
    -- at most assessments_per_login_day forms a day per login, counted one after another
    INSERT INTO cc.assessment_quota AS q (login, last_at) VALUES (session_user, v_now)
        ON CONFLICT (login) DO UPDATE SET last_at = EXCLUDED.last_at;
    SELECT count(*) INTO v_n FROM cc.assessment_log
     WHERE rated_by = session_user AND rated_at > v_now - interval '1 day' AND rated_at <= v_now;   -- the clock's day (history)
    IF v_n >= cc._limit_of('assessments_per_login_day') THEN
        RAISE EXCEPTION 'login "%" has submitted % assessment forms in the last 24 hours, the most one account may',
                        session_user, v_n
            USING ERRCODE = 'CC009', HINT = 'Ask the administrator if a review really takes more (cc.input_limit assessments_per_login_day).';
    END IF;
    -- the form: new, or the same one replaced
    INSERT INTO cc.assessment AS a (direction, period_start, period_end, rater_street_id, rater_department_id,
                                    target_unit_id, target_street_id, comment, rated_by, rated_at, on_behalf)
    VALUES (v_dir, p_period_start, p_period_end,
            CASE WHEN v_dir = 'street_rates_unit' THEN v_side END,
            CASE WHEN v_dir = 'department_rates_street' THEN v_side END,
            CASE WHEN v_dir = 'street_rates_unit' THEN p_target END,
            CASE WHEN v_dir = 'department_rates_street' THEN p_target END,
            v_comment, session_user, v_now, v_on_behalf)
    ON CONFLICT ON CONSTRAINT assessment_one_per_side DO UPDATE
        SET comment = EXCLUDED.comment, rated_by = EXCLUDED.rated_by, rated_at = EXCLUDED.rated_at,
            on_behalf = EXCLUDED.on_behalf, revision = a.revision + 1
    RETURNING a.id, a.revision INTO assessment_id, revision;
    DELETE FROM cc.assessment_score s WHERE s.assessment_id = assess.assessment_id;
    INSERT INTO cc.assessment_score (assessment_id, item_code, score)
    SELECT assess.assessment_id, x.code, x.score FROM unnest(p_items, p_scores) AS x(code, score);
    INSERT INTO cc.assessment_log (assessment_id, revision, rater_street_id, rater_department_id, target_unit_id,
                                   target_street_id, scores, comment, rated_by, rated_at, on_behalf)
    SELECT a.id, a.revision, a.rater_street_id, a.rater_department_id, a.target_unit_id, a.target_street_id,
           (SELECT jsonb_object_agg(x.code, x.score) FROM unnest(p_items, p_scores) AS x(code, score)),
           a.comment, a.rated_by, a.rated_at, a.on_behalf
      FROM cc.assessment a WHERE a.id = assess.assessment_id;
END $$;
COMMENT ON FUNCTION cc.assess(text, date, date, integer, text[], integer[], text, integer) IS
    'Submit a two-way assessment form (条块双向考评): every item scored; again for the same period, side and target replaces it (logged).';
GRANT EXECUTE ON FUNCTION cc.assess(text, date, date, integer, text[], integer[], text, integer) TO cc_reader;

-- ---------------------------------------------------------------- aggregates
-- Per target rated in forms whose period overlaps [p_from, p_to] (both days included; a
-- half-year's forms stand beside the measures of any part of it):
-- raters = distinct rating sides, ratings = forms, score = the average over the forms of each
-- form's weighted score 100 × Σ(weight × score / max_score) / Σ(weight) (one decimal), items =
-- the average score of each item (two decimals, on the item's own scale). Aggregates only, for
-- every console (the wall included); who gave which score is read under row-level security.
CREATE FUNCTION cc.assessment_summary(p_from date, p_to date, p_direction text)
RETURNS TABLE (target_id integer, target_code text, target_name text, target_name_en text,
               group_name text, group_name_en text, raters integer, ratings integer,
               score numeric, items jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    acct  cc.console_account := cc._account();     -- registered consoles only
    v_dir text := cc._assess_direction(p_direction);
BEGIN
    IF p_from IS NULL OR p_to IS NULL OR p_to < p_from OR NOT isfinite(p_from) OR NOT isfinite(p_to) THEN
        RAISE EXCEPTION 'the summary needs a period: first day % and last day %', coalesce(p_from::text, 'none'), coalesce(p_to::text, 'none')
            USING ERRCODE = 'CC009', HINT = 'Give the first and the last day, the last not before the first.';
    END IF;
    RETURN QUERY
    WITH r AS (
        SELECT a.id, coalesce(a.target_unit_id, a.target_street_id) AS target,
               coalesce(a.rater_street_id, a.rater_department_id) AS rater
          FROM cc.assessment a
         WHERE a.direction = v_dir AND a.period_start <= p_to AND a.period_end >= p_from),
    per_form AS (
        SELECT r.id, r.target, r.rater,
               100.0 * sum(i.weight * s.score / i.max_score) / sum(i.weight) AS pct
          FROM r JOIN cc.assessment_score s ON s.assessment_id = r.id
          JOIN cc.assessment_item i ON i.code = s.item_code
         GROUP BY r.id, r.target, r.rater),
    per_item AS (
        SELECT r.target, s.item_code, round(avg(s.score), 2) AS average
          FROM r JOIN cc.assessment_score s ON s.assessment_id = r.id
         GROUP BY r.target, s.item_code),
    agg AS (
        SELECT f.target, count(DISTINCT f.rater)::integer AS raters, count(*)::integer AS ratings,
               round(avg(f.pct), 1) AS score
          FROM per_form f GROUP BY f.target)
    SELECT g.target, t.code, t.name, t.name_en, t.group_name, t.group_name_en, g.raters, g.ratings, g.score,
           (SELECT jsonb_object_agg(p.item_code, p.average) FROM per_item p WHERE p.target = g.target)
      FROM agg g
      JOIN (SELECT u.id, u.code, u.name, u.name_en, d.name AS group_name, d.name_en AS group_name_en
              FROM cc.unit u JOIN cc.department d ON d.id = u.department_id WHERE v_dir = 'street_rates_unit'
            UNION ALL
            SELECT s.id, s.code, s.name, s.name_en, NULL, NULL FROM cc.street s WHERE v_dir = 'department_rates_street') t
        ON t.id = g.target
     ORDER BY g.score DESC, t.code;
END $$;
COMMENT ON FUNCTION cc.assessment_summary(date, date, text) IS
    'Two-way assessment per target for forms whose period overlaps [from, to]: raters, forms, weighted score 0–100, average per item.';
GRANT EXECUTE ON FUNCTION cc.assessment_summary(date, date, text) TO cc_reader;
