-- 0012: the doorbell without a table lookup (issue 10, first start within 30 s).
--
-- Replaces cc._event_notify (0004). It rang once per transaction and street, and to know
-- whether it had rung it searched the event table for an earlier event of the same
-- transaction and street. That search cost 1.9 ms an event while the demo history played
-- (19 of the 41 s its first 6,000 actions took: the check, not pg_notify, measured with
-- track_functions): most of why the first start took 60 s instead of 30.
--
-- Now it rings once per transaction, for its first event, and remembers that it has rung in a
-- setting local to the transaction (reverted with it, and with a savepoint rolled back, whose
-- notification PostgreSQL drops as well). The payload is unchanged: {"e": <event id>}, no
-- case, street or action (NOTIFY bypasses row-level security). A street has no doorbell of its
-- own to lose: the payload never named the street, and every console reads what it may see.
--
-- A console can set the setting itself and so keep its own transaction from ringing; the
-- events are committed all the same and every console reads them at its next heartbeat
-- (ChangeFeed.heartbeat_s) — a console can delay only the news of its own work, as it could by
-- not committing.
SET LOCAL ROLE cc_owner;

CREATE OR REPLACE FUNCTION cc._event_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cc.doorbell_rang', true) IS DISTINCT FROM NEW.txid::text THEN
        PERFORM set_config('cc.doorbell_rang', NEW.txid::text, true);
        PERFORM pg_notify('cc_events', json_build_object('e', NEW.id)::text);
    END IF;
    RETURN NULL;
END $$;

RESET ROLE;
