-- Version 3: sources say which publisher's story they repeat, and sources
-- and claims can be retracted (marked withdrawn, kept).
ALTER TABLE source ADD COLUMN via TEXT NOT NULL DEFAULT '';
ALTER TABLE source ADD COLUMN withdrawn_at TEXT;
ALTER TABLE claim ADD COLUMN withdrawn_at TEXT CHECK (withdrawn_at IS NULL OR accepted = 0);
