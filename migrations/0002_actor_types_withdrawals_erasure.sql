-- Version 2.
--
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

-- Sources say which publisher's story they repeat, and sources and claims can be
-- retracted (marked withdrawn, kept).
ALTER TABLE source ADD COLUMN via TEXT NOT NULL DEFAULT '';
ALTER TABLE source ADD COLUMN withdrawn_at TEXT;
ALTER TABLE claim ADD COLUMN withdrawn_at TEXT CHECK (withdrawn_at IS NULL OR accepted = 0);

-- Erasure. The revision log gains `erased_by` and the actions
-- `purge` and `copy`, and its update trigger lets a purge erase values
-- (see schema.sql). A CHECK cannot be altered, so the table is rebuilt
-- under its own name and every row is carried over as it was, hashes and
-- all: the chain is not rewritten.
DROP TRIGGER revision_no_update;
DROP TRIGGER revision_no_delete;
DROP INDEX revision_incident;
ALTER TABLE revision RENAME TO revision_v1;

CREATE TABLE revision (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    by           TEXT NOT NULL,
    entity       TEXT NOT NULL
                 CHECK (entity IN ('incident', 'incident_relation', 'victim', 'act', 'actor',
                        'actor_type_period', 'involvement', 'source', 'claim')),
    entity_id    INTEGER NOT NULL,
    -- The incident the change belongs to (NULL for actors), so that
    -- `history REF` finds changes to victims, acts and sources too.
    incident_id  INTEGER,
    action       TEXT NOT NULL
                 CHECK (action IN ('create', 'update', 'delete', 'restore', 'purge', 'copy')),
    field        TEXT,
    old          TEXT,
    new          TEXT,
    reason       TEXT NOT NULL DEFAULT '',
    hash         TEXT NOT NULL CHECK (length(hash) = 64),
    erased_by    INTEGER,
    CHECK (erased_by IS NULL OR (old IS NULL AND new IS NULL AND erased_by > id))
) STRICT;

INSERT INTO revision (id, at, by, entity, entity_id, incident_id, action, field, old, new,
                      reason, hash)
SELECT id, at, by, entity, entity_id, incident_id, action, field, old, new, reason, hash
FROM revision_v1;

DROP TABLE revision_v1;

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
