-- The biobank of a sample, consent or withdrawal is already checked by the
-- composite keys (donor_id, biobank_id) and (sample_id, biobank_id): the
-- donor or sample referenced belongs to an existing biobank. The single
-- column keys only cost a second check per inserted row (about 8% of a
-- bulk import), so they go; the (biobank_id, external_id) unique indexes
-- still serve lookups by biobank.
ALTER TABLE sample DROP CONSTRAINT sample_biobank_id_fkey;
ALTER TABLE consent DROP CONSTRAINT consent_biobank_id_fkey;
ALTER TABLE withdrawal DROP CONSTRAINT withdrawal_biobank_id_fkey;
