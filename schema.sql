-- pressreg registry schema, version 3.
--
-- This file is the complete, current schema: a new registry is created by
-- running it as it stands. Older registries are brought up to date by the
-- append-only steps in migrations/ (0001 is version 1 as it was released;
-- each later file is one step); a test checks that both paths end with the
-- same tables, columns and indexes.
--
-- The model follows the "who did what to whom" structure of human-rights
-- documentation: an incident happens at one time and place; it has victims;
-- each act is one thing done to one victim; actors are linked to acts through
-- involvements that carry the basis and confidence of the attribution;
-- sources back the incident and claims record what each source says. Every
-- create, change and delete is appended to the revision log.
--
-- Conventions:
--   * every table is STRICT; every controlled vocabulary has a CHECK,
--     written `x = 'a' OR x = 'b' OR …` rather than `x IN ('a', 'b', …)`:
--     for an IN list of more than two constants SQLite builds a temporary
--     B-tree on every execution of an INSERT, about thirty per imported
--     act. The two are the same guarantee (NULL passes both; any other
--     value outside the list fails both); registries made before keep
--     their IN lists, equally strict;
--   * dates are ISO 8601 text ('2021-08-08'), timestamps RFC 3339 UTC text;
--   * booleans are INTEGER 0/1 with a CHECK;
--   * a set of values from a vocabulary is a JSON array in canonical form
--     ('["editor","reporter"]'); its CHECK removes every known value and
--     requires nothing but the brackets and commas to be left;
--   * uid is a UUID that never changes: it is how registries are merged.

-- Public references are CC-YYYY-NNNN. The last number handed out for each
-- country and year is kept here so that a reference is never reused, even
-- after its incident is erased.
CREATE TABLE ref_counter (
    prefix TEXT PRIMARY KEY,        -- 'AF-2021'
    last   INTEGER NOT NULL CHECK (last >= 0)
) STRICT;

