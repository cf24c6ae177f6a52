-- The registry: biobanks, donors, consents, diagnoses, samples, studies,
-- withdrawals, data files and datasets. Keys are UUIDv7 made by the
-- application; every table records who created and last changed a row.
-- Foreign keys never cascade: nothing disappears silently. Retiring sets
-- retired_at; rows are never deleted by the application.

CREATE TABLE biobank (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    country     text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    contact     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL,
    retired_at  timestamptz
);

CREATE TABLE donor (
    id           uuid PRIMARY KEY,
    biobank_id   uuid NOT NULL REFERENCES biobank (id),
    external_id  text NOT NULL,
    sex          text NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    birth_year   integer CHECK (birth_year BETWEEN 1880 AND 2200),
    vital_status text NOT NULL CHECK (vital_status IN ('alive', 'deceased', 'unknown')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text NOT NULL,
    retired_at   timestamptz,
    UNIQUE (biobank_id, external_id),
    UNIQUE (id, biobank_id)
);

CREATE TABLE diagnosis (
    id               uuid PRIMARY KEY,
    donor_id         uuid NOT NULL REFERENCES donor (id),
    code             text NOT NULL,
    diagnosed_on     date,
    age_at_diagnosis integer CHECK (age_at_diagnosis BETWEEN 0 AND 130),
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    updated_by       text NOT NULL,
    retired_at       timestamptz,
    UNIQUE (donor_id, code)
);
CREATE INDEX diagnosis_code_idx ON diagnosis (code);

CREATE TABLE consent (
    id            uuid PRIMARY KEY,
    biobank_id    uuid NOT NULL REFERENCES biobank (id),
    donor_id      uuid NOT NULL,
    external_id   text NOT NULL,
    given_on      date NOT NULL,
    withdrawn_on  date CHECK (withdrawn_on >= given_on),
    permission    text NOT NULL,
    modifiers     text[] NOT NULL DEFAULT '{}',
    disease       text,
    document_ref  text NOT NULL DEFAULT '',
    superseded_by uuid REFERENCES consent (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL,
    retired_at    timestamptz,
    UNIQUE (biobank_id, external_id),
    FOREIGN KEY (donor_id, biobank_id) REFERENCES donor (id, biobank_id)
);
CREATE INDEX consent_donor_idx ON consent (donor_id);
CREATE INDEX consent_superseded_by_idx ON consent (superseded_by);
CREATE INDEX consent_permission_idx ON consent (permission);

-- registered_remaining is the quantity left according to the biobank's
-- registry (a LIMS export or a staff edit) before the withdrawals recorded
-- here; withdrawn is the sum of those withdrawals, recomputed from the
-- withdrawal rows, so a withdrawal is subtracted exactly once however often
-- it is imported. The database refuses a negative remainder.
CREATE TABLE sample (
    id                   uuid PRIMARY KEY,
    biobank_id           uuid NOT NULL REFERENCES biobank (id),
    external_id          text NOT NULL,
    donor_id             uuid NOT NULL,
    parent_id            uuid CHECK (parent_id <> id),
    material_type        text NOT NULL,
    anatomical_site      text,
    collected_on         date,
    storage_temperature  text,
    initial_quantity     numeric(15, 3) CHECK (initial_quantity >= 0),
    registered_remaining numeric(15, 3) CHECK (registered_remaining >= 0),
    withdrawn            numeric(15, 3) NOT NULL DEFAULT 0,
    remaining_quantity   numeric(15, 3) GENERATED ALWAYS AS (registered_remaining - withdrawn) STORED
                         CHECK (remaining_quantity >= 0),
    quantity_unit        text,
    status               text NOT NULL CHECK (status IN ('available', 'reserved', 'depleted', 'destroyed')),
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           text NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    updated_by           text NOT NULL,
    retired_at           timestamptz,
    UNIQUE (biobank_id, external_id),
    UNIQUE (id, biobank_id),
    UNIQUE (id, donor_id),
    CHECK (registered_remaining <= initial_quantity),
    -- a sample belongs to a donor of its own biobank, and derived material
    -- comes from a sample of the same donor
    FOREIGN KEY (donor_id, biobank_id) REFERENCES donor (id, biobank_id),
    FOREIGN KEY (parent_id, donor_id) REFERENCES sample (id, donor_id)
);
CREATE INDEX sample_donor_idx ON sample (donor_id);
CREATE INDEX sample_parent_idx ON sample (parent_id);
CREATE INDEX sample_material_idx ON sample (material_type);

CREATE TABLE study (
    id                     uuid PRIMARY KEY,
    external_id            text NOT NULL UNIQUE,
    title                  text NOT NULL,
    principal_investigator text NOT NULL DEFAULT '',
    ethics_approval        text NOT NULL DEFAULT '',
    ega_accession          text UNIQUE CHECK (ega_accession ~ '^EGAS[0-9]{11}$'),
    created_at             timestamptz NOT NULL DEFAULT now(),
    created_by             text NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    updated_by             text NOT NULL,
    retired_at             timestamptz
);

CREATE TABLE withdrawal (
    id                   uuid PRIMARY KEY,
    biobank_id           uuid NOT NULL REFERENCES biobank (id),
    external_id          text NOT NULL,
    sample_id            uuid NOT NULL,
    study_id             uuid NOT NULL REFERENCES study (id),
    quantity             numeric(15, 3) NOT NULL CHECK (quantity > 0),
    quantity_unit        text NOT NULL,
    withdrawn_on         date NOT NULL,
    recipient            text NOT NULL DEFAULT '',
    data_return_required boolean NOT NULL DEFAULT false,
    data_return_due      date,
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           text NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    updated_by           text NOT NULL,
    retired_at           timestamptz,
    UNIQUE (biobank_id, external_id),
    FOREIGN KEY (sample_id, biobank_id) REFERENCES sample (id, biobank_id)
);
CREATE INDEX withdrawal_sample_idx ON withdrawal (sample_id);
CREATE INDEX withdrawal_study_idx ON withdrawal (study_id);

CREATE TABLE data_file (
    id            uuid PRIMARY KEY,
    external_id   text NOT NULL UNIQUE,
    format        text NOT NULL,
    assay         text NOT NULL,
    assembly      text,
    size          bigint CHECK (size >= 0),
    md5           text CHECK (md5 ~ '^[0-9a-f]{32}$'),
    sha256        text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    location      text NOT NULL,
    study_id      uuid REFERENCES study (id),
    withdrawal_id uuid REFERENCES withdrawal (id),
    software      text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL,
    retired_at    timestamptz
);
CREATE UNIQUE INDEX data_file_sha256_idx ON data_file (sha256);
CREATE INDEX data_file_study_idx ON data_file (study_id);
CREATE INDEX data_file_withdrawal_idx ON data_file (withdrawal_id);
CREATE INDEX data_file_format_idx ON data_file (format, assay, assembly);

CREATE TABLE data_file_sample (
    data_file_id uuid NOT NULL REFERENCES data_file (id),
    sample_id    uuid NOT NULL REFERENCES sample (id),
    alias        text NOT NULL DEFAULT '',
    PRIMARY KEY (data_file_id, sample_id)
);
CREATE INDEX data_file_sample_sample_idx ON data_file_sample (sample_id);

CREATE TABLE dataset (
    id                    uuid PRIMARY KEY,
    external_id           text NOT NULL UNIQUE,
    title                 text NOT NULL,
    version               text NOT NULL DEFAULT '1',
    data_use              text[] NOT NULL DEFAULT '{}',
    data_access_committee text NOT NULL DEFAULT '',
    description           text NOT NULL DEFAULT '',
    created_at            timestamptz NOT NULL DEFAULT now(),
    created_by            text NOT NULL,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    updated_by            text NOT NULL,
    retired_at            timestamptz
);

CREATE TABLE dataset_file (
    dataset_id   uuid NOT NULL REFERENCES dataset (id),
    data_file_id uuid NOT NULL REFERENCES data_file (id),
    PRIMARY KEY (dataset_id, data_file_id)
);
CREATE INDEX dataset_file_file_idx ON dataset_file (data_file_id);

-- Every change to a registry row: who, when, and the values before and
-- after. Written by the store in the same transaction as the change.
CREATE TABLE change_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity     text NOT NULL,
    entity_id  uuid NOT NULL,
    action     text NOT NULL CHECK (action IN ('create', 'update', 'retire', 'restore')),
    actor      text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    old_values jsonb,
    new_values jsonb
);
CREATE INDEX change_log_entity_idx ON change_log (entity_id, id);

-- Updates are logged set-based, one statement-level trigger per table, with
-- only the columns that changed. Creation is recorded on the row itself
-- (created_at, created_by), so bulk inserts pay nothing here.
CREATE FUNCTION log_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_log (entity, entity_id, action, actor, old_values, new_values)
    SELECT TG_TABLE_NAME, n.id,
           CASE WHEN o.retired_at IS NULL AND n.retired_at IS NOT NULL THEN 'retire'
                WHEN o.retired_at IS NOT NULL AND n.retired_at IS NULL THEN 'restore'
                ELSE 'update' END,
           n.updated_by,
           (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(o.j) e
             WHERE n.j -> e.key IS DISTINCT FROM e.value AND e.key NOT IN ('updated_at', 'updated_by')),
           (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(n.j) e
             WHERE o.j -> e.key IS DISTINCT FROM e.value AND e.key NOT IN ('updated_at', 'updated_by'))
      FROM (SELECT r.id, r.retired_at, to_jsonb(r) AS j FROM old_rows r) o
      JOIN (SELECT r.id, r.retired_at, r.updated_by, to_jsonb(r) AS j FROM new_rows r) n USING (id)
     WHERE o.j - 'updated_at' - 'updated_by' IS DISTINCT FROM n.j - 'updated_at' - 'updated_by';
    RETURN NULL;
END
$$;

CREATE TRIGGER biobank_log AFTER UPDATE ON biobank REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_update();
CREATE TRIGGER donor_log AFTER UPDATE ON donor REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_update();
CREATE TRIGGER diagnosis_log AFTER UPDATE ON diagnosis REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_update();
CREATE TRIGGER consent_log AFTER UPDATE ON consent REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_update();
CREATE TRIGGER sample_log AFTER UPDATE ON sample REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_update();
CREATE TRIGGER study_log AFTER UPDATE ON study REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_update();
CREATE TRIGGER withdrawal_log AFTER UPDATE ON withdrawal REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_update();
CREATE TRIGGER data_file_log AFTER UPDATE ON data_file REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_update();
CREATE TRIGGER dataset_log AFTER UPDATE ON dataset REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_update();
