-- Version 3.
--
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