CREATE TABLE incident (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE CHECK (length(uid) = 36),
    ref               TEXT NOT NULL UNIQUE,
    title             TEXT NOT NULL DEFAULT '',
    summary           TEXT NOT NULL DEFAULT '',
    -- When. date_start is NULL only when nothing is known of the date.
    date_start        TEXT CHECK (date_start IS NULL OR date(date_start) IS date_start),
    date_end          TEXT CHECK (date_end IS NULL OR (date(date_end) IS date_end AND date_end >= date_start)),
    date_precision    TEXT NOT NULL DEFAULT 'day'
                      CHECK (date_precision = 'day' OR date_precision = 'week' OR
                             date_precision = 'month' OR date_precision = 'year' OR
                             date_precision = 'unknown'),
    date_approximate  INTEGER NOT NULL DEFAULT 0 CHECK (date_approximate IN (0, 1)),
    date_as_reported  TEXT NOT NULL DEFAULT '',
    calendar          TEXT NOT NULL DEFAULT 'gregorian'
                      CHECK (calendar = 'gregorian' OR calendar = 'solar_hijri' OR
                             calendar = 'lunar_hijri'),
    -- Where. country is ISO 3166-1 alpha-2, or an ISO 3166-3 code (four
    -- letters) for a state that no longer exists (YUCS: Yugoslavia).
    country           TEXT NOT NULL CHECK (length(country) IN (2, 4) AND country = upper(country)),
    admin1            TEXT NOT NULL DEFAULT '',
    admin2            TEXT NOT NULL DEFAULT '',
    locality          TEXT NOT NULL DEFAULT '',
    place             TEXT NOT NULL DEFAULT '',
    latitude          REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude         REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    -- ACLED convention: 0 unknown, 1 exact place, 2 near a town or part of a
    -- region, 3 region only.
    geo_precision     INTEGER NOT NULL DEFAULT 0 CHECK (geo_precision BETWEEN 0 AND 3),
    context           TEXT NOT NULL DEFAULT 'unknown'
                      CHECK (context = 'armed_clashes' OR context = 'embedded' OR
                             context = 'protest' OR context = 'riot' OR context = 'at_home' OR
                             context = 'commuting' OR context = 'at_work' OR context = 'in_custody' OR
                             context = 'at_border' OR context = 'online' OR context = 'court' OR
                             context = 'other' OR context = 'unknown'),
    verification      TEXT NOT NULL DEFAULT 'reported'
                      CHECK (verification = 'reported' OR verification = 'corroborated' OR
                             verification = 'verified' OR verification = 'disputed' OR
                             verification = 'rejected' OR verification = 'out_of_scope' OR
                             verification = 'duplicate'),
    work_link         TEXT NOT NULL DEFAULT 'unknown'
                      CHECK (work_link = 'confirmed' OR work_link = 'likely' OR
                             work_link = 'unconfirmed' OR work_link = 'not_work_related' OR
                             work_link = 'unknown'),
    justice           TEXT NOT NULL DEFAULT 'no_information'
                      CHECK (justice = 'no_information' OR justice = 'no_investigation' OR
                             justice = 'investigation_open' OR justice = 'suspects_identified' OR
                             justice = 'suspects_arrested' OR justice = 'charged' OR
                             justice = 'on_trial' OR justice = 'convicted_some' OR
                             justice = 'convicted_all' OR justice = 'acquitted' OR
                             justice = 'closed_unsolved' OR justice = 'perpetrator_dead'),
    confidentiality   TEXT NOT NULL DEFAULT 'public'
                      CHECK (confidentiality = 'public' OR confidentiality = 'partner' OR
                             confidentiality = 'internal' OR confidentiality = 'restricted'),
    -- Notes for the documenters only: never in a public or partner export.
    private_notes     TEXT NOT NULL DEFAULT '',
    duplicate_of      INTEGER REFERENCES incident (id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT,
    CHECK ((date_start IS NULL) = (date_precision = 'unknown')),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
) STRICT;

CREATE INDEX incident_date ON incident (date_start);
CREATE INDEX incident_country_date ON incident (country, date_start);
-- The incidents a summary leaves out unless asked (its footnote counts
-- them): a partial index, so counting them does not scan the registry.
CREATE INDEX incident_left_out ON incident (date_start)
    WHERE deleted_at IS NOT NULL OR verification IN ('rejected', 'out_of_scope', 'duplicate');

-- Incidents that belong together: a follow-up attack on a victim's family,
-- one campaign against an outlet.
CREATE TABLE incident_relation (
    id           INTEGER PRIMARY KEY,
    incident_id  INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    related_id   INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    relation     TEXT NOT NULL CHECK (relation = 'follow_up' OR relation = 'same_campaign' OR
                                      relation = 'related'),
    note         TEXT NOT NULL DEFAULT '',
    UNIQUE (incident_id, related_id, relation),
    CHECK (incident_id <> related_id)
) STRICT;

CREATE TABLE victim (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE CHECK (length(uid) = 36),
    incident_id       INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    -- 1, 2, 3 within the incident: the stable pseudonym of an anonymous
    -- victim is 'Victim ' || ref || '-' || position.
    position          INTEGER NOT NULL CHECK (position >= 1),
    name              TEXT NOT NULL DEFAULT '',
    name_variants     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(name_variants) AND json_type(name_variants) = 'array'),
    anonymous         INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    sex               TEXT NOT NULL DEFAULT 'unknown'
                      CHECK (sex = 'female' OR sex = 'male' OR sex = 'other' OR sex = 'unknown'),
    age               INTEGER CHECK (age IS NULL OR age BETWEEN 0 AND 120),
    nationality       TEXT NOT NULL DEFAULT '' CHECK ((length(nationality) = 0 OR length(nationality) IN (2, 4)) AND nationality = upper(nationality)),
    -- NULL: derived from nationality against the incident's country.
    local_or_foreign  TEXT CHECK (local_or_foreign IS NULL OR local_or_foreign IN ('local', 'foreign')),
    category          TEXT NOT NULL DEFAULT 'journalist'
                      CHECK (category = 'journalist' OR category = 'citizen_journalist' OR
                             category = 'media_worker' OR category = 'media_manager' OR
                             category = 'government_media_official' OR category = 'media_outlet' OR
                             category = 'associate' OR category = 'other'),
    employment        TEXT NOT NULL DEFAULT 'unknown'
                      CHECK (employment = 'staff' OR employment = 'freelance' OR
                             employment = 'stringer' OR employment = 'volunteer' OR
                             employment = 'unknown'),
    jobs              TEXT NOT NULL DEFAULT '[]' CHECK (replace(replace(replace(replace(replace(replace(
                          replace(replace(replace(replace(replace(replace(replace(replace(jobs,
                          '"reporter"', ''), '"photographer"', ''), '"camera_operator"', ''),
                          '"editor"', ''), '"producer"', ''), '"presenter"', ''), '"columnist"', ''),
                          '"publisher"', ''), '"technician"', ''), '"fixer"', ''), '"translator"', ''),
                          '"driver"', ''), '"security"', ''), '"other"', '') = '[' || substr(',,,,,,,,,,,,,,', 1, max(json_array_length(jobs) - 1, 0)) || ']'
                          AND json_valid(jobs)),
    mediums           TEXT NOT NULL DEFAULT '[]' CHECK (replace(replace(replace(replace(replace(
                          replace(replace(mediums, '"print"', ''), '"radio"', ''), '"television"', ''),
                          '"online"', ''), '"news_agency"', ''), '"documentary"', ''),
                          '"social_media"', '') = '[' || substr(',,,,,,', 1, max(json_array_length(mediums) - 1, 0)) || ']'
                          AND json_valid(mediums)),
    outlet            TEXT NOT NULL DEFAULT '',
    beats             TEXT NOT NULL DEFAULT '[]' CHECK (replace(replace(replace(replace(replace(
                          replace(replace(replace(replace(replace(beats, '"politics"', ''), '"war"', ''),
                          '"human_rights"', ''), '"corruption"', ''), '"crime"', ''), '"culture"', ''),
                          '"business"', ''), '"sports"', ''), '"women_rights"', ''), '"other"', '')
                          = '[' || substr(',,,,,,,,,', 1, max(json_array_length(beats) - 1, 0)) || ']'
                          AND json_valid(beats)),
    status            TEXT NOT NULL DEFAULT 'unknown'
                      CHECK (status = 'dead' OR status = 'wounded' OR status = 'unharmed' OR
                             status = 'missing' OR status = 'held' OR status = 'released' OR
                             status = 'escaped' OR status = 'exiled' OR status = 'unknown'),
    confidentiality   TEXT NOT NULL DEFAULT 'public'
                      CHECK (confidentiality = 'public' OR confidentiality = 'partner' OR
                             confidentiality = 'internal' OR confidentiality = 'restricted'),
    -- Contacts, family details: never in a public or partner export.
    private_notes     TEXT NOT NULL DEFAULT '',
    UNIQUE (incident_id, position)
) STRICT;


