-- commandcenter schema, revision 0001: territory, people and forces, taxonomy, calendar,
-- routing, cases, attachments and the append-only case event table.
-- Objects are owned by cc_owner (a NOLOGIN role), never by whoever ran the migration.

SET LOCAL ROLE cc_owner;

CREATE SCHEMA cc AUTHORIZATION cc_owner;
COMMENT ON SCHEMA cc IS 'commandcenter: grid-based social service management. Public API: see db/README.md';

-- ---------------------------------------------------------------- territory
CREATE TABLE cc.district (
    id          smallint PRIMARY KEY,
    code        text NOT NULL UNIQUE,              -- administrative code, e.g. 110101
    name        text NOT NULL,
    name_en     text NOT NULL,
    outline     jsonb NOT NULL,                    -- GeoJSON geometry, GCJ-02 lon/lat
    bbox        float8[] NOT NULL CHECK (cardinality(bbox) = 4)  -- min lon, min lat, max lon, max lat
);

CREATE TABLE cc.street (
    id          integer PRIMARY KEY,
    district_id smallint NOT NULL REFERENCES cc.district,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    name_en     text NOT NULL,
    kind        text NOT NULL DEFAULT 'street' CHECK (kind IN ('street', 'town')),
    outline     jsonb NOT NULL,
    bbox        float8[] NOT NULL CHECK (cardinality(bbox) = 4)
);

CREATE TABLE cc.community (
    id          integer PRIMARY KEY,
    street_id   integer NOT NULL REFERENCES cc.street,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    kind        text NOT NULL DEFAULT 'community' CHECK (kind IN ('community', 'village')),
    outline     jsonb NOT NULL,
    bbox        float8[] NOT NULL CHECK (cardinality(bbox) = 4)
);
CREATE INDEX ON cc.community (street_id);

CREATE TABLE cc.grid_type (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL
);

CREATE TABLE cc.management_level (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL
);

CREATE TABLE cc.grid (
    id           integer PRIMARY KEY,
    community_id integer NOT NULL REFERENCES cc.community,
    street_id    integer NOT NULL REFERENCES cc.street,  -- denormalised for row-level security
    code         text NOT NULL UNIQUE,
    name         text NOT NULL,
    grid_class   text NOT NULL DEFAULT 'community'
                 CHECK (grid_class IN ('community', 'key_unit', 'road')),
    grid_type    text NOT NULL REFERENCES cc.grid_type,
    mgmt_level   text NOT NULL REFERENCES cc.management_level,
    area_m2      float8 NOT NULL CHECK (area_m2 > 0),
    buildings    integer NOT NULL CHECK (buildings >= 0),
    households   integer NOT NULL CHECK (households >= 0),
    population   integer NOT NULL CHECK (population >= 0),
    outline      jsonb NOT NULL,
    bbox         float8[] NOT NULL CHECK (cardinality(bbox) = 4)
);
CREATE INDEX ON cc.grid (community_id);
CREATE INDEX ON cc.grid (street_id);

-- One row per outer ring of a grid's outline, as PostgreSQL's built-in polygon type, so that
-- "which grid holds this point" needs no GIS extension.
CREATE TABLE cc.grid_part (
    grid_id integer NOT NULL REFERENCES cc.grid ON DELETE CASCADE,
    part    smallint NOT NULL,
    shape   polygon NOT NULL,
    PRIMARY KEY (grid_id, part)
);
CREATE INDEX grid_part_shape_idx ON cc.grid_part USING gist (shape);

-- ---------------------------------------------------------------- people and forces
CREATE TABLE cc.force_role (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    is_core boolean NOT NULL,          -- one of the seven forces every grid must have
    sort    smallint NOT NULL
);

CREATE TABLE cc.person (
    id       integer PRIMARY KEY,
    name     text NOT NULL,
    phone    text,                      -- staff contacts are published by real name
    employer text,
    on_duty  boolean NOT NULL DEFAULT true,
    home_lon float8,
    home_lat float8
);

CREATE TABLE cc.grid_assignment (
    grid_id   integer NOT NULL REFERENCES cc.grid,
    role_code text NOT NULL REFERENCES cc.force_role,
    person_id integer NOT NULL REFERENCES cc.person,
    PRIMARY KEY (grid_id, role_code, person_id)
);
CREATE INDEX ON cc.grid_assignment (person_id);

