-- Version 5: the counting units of the default profile, kept on write so
-- that a summary the table can answer is one GROUP BY (src/db/units.rs).
-- The table is filled, for a registry upgraded to this version, by the
-- profile's own code in the same transaction (`migrate.rs`).

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