-- One violation against one victim. Its own dates are set when they differ
-- from the incident's (shot on 6 July, died on 15 July).
CREATE TABLE act (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE CHECK (length(uid) = 36),
    incident_id       INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    victim_id         INTEGER NOT NULL REFERENCES victim (id) ON DELETE CASCADE,
    type              TEXT NOT NULL
                      CHECK (type = 'killed' OR type = 'tortured' OR type = 'sexual_violence' OR
                             type = 'disappeared' OR type = 'missing' OR type = 'detained' OR
                             type = 'kidnapped' OR type = 'hostage' OR type = 'attempted_killing' OR
                             type = 'wounded' OR type = 'assaulted' OR type = 'threatened' OR
                             type = 'harassed' OR type = 'surveilled' OR type = 'charged' OR
                             type = 'sued' OR type = 'subpoenaed' OR type = 'equipment_seized' OR
                             type = 'property_attacked' OR type = 'denied_access' OR
                             type = 'border_stopped' OR type = 'censored' OR type = 'dismissed' OR
                             type = 'smeared' OR type = 'other'),
    death_context     TEXT CHECK (death_context IS NULL OR (type = 'killed' AND (
                             death_context = 'targeted' OR death_context = 'crossfire' OR
                             death_context = 'dangerous_assignment' OR
                             death_context = 'indiscriminate' OR death_context = 'in_custody' OR
                             death_context = 'after_assault' OR death_context = 'unknown'))),
    method            TEXT NOT NULL DEFAULT 'unknown'
                      CHECK (method = 'shooting' OR method = 'explosive' OR method = 'stabbing' OR
                             method = 'beating' OR method = 'vehicle' OR method = 'arson' OR
                             method = 'poisoning' OR method = 'abduction' OR
                             method = 'legal_process' OR method = 'online' OR method = 'other' OR
                             method = 'unknown'),
    date_start        TEXT CHECK (date_start IS NULL OR date(date_start) IS date_start),
    date_end          TEXT CHECK (date_end IS NULL OR (date(date_end) IS date_end AND date_end >= date_start)),
    date_precision    TEXT CHECK (date_precision IS NULL OR date_precision = 'day' OR
                             date_precision = 'week' OR date_precision = 'month' OR
                             date_precision = 'year' OR date_precision = 'unknown'),
    note              TEXT NOT NULL DEFAULT '',
    CHECK ((date_start IS NULL) = (date_precision IS NULL))
) STRICT;

