-- bench/api.sh: Databank's Donor.currentConsent as a PostGraphile 4
-- computed column (Donor.currentConsent there too).
--
-- The rule is domain.CurrentConsent: among the donor's consents that are
-- not retired and already given, the latest (by given_on, then id); none
-- when that one is withdrawn. PostGraphile 4 only takes a function as a
-- computed column when it lives in the table's own schema
-- (graphile-build-pg's PgComputedColumnsPlugin compares the namespaces), so
-- this goes into public, in the benchmark's database only. Databank never
-- calls it. The ORDER BY ... LIMIT 1 reads the donor's consents through
-- consent_donor_idx, as Databank's ConsentsByDonorIDs does.
CREATE OR REPLACE FUNCTION public.donor_current_consent(d public.donor)
RETURNS public.consent
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT c.*
	  FROM (SELECT *
	          FROM public.consent
	         WHERE donor_id = d.id AND retired_at IS NULL AND given_on <= current_date
	         ORDER BY given_on DESC, id DESC
	         LIMIT 1) c
	 WHERE c.withdrawn_on IS NULL OR c.withdrawn_on > current_date
$$;
COMMENT ON FUNCTION public.donor_current_consent(public.donor) IS
	'The consent in force: the latest given, unless withdrawn (bench/api.sh only; mirrors domain.CurrentConsent).';
