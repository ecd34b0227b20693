-- Revision 0006, part 2: Open311 GeoReport v2 (issue 12).
SET LOCAL ROLE cc_owner;

-- Open311 requests are a source of their own (the board and the key figures tell them apart).
INSERT INTO cc.case_source (code, name, name_en, sort) VALUES ('open311', '开放接口', 'Open311', 6)
ON CONFLICT (code) DO NOTHING;

-- ---------------------------------------------------------------- service codes ↔ categories
-- The GeoReport v2 service list: one service per category item (level 3). A service code is
-- what Open311 clients send; the category is what the workflow knows. Edit rows here to rename
-- a service, give it keywords or retire an item's code; the client keeps no copy.
CREATE TABLE cc.open311_service (
    service_code text PRIMARY KEY CHECK (service_code ~ '^[A-Za-z0-9._-]{1,40}$'),
    category_id  integer NOT NULL UNIQUE REFERENCES cc.category,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_en      text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    keywords     text[] NOT NULL DEFAULT '{}',
    "group"      text NOT NULL CHECK (length("group") BETWEEN 1 AND 200),
    group_en     text NOT NULL CHECK (length(group_en) BETWEEN 1 AND 200)
);
COMMENT ON TABLE cc.open311_service IS
    'Open311 GeoReport v2 services: service_code → a category item (level 3) of cc.category.';

CREATE FUNCTION cc._open311_service_is_item() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM cc.category WHERE id = NEW.category_id AND level = 3;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Open311 service % must map to a category item (level 3); category % is not one',
                        cc._quote(NEW.service_code), NEW.category_id
            USING ERRCODE = 'CC005', HINT = 'Use the id of a row of cc.category where level = 3.';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER open311_service_is_item BEFORE INSERT OR UPDATE ON cc.open311_service
    FOR EACH ROW EXECUTE FUNCTION cc._open311_service_is_item();

-- Seeded for every category item: the item's code is its service code.
INSERT INTO cc.open311_service (service_code, category_id, name, name_en, description, keywords, "group", group_en)
SELECT i.code, i.id, i.name, i.name_en,
       c.name || ' / ' || s.name || ' / ' || i.name || ' — ' || c.name_en || ' / ' || s.name_en || ' / ' || i.name_en,
       ARRAY[s.name, s.name_en, c.name, c.name_en] || CASE WHEN i.must_report THEN ARRAY['九必报'] ELSE '{}' END,
       c.name, c.name_en
  FROM cc.category i
  JOIN cc.category s ON s.id = i.parent_id
  JOIN cc.category c ON c.id = s.parent_id
 WHERE i.level = 3
ON CONFLICT DO NOTHING;

-- ---------------------------------------------------------------- imported requests
-- One row per imported Open311 request: its external id (the sender's service_request_id or
-- token) ↔ the case it created. The primary key makes an import run twice create nothing twice.
-- Street-scoped like the case: row-level security by the case's street. The submitter's e-mail
-- is private like a caller's phone (operators only).
CREATE TABLE cc.open311_request (
    external_id  text PRIMARY KEY CHECK (length(external_id) BETWEEN 1 AND 200),
    case_id      bigint NOT NULL UNIQUE REFERENCES cc."case",
    street_id    integer NOT NULL REFERENCES cc.street,
    service_code text NOT NULL REFERENCES cc.open311_service,
    media_url    text CHECK (length(media_url) <= 2000),
    email        text CHECK (length(email) <= 254),
    device_id    text CHECK (length(device_id) <= 200),
    account_id   text CHECK (length(account_id) <= 200),
    imported_at  timestamptz NOT NULL,
    imported_by  text NOT NULL
);
CREATE INDEX ON cc.open311_request (street_id);
COMMENT ON TABLE cc.open311_request IS
    'Imported Open311 requests: external id ↔ case (unique both ways), written only by cc.open311_import.';

ALTER TABLE cc.open311_request ENABLE ROW LEVEL SECURITY;
CREATE POLICY open311_request_by_street ON cc.open311_request FOR SELECT TO cc_reader
    USING (cc.sees_street(street_id));
CREATE POLICY exec_all ON cc.open311_request FOR ALL TO cc_exec USING (true) WITH CHECK (true);

REVOKE ALL ON cc.open311_service, cc.open311_request FROM PUBLIC;
GRANT SELECT ON cc.open311_service TO cc_reader, cc_exec;
GRANT SELECT (external_id, case_id, street_id, service_code, media_url, device_id, account_id, imported_at, imported_by)
    ON cc.open311_request TO cc_reader;
GRANT SELECT ON cc.open311_request TO cc_operator, cc_exec;
GRANT INSERT ON cc.open311_request TO cc_exec;

