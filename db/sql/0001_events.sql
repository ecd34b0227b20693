-- The case event table: dense ids in commit order, a NOTIFY doorbell, append-only, resync.
-- Replaced since: _event_notify (payload {"e"} only since 0004; once per transaction, without a table lookup, since 0012_doorbell.sql), _event_immutable — in 0004_input.sql / 0004_guard.sql (the rule in force is the
-- newest definition; this file is the history a migration replays).
SET LOCAL ROLE cc_owner;

-- Event ids come from a one-row counter whose row lock is held until the writing transaction
-- ends. The next writer waits, so ids are dense (no holes, aborts roll the counter back) and
-- a reader that sees id N also sees every id below N. This is what makes "events after my
-- last id" gap-safe. Cost: writers of events are serialised for the rest of their
-- transaction, so keep such transactions short (every cc.* action is one statement).
CREATE FUNCTION cc._event_id() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cc.event_counter SET last_id = last_id + 1 RETURNING last_id INTO NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER case_event_id BEFORE INSERT ON cc.case_event
    FOR EACH ROW EXECUTE FUNCTION cc._event_id();

-- Doorbell: one NOTIFY per transaction and street (per transaction since 0012), on channel cc_events. NOTIFY is sent at
-- commit, so listeners hear only committed changes. The payload names no person and no
-- text (NOTIFY bypasses row-level security): {"e": event id, "c": case id, "s": street id,
-- "k": action} of the transaction's first event in that street.
CREATE FUNCTION cc._event_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cc.case_event
                    WHERE txid = NEW.txid AND street_id = NEW.street_id AND id < NEW.id) THEN
        PERFORM pg_notify('cc_events',
                          json_build_object('e', NEW.id, 'c', NEW.case_id, 's', NEW.street_id,
                                            'k', NEW.action)::text);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER case_event_notify AFTER INSERT ON cc.case_event
    FOR EACH ROW EXECUTE FUNCTION cc._event_notify();

-- Append-only for every role, the owner included.
CREATE FUNCTION cc._event_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the case event table is append-only: % is refused', TG_OP
        USING ERRCODE = '42501', HINT = 'Record a correction as a new event through a cc.* function.';
END $$;
CREATE TRIGGER case_event_no_update BEFORE UPDATE OR DELETE ON cc.case_event
    FOR EACH ROW EXECUTE FUNCTION cc._event_immutable();
CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON cc.case_event
    FOR EACH STATEMENT EXECUTE FUNCTION cc._event_immutable();

-- Resync. Call both in one REPEATABLE READ transaction: events_after() gives the visible
-- events, event_horizon() the highest committed id, so a console whose role hides other
-- streets' events can still move its cursor past them.
CREATE FUNCTION cc.events_after(p_after bigint, p_limit integer DEFAULT 1000)
RETURNS SETOF cc.case_event
LANGUAGE sql STABLE AS $$
    SELECT * FROM cc.case_event WHERE id > p_after ORDER BY id LIMIT least(greatest(p_limit, 1), 100000)
$$;
COMMENT ON FUNCTION cc.events_after(bigint, integer) IS
    'Events with id > p_after that the caller may see, oldest first. Gap-safe: ids are dense and visible in id order.';

CREATE FUNCTION cc.event_horizon() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc AS $$
    SELECT last_id FROM cc.event_counter
$$;
COMMENT ON FUNCTION cc.event_horizon() IS 'Highest committed event id (visible or not to the caller).';
