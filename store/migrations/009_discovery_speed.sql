-- Discovery at scale (bench/discovery.sh; BENCHMARKS.md, "Discovery").

-- The key of a donor's consent in force on a day, as a set-returning
-- function (no row: no consent in force), which PostgreSQL inlines into
-- the statement that reads it: the scalar current_consent_key, with its
-- ORDER BY and LIMIT, was called row by row, twice the time per donor
-- (42 against 22 ms for 8,700 donors). The rule is 007's, unchanged, and
-- lives here now: current_consent_key reads this function.
CREATE FUNCTION consent_in_force_key(donor uuid, at date) RETURNS TABLE (key text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN c.withdrawn_on IS NULL OR c.withdrawn_on > at
                THEN c.permission || '|' || array_to_string(c.modifiers, ',') || '|' || coalesce(c.disease, '') END
    FROM consent c
    WHERE c.donor_id = donor AND c.retired_at IS NULL AND c.given_on <= at
    ORDER BY c.given_on DESC, c.id DESC
    LIMIT 1
$$;
CREATE OR REPLACE FUNCTION current_consent_key(donor uuid, at date) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT k.key FROM consent_in_force_key(donor, at) k
$$;

-- The combinations of consent terms recorded, which the services decide
-- once per request (store.ConsentShapes): kept by triggers on consent, so
-- that a request reads a few hundred rows instead of grouping every
-- consent (1.1M rows, 0.3-0.5 s, at 1M donors). The shapes of retired
-- consents stay: a key no consent in force has matches no donor.
CREATE TABLE consent_shape (
    permission text NOT NULL,
    modifiers  text[] NOT NULL,
    disease    text NOT NULL,
    PRIMARY KEY (permission, modifiers, disease)
);
INSERT INTO consent_shape (permission, modifiers, disease)
SELECT DISTINCT permission, modifiers, coalesce(disease, '') FROM consent;

CREATE FUNCTION consent_shape_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO consent_shape (permission, modifiers, disease)
    SELECT DISTINCT permission, modifiers, coalesce(disease, '') FROM changed
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER consent_shape_insert AFTER INSERT ON consent REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION consent_shape_keep();
CREATE TRIGGER consent_shape_update AFTER UPDATE ON consent REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION consent_shape_keep();

-- The current samples by material type and status, the usual first
-- clauses of a discovery filter, with the columns counts and facets join
-- on: totalCount, donorCount and the facets read this index alone
-- instead of scanning sample (an index-only scan of the DNA samples
-- available, hash-joined with the files of hasData).
CREATE INDEX sample_discovery_idx ON sample (material_type, status) INCLUDE (id, donor_id) WHERE retired_at IS NULL;