CREATE TABLE cc.department (
    id      integer PRIMARY KEY,
    code    text NOT NULL UNIQUE,
    name    text NOT NULL,
    name_en text NOT NULL
);

CREATE TABLE cc.unit (
    id            integer PRIMARY KEY,
    department_id integer NOT NULL REFERENCES cc.department,
    street_id     integer REFERENCES cc.street,   -- NULL: a district-level unit
    code          text NOT NULL UNIQUE,
    name          text NOT NULL,
    name_en       text NOT NULL
);
CREATE INDEX ON cc.unit (department_id, street_id);

CREATE TABLE cc.unit_staff (
    unit_id   integer NOT NULL REFERENCES cc.unit,
    person_id integer NOT NULL REFERENCES cc.person,
    title     text NOT NULL,
    PRIMARY KEY (unit_id, person_id)
);

-- A login role of the database and what it may see: a street sub-centre sees its street
-- (street_id), the district centre everything (street_id NULL). Field terminals and unit
-- consoles name the person or unit they act for.
CREATE TABLE cc.console_account (
    login        name PRIMARY KEY,
    display_name text NOT NULL,
    street_id    integer REFERENCES cc.street,
    person_id    integer REFERENCES cc.person,
    unit_id      integer REFERENCES cc.unit
);

-- ---------------------------------------------------------------- taxonomy and time limits
CREATE TABLE cc.urgency (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL
);

CREATE TABLE cc.category (
    id        integer PRIMARY KEY,
    parent_id integer REFERENCES cc.category,
    level     smallint NOT NULL CHECK (level BETWEEN 1 AND 3),   -- class / subclass / item
    code      text NOT NULL UNIQUE,
    name      text NOT NULL,
    name_en   text NOT NULL,
    -- default handler of an item: a grid role or a department (exactly one)
    handler_role       text REFERENCES cc.force_role,
    handler_department text REFERENCES cc.department (code),
    must_report boolean NOT NULL DEFAULT false,                  -- one of the 九必报 items
    CHECK ((level = 1) = (parent_id IS NULL)),
    CHECK (level < 3 OR (handler_role IS NULL) <> (handler_department IS NULL))
);
CREATE INDEX ON cc.category (parent_id);

CREATE TABLE cc.time_limit (
    category_id integer NOT NULL REFERENCES cc.category,
    urgency     text NOT NULL REFERENCES cc.urgency,
    phase       text NOT NULL CHECK (phase IN ('file', 'dispatch', 'handle', 'verify')),
    amount      numeric NOT NULL CHECK (amount > 0),
    unit        text NOT NULL CHECK (unit IN ('minutes', 'hours', 'work_hours', 'work_days')),
    PRIMARY KEY (category_id, urgency, phase)
);

-- ---------------------------------------------------------------- work calendar
CREATE TABLE cc.work_period (
    seq    smallint PRIMARY KEY,
    starts time NOT NULL,
    ends   time NOT NULL CHECK (ends > starts)
);

-- Exceptions to "Monday to Friday are working days": public holidays (false) and make-up
-- working days on a weekend (true).
CREATE TABLE cc.calendar_day (
    day        date PRIMARY KEY,
    is_workday boolean NOT NULL,
    note       text NOT NULL
);

-- ---------------------------------------------------------------- routing
CREATE TABLE cc.routing_rule (
    category_id integer NOT NULL REFERENCES cc.category,
    street_id   integer NOT NULL REFERENCES cc.street,
    unit_id     integer NOT NULL REFERENCES cc.unit,
    PRIMARY KEY (category_id, street_id)
);

-- ---------------------------------------------------------------- workflow rules as data
CREATE TABLE cc.case_state (
    code     text PRIMARY KEY,
    name     text NOT NULL,
    name_en  text NOT NULL,
    is_open  boolean NOT NULL,
    phase    text CHECK (phase IN ('file', 'dispatch', 'handle', 'verify')),  -- whose deadline runs
    sort     smallint NOT NULL
);

CREATE TABLE cc.workflow_action (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    name_en     text NOT NULL,
    capability  text NOT NULL CHECK (capability IN ('reporter', 'operator', 'handler', 'supervisor')),
    irreversible boolean NOT NULL DEFAULT false,   -- clients confirm these
    needs_note  boolean NOT NULL DEFAULT false,    -- a reason is required
    sort        smallint NOT NULL
);

