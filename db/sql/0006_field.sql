-- Revision 0006, part 3: field reports with photos (issue 12).
--
-- A grid worker's handheld terminal reports through cc.report and sends its photos through
-- cc.add_attachment, now tagged 远景/近景 (view: far|near) and 处置前/处置后 (stage:
-- before|after), each with a thumbnail made once on the terminal or the console and kept beside
-- the photo, so that a case detail shows every photo at a glance without loading the photos.
SET LOCAL ROLE cc_owner;

-- ---------------------------------------------------------------- limits
ALTER TABLE cc.input_limit DROP CONSTRAINT input_limit_unit_check;
ALTER TABLE cc.input_limit ADD CONSTRAINT input_limit_unit_check
    CHECK (unit IN ('characters', 'bytes', 'count', 'minutes', 'hours', 'days', 'metres', 'pixels'));
INSERT INTO cc.input_limit (code, value, unit, description) VALUES
    ('thumbnail_bytes', 65536, 'bytes', 'the thumbnail kept beside one photo'),
    ('thumbnail_pixels', 240, 'pixels', 'the longer side of a thumbnail');

-- ---------------------------------------------------------------- tags and thumbnails
-- Readable like every other photo column (cc_reader's table grant, row-level security by
-- street); written only by cc.add_attachment (cc_exec's table INSERT).
ALTER TABLE cc.attachment
    ADD COLUMN view text CHECK (view IN ('far', 'near')),
    ADD COLUMN stage text CHECK (stage IN ('before', 'after')),
    ADD COLUMN thumbnail bytea,
    ADD COLUMN thumbnail_mime text CHECK (thumbnail_mime IN ('image/jpeg', 'image/png')),
    ADD CONSTRAINT attachment_thumbnail_whole CHECK ((thumbnail IS NULL) = (thumbnail_mime IS NULL));
COMMENT ON COLUMN cc.attachment.view IS '远景 far (the whole scene) or 近景 near (the detail); NULL: not tagged.';
COMMENT ON COLUMN cc.attachment.stage IS '处置前 before or 处置后 after handling; NULL: not tagged.';
COMMENT ON COLUMN cc.attachment.thumbnail IS
    'JPEG or PNG, at most thumbnail_pixels a side and thumbnail_bytes (cc.input_limit); made once at upload.';

-- The format and size of a JPEG or PNG read from its bytes (the PNG IHDR, the JPEG frame
-- header), NULL where the bytes are not one. Nothing is decoded: a thumbnail that claims to be
-- small is taken at its header's word, and the viewer scales whatever it gets.
CREATE FUNCTION cc._image_box(p bytea, OUT mime text, OUT width integer, OUT height integer)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    n integer := length(p);
    pos integer := 2;
    marker integer;
BEGIN
    IF p IS NULL OR n < 24 THEN
        RETURN;
    END IF;
    IF substring(p FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea THEN
        IF substring(p FROM 9 FOR 8) <> '\x0000000d49484452'::bytea THEN
            RETURN;                                    -- a PNG starts with its IHDR chunk
        END IF;
        mime := 'image/png';
        width := (get_byte(p, 16) << 24) | (get_byte(p, 17) << 16) | (get_byte(p, 18) << 8) | get_byte(p, 19);
        height := (get_byte(p, 20) << 24) | (get_byte(p, 21) << 16) | (get_byte(p, 22) << 8) | get_byte(p, 23);
        RETURN;
    END IF;
    IF substring(p FROM 1 FOR 3) <> '\xffd8ff'::bytea THEN
        RETURN;
    END IF;
    -- JPEG: walk the marker segments to the first frame header (SOF0–SOF15 but DHT, JPG, DAC).
    WHILE pos + 9 <= n LOOP
        IF get_byte(p, pos) <> 255 THEN
            RETURN;
        END IF;
        marker := get_byte(p, pos + 1);
        IF marker = 255 THEN
            pos := pos + 1;                            -- fill byte
        ELSIF marker = 1 OR marker BETWEEN 208 AND 216 THEN
            pos := pos + 2;                            -- TEM, RSTn, SOI: no length
        ELSIF marker = 218 OR marker = 217 THEN
            RETURN;                                    -- scan or end before any frame header
        ELSIF marker BETWEEN 192 AND 207 AND marker NOT IN (196, 200, 204) THEN
            mime := 'image/jpeg';
            height := (get_byte(p, pos + 5) << 8) | get_byte(p, pos + 6);
            width := (get_byte(p, pos + 7) << 8) | get_byte(p, pos + 8);
            RETURN;
        ELSE
            pos := pos + 2 + ((get_byte(p, pos + 2) << 8) | get_byte(p, pos + 3));
        END IF;
    END LOOP;
END $$;
COMMENT ON FUNCTION cc._image_box(bytea) IS
    'mime, width, height of JPEG or PNG bytes from their headers; NULLs when they are neither.';

-- ---------------------------------------------------------------- the one attachment function
-- Replacing a function owned by cc_exec needs the migrating superuser; harden.sql gives the new
-- one to cc_exec and pins its search_path like every definer function.
RESET ROLE;
DROP FUNCTION cc.add_attachment(bigint, text, bytea);

-- As in 0005_rules.sql (capability through cc._may / cc._may_on, limits from cc.input_limit,
-- the photo's signature, per-case and per-day counts under the event counter's lock), and:
-- the tags (view far|near, stage before|after) and a thumbnail (JPEG or PNG by its bytes, at
-- most thumbnail_bytes and thumbnail_pixels a side). Anything refused changes nothing.
CREATE FUNCTION cc.add_attachment(p_case bigint, p_filename text, p_content bytea,
                                  p_view text DEFAULT NULL, p_stage text DEFAULT NULL,
                                  p_thumbnail bytea DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cc, pg_temp AS $$
DECLARE
    c cc."case";
    acct cc.console_account;
    v_mime text;
    v_id bigint;
    v_name text;
    v_max integer := cc._limit_of('photo_bytes');
    v_per_case integer := cc._limit_of('photos_per_case');
    v_per_day integer := cc._limit_of('photos_per_login_day');
    v_thumb_max integer := cc._limit_of('thumbnail_bytes');
    v_thumb_side integer := cc._limit_of('thumbnail_pixels');
    v_box record;
    v_thumb_mime text;
    act cc.workflow_action;
BEGIN
    acct := cc._account();
    SELECT * INTO act FROM cc.workflow_action WHERE code = 'attach';
    IF NOT cc._may(act) THEN
        RAISE EXCEPTION 'adding photos needs the % role', cc._roles_of(act)
            USING ERRCODE = '42501', HINT = 'Sign in with a field terminal, handler, operator or supervisor account.';
    END IF;
    SELECT * INTO c FROM cc."case" WHERE id = p_case FOR UPDATE;
    IF NOT FOUND OR NOT cc.sees_street(c.street_id) THEN
        RAISE EXCEPTION 'case % does not exist or is outside your area', p_case
            USING ERRCODE = 'CC008', HINT = 'Check the case number; a street sub-centre sees only its own street.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM cc.state_action WHERE from_state = c.state AND action = act.code) THEN
        RAISE EXCEPTION 'case % is finished (%); photos are added while it is open', c.code, c.state
            USING ERRCODE = 'CC001', HINT = 'Attach photos before the case is closed.';
    END IF;
    IF NOT cc._may_on(act, c, acct) THEN
        RAISE EXCEPTION 'case % is not assigned to you; a handler adds photos to the cases it handles', c.code
            USING ERRCODE = '42501', HINT = 'Only the assigned unit or person, a field terminal or an operator may add them.';
    END IF;
    -- The counts below must see every photo committed before this one: take the event counter
    -- (the lock cc._log takes anyway, held to commit) first (see 0005_rules.sql).
    PERFORM 1 FROM cc.event_counter FOR UPDATE;
    IF (SELECT count(*) FROM cc.attachment WHERE case_id = c.id) >= v_per_case THEN
        RAISE EXCEPTION 'case % has % photos already, the most one case keeps', c.code, v_per_case
            USING ERRCODE = 'CC007', HINT = 'Choose the photos that show the problem best.';
    END IF;
    IF (SELECT count(*) FROM cc.attachment
         WHERE uploaded_by = session_user AND uploaded_at > cc.clock() - interval '1 day') >= v_per_day THEN
        RAISE EXCEPTION 'login "%" has added % photos in the last 24 hours, the most one account may', session_user, v_per_day
            USING ERRCODE = 'CC007', HINT = 'Ask the administrator if a field day really needs more.';
    END IF;
    v_name := cc._text_arg(p_filename, 'the file name', cc._limit_of('filename_chars'));
    IF v_name IS NULL OR v_name = '' THEN
        RAISE EXCEPTION 'a photo needs a file name of 1 to % characters', cc._limit_of('filename_chars')
            USING ERRCODE = 'CC009', HINT = 'Name the file, e.g. photo.jpg.';
    END IF;
    IF p_view IS NOT NULL AND p_view NOT IN ('far', 'near') THEN
        RAISE EXCEPTION 'unknown view %', cc._quote(p_view)
            USING ERRCODE = 'CC009', HINT = 'Tag the photo far (远景) or near (近景), or leave it untagged.';
    END IF;
    IF p_stage IS NOT NULL AND p_stage NOT IN ('before', 'after') THEN
        RAISE EXCEPTION 'unknown stage %', cc._quote(p_stage)
            USING ERRCODE = 'CC009', HINT = 'Tag the photo before (处置前) or after (处置后) handling, or leave it untagged.';
    END IF;
    IF p_content IS NULL OR length(p_content) = 0 THEN
        RAISE EXCEPTION 'the photo % is empty', cc._quote(v_name)
            USING ERRCODE = 'CC007', HINT = 'Attach the photo file itself.';
    END IF;
    IF length(p_content) > v_max THEN
        RAISE EXCEPTION 'the photo % is % bytes; at most % bytes (% MiB) are accepted',
                        cc._quote(v_name), length(p_content), v_max, round(v_max / 1048576.0, 1)
            USING ERRCODE = 'CC007', HINT = 'Reduce its size or resolution and attach it again.';
    END IF;
    -- Trust the bytes, not the name: JPEG, PNG and WebP signatures.
    v_mime := CASE
        WHEN substring(p_content FROM 1 FOR 3) = '\xffd8ff'::bytea THEN 'image/jpeg'
        WHEN substring(p_content FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea THEN 'image/png'
        WHEN substring(p_content FROM 1 FOR 4) = '\x52494646'::bytea
             AND substring(p_content FROM 9 FOR 4) = '\x57454250'::bytea THEN 'image/webp'
    END;
    IF v_mime IS NULL THEN
        RAISE EXCEPTION '% is not a JPEG, PNG or WebP image', cc._quote(v_name)
            USING ERRCODE = 'CC007', HINT = 'Attach a photo in one of those formats.';
    END IF;
    IF p_thumbnail IS NOT NULL THEN
        IF length(p_thumbnail) > v_thumb_max THEN
            RAISE EXCEPTION 'the thumbnail of % is % bytes; at most % are accepted',
                            cc._quote(v_name), length(p_thumbnail), v_thumb_max
                USING ERRCODE = 'CC007', HINT = 'Send a thumbnail of at most 240 pixels a side, JPEG quality about 80.';
        END IF;
        v_box := cc._image_box(p_thumbnail);
        IF v_box.mime IS NULL OR v_box.width IS NULL OR v_box.height IS NULL THEN
            RAISE EXCEPTION 'the thumbnail of % is not a JPEG or PNG image', cc._quote(v_name)
                USING ERRCODE = 'CC007', HINT = 'Send the thumbnail as JPEG or PNG.';
        END IF;
        IF v_box.width NOT BETWEEN 1 AND v_thumb_side OR v_box.height NOT BETWEEN 1 AND v_thumb_side THEN
            RAISE EXCEPTION 'the thumbnail of % is % × % pixels; at most % a side', cc._quote(v_name),
                            v_box.width, v_box.height, v_thumb_side
                USING ERRCODE = 'CC007', HINT = 'Scale the photo to fit the thumbnail size and send that.';
        END IF;
        v_thumb_mime := v_box.mime;
    END IF;
    INSERT INTO cc.attachment (case_id, street_id, filename, mime, size_bytes, sha256, content, uploaded_by, uploaded_at,
                               view, stage, thumbnail, thumbnail_mime)
    VALUES (c.id, c.street_id, v_name, v_mime, length(p_content), sha256(p_content), p_content,
            session_user, cc.clock(), p_view, p_stage, p_thumbnail, v_thumb_mime)
    RETURNING id INTO v_id;
    PERFORM cc._log(c, 'attach', c.state, '', acct,
                    jsonb_strip_nulls(jsonb_build_object('attachment_id', v_id, 'mime', v_mime,
                                                         'bytes', length(p_content), 'view', p_view,
                                                         'stage', p_stage)));
    RETURN v_id;
END $$;
COMMENT ON FUNCTION cc.add_attachment(bigint, text, bytea, text, text, bytea) IS
    'A photo of an open case, tagged far|near and before|after, with its thumbnail; returns its id.';

GRANT EXECUTE ON FUNCTION cc._image_box(bytea) TO cc_exec;
GRANT EXECUTE ON FUNCTION cc.add_attachment(bigint, text, bytea, text, text, bytea) TO cc_reader, cc_exec;
