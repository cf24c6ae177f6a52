-- Approvals staff record for a researcher: a dataset (its current files
-- and the samples they hold) or a named set of samples (the samples and
-- their files). They lift the researcher from aggregates to those rows
-- (domain.ApprovedScope). Approvals are revoked, never deleted.
CREATE TABLE access_approval (
    id          uuid PRIMARY KEY,
    researcher  text NOT NULL CHECK (length(researcher) BETWEEN 1 AND 256),
    issuer      text NOT NULL DEFAULT '',
    dataset_id  uuid REFERENCES dataset (id),
    name        text NOT NULL DEFAULT '',
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    expires_on  date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL,
    revoked_at  timestamptz,
    revoked_by  text,
    CONSTRAINT access_approval_revoked_by_someone CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX access_approval_researcher_idx ON access_approval (researcher, issuer) WHERE revoked_at IS NULL;

CREATE TABLE access_approval_sample (
    approval_id uuid NOT NULL REFERENCES access_approval (id),
    sample_id   uuid NOT NULL REFERENCES sample (id),
    PRIMARY KEY (approval_id, sample_id)
);
