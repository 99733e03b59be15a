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