-- victim (incident_id, position) above serves look-ups by incident; a
-- name filter matches substrings, which no index can serve.
-- Covers everything a summary reads from an act, so counting a million
-- acts is one pass over this index.
CREATE INDEX act_incident ON act (incident_id, type, victim_id, date_start, date_precision, death_context);
CREATE INDEX act_victim ON act (victim_id);
-- The few acts with a date of their own (shot in December, died in
-- January), so a one-year summary need not scan every act.
CREATE INDEX act_own_date ON act (date_start) WHERE date_start IS NOT NULL;

CREATE TABLE actor (
    id       INTEGER PRIMARY KEY,
    uid      TEXT NOT NULL UNIQUE CHECK (length(uid) = 36),
    name     TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
    aliases  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases) AND json_type(aliases) = 'array'),
    note     TEXT NOT NULL DEFAULT ''
) STRICT;

-- An actor's type can change: the Taliban were an armed group until
-- 2021-08-15 and the de facto authority after. An act counts under the type
-- in force on its dates (the view involvement_actor_type below). NULL
-- bounds are open.
CREATE TABLE actor_type_period (
    id          INTEGER PRIMARY KEY,
    actor_id    INTEGER NOT NULL REFERENCES actor (id) ON DELETE CASCADE,
    type        TEXT NOT NULL
                CHECK (type = 'state_military' OR type = 'state_police' OR
                       type = 'state_intelligence' OR type = 'state_official' OR type = 'judiciary' OR
                       type = 'de_facto_authority' OR type = 'armed_group' OR type = 'paramilitary' OR
                       type = 'criminal_group' OR type = 'mob' OR type = 'private_individual' OR
                       type = 'political_party' OR type = 'employer' OR type = 'foreign_state' OR
                       type = 'unknown'),
    valid_from  TEXT CHECK (valid_from IS NULL OR date(valid_from) IS valid_from),
    valid_to    TEXT CHECK (valid_to IS NULL OR (date(valid_to) IS valid_to AND valid_to >= coalesce(valid_from, valid_to)))
) STRICT;

CREATE INDEX actor_type_period_actor ON actor_type_period (actor_id, valid_from);

-- Who is linked to an act, in what role, on what basis and how surely.
-- "Officials suspected the Taliban" is basis official_accusation,
-- confidence possible.
CREATE TABLE involvement (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE CHECK (length(uid) = 36),
    act_id      INTEGER NOT NULL REFERENCES act (id) ON DELETE CASCADE,
    actor_id    INTEGER NOT NULL REFERENCES actor (id),
    role        TEXT NOT NULL DEFAULT 'perpetrator'
                CHECK (role = 'perpetrator' OR role = 'ordered' OR role = 'accomplice' OR
                       role = 'failed_to_protect' OR role = 'unknown'),
    basis       TEXT NOT NULL DEFAULT 'unknown'
                CHECK (basis = 'claimed' OR basis = 'acknowledged' OR basis = 'denied' OR
                       basis = 'court_finding' OR basis = 'official_accusation' OR basis = 'arrest' OR
                       basis = 'accused_by_victim' OR basis = 'accused_by_colleagues' OR
                       basis = 'witness' OR basis = 'monitor_assessment' OR basis = 'inferred' OR
                       basis = 'unknown'),
    confidence  TEXT NOT NULL DEFAULT 'unknown'
                CHECK (confidence = 'confirmed' OR confidence = 'likely' OR confidence = 'possible' OR
                       confidence = 'unlikely' OR confidence = 'unknown'),
    note        TEXT NOT NULL DEFAULT ''
) STRICT;

