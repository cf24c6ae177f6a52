-- Every index of consent is paid for by every consent a bulk import
-- creates. No query looks consents up by permission (consent matching
-- reads a donor's consents through consent_donor_idx), so that index goes.
-- superseded_by is only ever looked up by a value (a retired consent's
-- successor link, the self-referencing key's checks); most consents are
-- current, with no successor, and need no entry.
DROP INDEX consent_permission_idx;
DROP INDEX consent_superseded_by_idx;
CREATE INDEX consent_superseded_by_idx ON consent (superseded_by) WHERE superseded_by IS NOT NULL;
