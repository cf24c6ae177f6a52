-- Discovery: what the filters, facets and sorted listings of samples
-- need (docs/discovery.md).

-- The key of a donor's consent in force on a day: the latest consent
-- (given_on, then id) given by then and not retired, unless it was
-- withdrawn by then; NULL when there is none. The key joins the consent's
-- terms as permission|modifier,modifier|disease; the services decide each
-- combination of terms present once, in Go (domain.MatchConsent), and
-- ask for the keys whose decision they want. The rule of "in force" is
-- domain.CurrentConsent's; a test checks that both agree.
CREATE FUNCTION current_consent_key(donor uuid, at date) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN c.withdrawn_on IS NULL OR c.withdrawn_on > at
                THEN c.permission || '|' || array_to_string(c.modifiers, ',') || '|' || coalesce(c.disease, '') END
    FROM consent c
    WHERE c.donor_id = donor AND c.retired_at IS NULL AND c.given_on <= at
    ORDER BY c.given_on DESC, c.id DESC
    LIMIT 1
$$;

-- The consent in force is the first row of this index for the donor.
CREATE INDEX consent_in_force_idx ON consent (donor_id, given_on DESC, id DESC) WHERE retired_at IS NULL;

-- Diagnoses by donor (the donor filters and the diagnosis facets).
CREATE INDEX diagnosis_donor_idx ON diagnosis (donor_id) WHERE retired_at IS NULL;

-- Sorted listings of current samples: (key, id), the key as the listing
-- computes it (missing values last in either direction), so that a page
-- at any depth is one index range.
CREATE INDEX sample_collected_asc_idx ON sample ((coalesce(collected_on, 'infinity'::date)), id) WHERE retired_at IS NULL;
CREATE INDEX sample_collected_desc_idx ON sample ((coalesce(collected_on, '-infinity'::date)), id) WHERE retired_at IS NULL;
CREATE INDEX sample_remaining_asc_idx ON sample ((coalesce(remaining_quantity, 'Infinity'::numeric)), id) WHERE retired_at IS NULL;
CREATE INDEX sample_remaining_desc_idx ON sample ((coalesce(remaining_quantity, '-Infinity'::numeric)), id) WHERE retired_at IS NULL;
CREATE INDEX sample_external_id_idx ON sample (external_id, id) WHERE retired_at IS NULL;
CREATE INDEX sample_created_idx ON sample (created_at, id) WHERE retired_at IS NULL;