-- Covers a summary's look-up of an act's actors.
CREATE INDEX involvement_act ON involvement (act_id, actor_id);
CREATE INDEX involvement_actor ON involvement (actor_id);

-- An actor's type on the days an act may have happened on: its own dates,
-- else its incident's (a single day when there is no end); an undated act
-- may have happened on any day. The type is that of the period holding
-- every one of those days (bounds inclusive, NULL bounds open). It is NULL,
-- and counts as unknown, when no period does: the days straddle a change of
-- type (the Taliban in August 2021), some of them have no type recorded, or
-- the act is undated and the actor's type is bounded in time. Periods do not
-- overlap; were two to hold the days, the latest-starting, then the last
-- added, wins. ActorRecord::type_on in src/model.rs is the same rule for
-- records in memory; a test holds the two together. Filters, counts and
-- `actor show` read the type here and nowhere else.
CREATE VIEW involvement_actor_type AS
SELECT v.id AS involvement_id, v.act_id, a.incident_id, v.actor_id,
       v.role, v.basis, v.confidence,
       (SELECT p.type FROM actor_type_period p
         WHERE p.actor_id = v.actor_id
           AND (p.valid_from IS NULL
                OR p.valid_from <= coalesce(a.date_start, i.date_start))
           AND (p.valid_to IS NULL
                OR p.valid_to >= CASE WHEN a.date_start IS NULL
                                      THEN coalesce(i.date_end, i.date_start)
                                      ELSE coalesce(a.date_end, a.date_start) END)
         ORDER BY p.valid_from DESC, p.id DESC
         LIMIT 1) AS actor_type
FROM involvement v
JOIN act a ON a.id = v.act_id
JOIN incident i ON i.id = a.incident_id;

CREATE TABLE source (
    id            INTEGER PRIMARY KEY,
    uid           TEXT NOT NULL UNIQUE CHECK (length(uid) = 36),
    incident_id   INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    type          TEXT NOT NULL DEFAULT 'news_report'
                  CHECK (type = 'news_report' OR type = 'wire_report' OR type = 'monitor_statement' OR
                         type = 'un_statement' OR type = 'official_statement' OR
                         type = 'perpetrator_claim' OR type = 'social_media' OR type = 'interview' OR
                         type = 'court_document' OR type = 'medical_record' OR type = 'photo_video' OR
                         type = 'other'),
    publisher     TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    published_on  TEXT CHECK (published_on IS NULL OR date(published_on) IS published_on),
    accessed_on   TEXT CHECK (accessed_on IS NULL OR date(accessed_on) IS accessed_on),
    language      TEXT NOT NULL DEFAULT '',
    reliability   TEXT NOT NULL DEFAULT 'unknown'
                  CHECK (reliability = 'high' OR reliability = 'medium' OR reliability = 'low' OR
                         reliability = 'unknown'),
    -- An interview or contact that must never leave the registry.
    confidential  INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
    note          TEXT NOT NULL DEFAULT '',
    -- The publisher whose story this one repeats (a newspaper printing a
    -- Reuters wire): corroboration counts independent publishers.
    via           TEXT NOT NULL DEFAULT '',
    -- Set when the source is retracted (it landed on the wrong incident,
    -- or was withdrawn by its publisher): kept, marked, never exported but
    -- in a full backup. The reason is in the revision log.
    withdrawn_at  TEXT
) STRICT;

CREATE INDEX source_incident ON source (incident_id);

