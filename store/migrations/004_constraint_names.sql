-- Name the unnamed checks, so that store/error.go can turn each violation
-- into a message a user can act on.
ALTER TABLE sample RENAME CONSTRAINT sample_check TO sample_not_own_parent;
ALTER TABLE sample RENAME CONSTRAINT sample_check1 TO sample_remaining_within_initial;
ALTER TABLE consent RENAME CONSTRAINT consent_check TO consent_withdrawn_after_given;