CREATE TABLE cc.state_action (
    from_state text NOT NULL REFERENCES cc.case_state,
    action     text NOT NULL REFERENCES cc.workflow_action,
    to_state   text NOT NULL REFERENCES cc.case_state,
    PRIMARY KEY (from_state, action)
);

CREATE TABLE cc.tier (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    rank    smallint NOT NULL UNIQUE
);

CREATE TABLE cc.case_source (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    sort    smallint NOT NULL
);

-- ---------------------------------------------------------------- cases
CREATE TABLE cc."case" (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code               text NOT NULL UNIQUE,
    source             text NOT NULL REFERENCES cc.case_source,
    category_id        integer NOT NULL REFERENCES cc.category,
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description        text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    address            text NOT NULL DEFAULT '' CHECK (length(address) <= 300),
    lon                float8 NOT NULL,
    lat                float8 NOT NULL,
    grid_id            integer NOT NULL REFERENCES cc.grid,
    community_id       integer NOT NULL REFERENCES cc.community,
    street_id          integer NOT NULL REFERENCES cc.street,
    urgency            text NOT NULL REFERENCES cc.urgency,
    state              text NOT NULL REFERENCES cc.case_state,
    tier               text NOT NULL REFERENCES cc.tier,
    assignee_unit_id   integer REFERENCES cc.unit,
    assignee_person_id integer REFERENCES cc.person,
    reporter_person_id integer REFERENCES cc.person,
    reporter_name      text,              -- private: a resident's name and phone (hotline)
    reporter_phone     text,
    reported_at        timestamptz NOT NULL,
    filed_at           timestamptz,
    dispatched_at      timestamptz,
    accepted_at        timestamptz,
    handled_at         timestamptz,
    closed_at          timestamptz,
    file_deadline      timestamptz NOT NULL,
    dispatch_deadline  timestamptz,
    handle_deadline    timestamptz,
    verify_deadline    timestamptz,
    rework_count       smallint NOT NULL DEFAULT 0,
    urge_count         smallint NOT NULL DEFAULT 0,
    escalation_count   smallint NOT NULL DEFAULT 0,
    return_count       smallint NOT NULL DEFAULT 0,
    handled_late       boolean,          -- feedback came after the handling deadline
    satisfaction       smallint CHECK (satisfaction BETWEEN 1 AND 5),
    version            integer NOT NULL DEFAULT 1,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX case_street_state_idx ON cc."case" (street_id, state);
CREATE INDEX case_state_idx ON cc."case" (state);
CREATE INDEX case_grid_idx ON cc."case" (grid_id);
CREATE INDEX case_reported_idx ON cc."case" (reported_at);
CREATE INDEX case_assignee_unit_idx ON cc."case" (assignee_unit_id) WHERE assignee_unit_id IS NOT NULL;
CREATE INDEX case_assignee_person_idx ON cc."case" (assignee_person_id) WHERE assignee_person_id IS NOT NULL;

CREATE TABLE cc.attachment (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cc."case",
    street_id   integer NOT NULL REFERENCES cc.street,
    filename    text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    mime        text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
    size_bytes  integer NOT NULL,
    sha256      bytea NOT NULL,
    content     bytea NOT NULL,
    uploaded_by name NOT NULL,
    uploaded_at timestamptz NOT NULL
);
CREATE INDEX ON cc.attachment (case_id);

-- The audit trail and the resync log. Ids are dense and become visible in id order
-- (see the counter trigger in 0001_events.sql).
CREATE TABLE cc.case_event (
    id              bigint PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES cc."case",
    street_id       integer NOT NULL,
    action          text NOT NULL,
    from_state      text,
    to_state        text NOT NULL,
    actor           name NOT NULL,
    actor_person_id integer,
    at              timestamptz NOT NULL,
    note            text NOT NULL DEFAULT '',
    data            jsonb NOT NULL DEFAULT '{}',
    txid            xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX case_event_case_idx ON cc.case_event (case_id, id);
CREATE INDEX case_event_txid_idx ON cc.case_event (txid, street_id);

CREATE TABLE cc.event_counter (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id   bigint NOT NULL
);
INSERT INTO cc.event_counter VALUES (true, 0);