-- What one source says about one field of one record. The record holds the
-- accepted value; the claims keep disagreements visible.
CREATE TABLE claim (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE CHECK (length(uid) = 36),
    incident_id INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    subject     TEXT NOT NULL CHECK (subject = 'incident' OR subject = 'victim' OR subject = 'act' OR
                                     subject = 'involvement'),
    subject_uid TEXT NOT NULL CHECK (length(subject_uid) = 36),
    field       TEXT NOT NULL CHECK (field <> ''),
    value       TEXT NOT NULL,
    stance      TEXT NOT NULL DEFAULT 'asserts' CHECK (stance = 'asserts' OR stance = 'denies' OR
                                                       stance = 'corrects'),
    accepted    INTEGER NOT NULL DEFAULT 0 CHECK (accepted IN (0, 1)),
    -- Set when the claim is retracted; a withdrawn claim is never accepted.
    withdrawn_at TEXT,
    CHECK (withdrawn_at IS NULL OR accepted = 0)
) STRICT;

CREATE INDEX claim_incident ON claim (incident_id);
CREATE INDEX claim_source ON claim (source_id);

-- The revision log: nothing is lost. Every create, change and delete appends
-- rows here in the same transaction as the change. A create stores the new
-- row as a JSON object in `new` (field NULL); a change stores one field's old
-- and new value; a delete stores the old row in `old`. `hash` is the SHA-256
-- of the previous row's hash and this row's fields, so an edit made behind
-- the program's back breaks the chain and `pressreg check` says where.
--
-- Erasure (`delete --purge`, a field copy) is the one change a row may
-- undergo: its `old` and `new` values are set to NULL and `erased_by` names
-- the later revision that erased them (action `purge` or `copy`), whose
-- `new` lists every erased row's id with its hash. The erased row keeps its
-- hash, so the chain still runs through it, vouched for by that list.
CREATE TABLE revision (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    by           TEXT NOT NULL,
    entity       TEXT NOT NULL
                 CHECK (entity = 'incident' OR entity = 'incident_relation' OR entity = 'victim' OR
                        entity = 'act' OR entity = 'actor' OR entity = 'actor_type_period' OR
                        entity = 'involvement' OR entity = 'source' OR entity = 'claim'),
    entity_id    INTEGER NOT NULL,
    -- The incident the change belongs to (NULL for actors), so that
    -- `history REF` finds changes to victims, acts and sources too.
    incident_id  INTEGER,
    action       TEXT NOT NULL
                 CHECK (action = 'create' OR action = 'update' OR action = 'delete' OR
                        action = 'restore' OR action = 'purge' OR action = 'copy'),
    field        TEXT,
    old          TEXT,
    new          TEXT,
    reason       TEXT NOT NULL DEFAULT '',
    hash         TEXT NOT NULL CHECK (length(hash) = 64),
    erased_by    INTEGER,
    CHECK (erased_by IS NULL OR (old IS NULL AND new IS NULL AND erased_by > id))
) STRICT;

CREATE INDEX revision_incident ON revision (incident_id, id);

-- Append-only, but for erasure: a row's values may be set to NULL once, by
-- a purge or copy revision that comes after it, and nothing else changes.
CREATE TRIGGER revision_no_update BEFORE UPDATE ON revision
WHEN NOT (OLD.erased_by IS NULL AND NEW.erased_by IS NOT NULL
          AND NEW.old IS NULL AND NEW.new IS NULL
          AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.by = OLD.by
          AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id
          AND NEW.incident_id IS OLD.incident_id AND NEW.action = OLD.action
          AND NEW.field IS OLD.field AND NEW.reason = OLD.reason AND NEW.hash = OLD.hash
          AND EXISTS (SELECT 1 FROM revision AS e
                      WHERE e.id = NEW.erased_by AND e.action IN ('purge', 'copy')))
BEGIN
    SELECT RAISE(ABORT, 'the revision log is append-only');
END;

CREATE TRIGGER revision_no_delete BEFORE DELETE ON revision
BEGIN
    SELECT RAISE(ABORT, 'the revision log is append-only');
END;

