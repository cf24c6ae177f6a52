-- Discovery at scale, continued (bench/discovery.sh; BENCHMARKS.md,
-- "Discovery"). A migration of its own, so that databases already at 009
-- or 010 get these too. OR REPLACE and IF NOT EXISTS: for a few minutes
-- (d73a75d to b453ef9) 009 itself created both, and a database migrated
-- then already has them.

-- The key of a donor's consent in force on a day, as a set-returning
-- function (no row: no consent in force), which PostgreSQL inlines into
-- the statement that reads it: the scalar current_consent_key, with its
-- ORDER BY and LIMIT, was called row by row, twice the time per donor
-- (42 against 22 ms for 8,700 donors). The rule is 007's, unchanged, and
-- lives here now: current_consent_key reads this function.
CREATE OR REPLACE FUNCTION consent_in_force_key(donor uuid, at date) RETURNS TABLE (key text)
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

-- The current samples by material type and status, the usual first
-- clauses of a discovery filter, with the columns counts and facets join
-- on: totalCount, donorCount and the facets read this index alone
-- instead of scanning sample (an index-only scan of the DNA samples
-- available, hash-joined with the files of hasData).
CREATE INDEX IF NOT EXISTS sample_discovery_idx ON sample (material_type, status) INCLUDE (id, donor_id) WHERE retired_at IS NULL;
