-- Version 3: merging registries (`pressreg merge`, src/db/merge.rs).
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