-- The seal of the revision log's head: its last revision, that revision's
-- hash, and an HMAC-SHA-256 of both under a key derived from the registry
-- key (src/db/seal.rs). Every write of an encrypted registry rewrites the
-- one row in its own transaction, and `check` verifies it, so a log
-- rewritten with recomputed hashes, or cut short, is caught unless the
-- forger has the key. A plaintext registry has no key and keeps no seal
-- (its anchor is the head `check` prints, kept outside the file).
CREATE TABLE seal (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  INTEGER NOT NULL,
    hash      TEXT NOT NULL CHECK (length(hash) = 64),
    mac       TEXT NOT NULL CHECK (length(mac) = 64)
) STRICT;
-- Merging registries (`pressreg merge`, src/db/merge.rs).
--
-- A ref another registry gave an incident that had to be renumbered here,
-- because this registry already used it: `show` and `history` still
-- accept the old ref. Outside the revision log, like ref_counter: it names
-- rows, it holds no fact about them.
CREATE TABLE ref_alias (
    alias       TEXT NOT NULL,
    incident_id INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    PRIMARY KEY (alias, incident_id)
) STRICT;

CREATE INDEX ref_alias_incident ON ref_alias (incident_id);

-- A revision a merge wrote to carry another registry's change: `origin`
-- is that change's identity (the hash of the revision that first made it,
-- in whichever registry), `at` and `by` when and by whom it was made. A
-- revision's identity is its origin, else its own hash; registries compare
-- identities to find what each has seen.
CREATE TABLE revision_origin (
    revision_id INTEGER PRIMARY KEY REFERENCES revision (id),
    origin      TEXT NOT NULL CHECK (length(origin) = 64),
    at          TEXT NOT NULL,
    by          TEXT NOT NULL
) STRICT;

-- The identities of every revision of the registries merged in: what this
-- registry has seen of theirs, so that the next merge can tell a change
-- made there since from one already settled here.
CREATE TABLE revision_known (
    identity TEXT PRIMARY KEY CHECK (length(identity) = 64)
) STRICT, WITHOUT ROWID;

-- The counting units of the default profile, `victims` (a victim once per
-- act type per year), made from the tables by the profile's own code
-- (`src/db/units.rs`) in the same transaction as every write, so that a
-- summary the table can answer exactly is one GROUP BY instead of a join
-- over every act. Outside the revision log, like ref_counter: it holds
-- nothing the other tables do not; `check` recomputes it and compares.
-- No foreign keys: the units of an incident are replaced as the write that
-- changed it ends, after its rows are gone if it was purged.
-- `year` NULL: no known date. `dates`: 1 the unit stands on a vague date
-- (a year only, or approximate), 2 on an unknown one (both bits can be set).
CREATE TABLE count_unit (
    id                     INTEGER PRIMARY KEY,
    incident_id            INTEGER NOT NULL,
    victim_id              INTEGER NOT NULL,
    year                   INTEGER,
    act                    TEXT NOT NULL,
    verification           TEXT NOT NULL,
    deleted                INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    confidentiality        TEXT NOT NULL,
    victim_confidentiality TEXT NOT NULL,
    dates                  INTEGER NOT NULL CHECK (dates BETWEEN 0 AND 3)
) STRICT;

CREATE INDEX count_unit_incident ON count_unit (incident_id);
-- Covers a summary by year and act: its filter and its cells, in the index.
CREATE INDEX count_unit_cell ON count_unit
    (year, act, deleted, verification, confidentiality, victim_confidentiality, dates, incident_id);
-- The units on a vague or unknown date, for the footnotes that count their
-- incidents: few in most registries, so not a second pass over every unit.
CREATE INDEX count_unit_dates ON count_unit
    (year, deleted, verification, confidentiality, victim_confidentiality, dates, incident_id)
    WHERE dates <> 0;

-- Each unit's perpetrator types as `summary --by actor_type,state` shows
-- them (a unit falls in every type one of its acts' perpetrators had).
CREATE TABLE count_unit_actor (
    unit_id    INTEGER NOT NULL,
    actor_type TEXT NOT NULL,
    state      TEXT NOT NULL,
    PRIMARY KEY (unit_id, actor_type, state)
) STRICT, WITHOUT ROWID;