-- ---------------------------------------------------------------- functions
-- Which of these external ids are imported already, and as which case: for every caller, also
-- for ids imported by another street (then case_id and case_code are NULL: not its business).
CREATE FUNCTION cc.open311_imported(p_external_ids text[])
RETURNS TABLE (external_id text, case_id bigint, case_code text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
    SELECT r.external_id,
           CASE WHEN cc.sees_street(r.street_id) THEN r.case_id END,
           CASE WHEN cc.sees_street(r.street_id) THEN c.code END
      FROM cc.open311_request r JOIN cc."case" c ON c.id = r.case_id
     WHERE r.external_id = ANY (p_external_ids[1:10000])
$$;
COMMENT ON FUNCTION cc.open311_imported(text[]) IS
    'Open311: which external ids are imported already (case shown only within the caller''s area).';

-- Import one Open311 request: the case through cc.report (source open311; every rule and
-- bound of cc.report applies, as the signed-in account), and the external id ↔ case row.
-- An id imported before returns its case with created = false and creates nothing.
-- Position in GCJ-02 (the client converts from WGS-84).
CREATE FUNCTION cc.open311_import(
    p_external_id text, p_service_code text, p_lon float8, p_lat float8, p_title text,
    p_description text DEFAULT '', p_address text DEFAULT '', p_media_url text DEFAULT NULL,
    p_reporter_name text DEFAULT NULL, p_reporter_phone text DEFAULT NULL, p_email text DEFAULT NULL,
    p_device_id text DEFAULT NULL, p_account_id text DEFAULT NULL)
RETURNS TABLE (case_id bigint, created boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    svc  cc.open311_service;
    cat  cc.category;
    prev cc.open311_request;
    v_id text;
    v_case bigint;
    v_street integer;
BEGIN
    PERFORM cc._account();
    IF NOT cc._has_capability('operator') THEN
        RAISE EXCEPTION 'importing Open311 requests needs the operator role; login "%" does not have it', session_user
            USING ERRCODE = '42501', HINT = 'Sign in with an operator, supervisor or administrator account.';
    END IF;
    v_id := cc._text_arg(p_external_id, 'the Open311 service_request_id', 200);
    IF v_id IS NULL OR v_id !~ '[^[:space:]]' THEN
        RAISE EXCEPTION 'an Open311 request needs its service_request_id (or token) to be imported once'
            USING ERRCODE = 'CC009', HINT = 'Give every request the sender''s service_request_id or token.';
    END IF;
    -- One importer per external id at a time: the second waits and then finds the first's row.
    PERFORM pg_advisory_xact_lock(hashtextextended('cc.open311:' || v_id, 0));
    SELECT * INTO prev FROM cc.open311_request r WHERE r.external_id = v_id;
    IF FOUND THEN
        RETURN QUERY SELECT CASE WHEN cc.sees_street(prev.street_id) THEN prev.case_id END, false;
        RETURN;
    END IF;
    SELECT * INTO svc FROM cc.open311_service s WHERE s.service_code = p_service_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown Open311 service_code %', cc._quote(p_service_code) USING ERRCODE = 'CC005',
            HINT = 'Use a service_code of cc.open311_service (commandcenter open311 services).';
    END IF;
    SELECT * INTO cat FROM cc.category WHERE id = svc.category_id;
    v_case := cc.report('open311', cat.code, p_title, p_lon, p_lat, coalesce(p_description, ''),
                        coalesce(p_address, ''), 'normal', NULL, NULL, p_reporter_name, p_reporter_phone, false);
    SELECT c.street_id INTO v_street FROM cc."case" c WHERE c.id = v_case;
    INSERT INTO cc.open311_request (external_id, case_id, street_id, service_code, media_url, email, device_id,
                                    account_id, imported_at, imported_by)
    VALUES (v_id, v_case, v_street, svc.service_code,
            nullif(cc._text_arg(p_media_url, 'the media_url', 2000), ''),
            nullif(cc._text_arg(p_email, 'the email', 254), ''),
            nullif(cc._text_arg(p_device_id, 'the device_id', 200), ''),
            nullif(cc._text_arg(p_account_id, 'the account_id', 200), ''),
            cc.clock(), session_user);
    RETURN QUERY SELECT v_case, true;
END $$;
COMMENT ON FUNCTION cc.open311_import(text, text, float8, float8, text, text, text, text, text, text, text, text, text) IS
    'Open311: create the case of one request through cc.report (source open311), once per external id.';

REVOKE EXECUTE ON FUNCTION cc._open311_service_is_item(), cc.open311_imported(text[]),
    cc.open311_import(text, text, float8, float8, text, text, text, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cc.open311_imported(text[]),
    cc.open311_import(text, text, float8, float8, text, text, text, text, text, text, text, text, text)
    TO cc_reader, cc_exec;
