-- The change log records creations too, and its actor no longer comes
-- from a column the writer fills.
--
-- The actor of every entry is the transaction-local setting
-- databank.actor, which the store sets at the start of each writing
-- transaction (store.setActor), or the database role when a transaction
-- did not set it (a psql session, say). db_role keeps the database role
-- that wrote the entry whatever the setting says: the application can
-- name its user, not pretend to be another role.

CREATE FUNCTION change_actor() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('databank.actor', true), ''), current_user::text)
$$;

ALTER TABLE change_log ADD COLUMN db_role text;
ALTER TABLE change_log ALTER COLUMN db_role SET DEFAULT current_user;
ALTER TABLE change_log ALTER COLUMN actor SET DEFAULT change_actor();

-- Updates: as in 001, with the actor from change_actor() instead of the
-- row's updated_by.
CREATE OR REPLACE FUNCTION log_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_log (entity, entity_id, action, old_values, new_values)
    SELECT TG_TABLE_NAME, n.id,
           CASE WHEN o.retired_at IS NULL AND n.retired_at IS NOT NULL THEN 'retire'
                WHEN o.retired_at IS NOT NULL AND n.retired_at IS NULL THEN 'restore'
                ELSE 'update' END,
           (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(o.j) e
             WHERE n.j -> e.key IS DISTINCT FROM e.value AND e.key NOT IN ('updated_at', 'updated_by')),
           (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(n.j) e
             WHERE o.j -> e.key IS DISTINCT FROM e.value AND e.key NOT IN ('updated_at', 'updated_by'))
      FROM (SELECT r.id, r.retired_at, to_jsonb(r) AS j FROM old_rows r) o
      JOIN (SELECT r.id, r.retired_at, to_jsonb(r) AS j FROM new_rows r) n USING (id)
     WHERE o.j - 'updated_at' - 'updated_by' IS DISTINCT FROM n.j - 'updated_at' - 'updated_by';
    RETURN NULL;
END
$$;

-- Creations: one entry per new row, set-based, with the new row less the
-- bookkeeping columns the entry holds itself (at, actor). An
-- INSERT ... ON CONFLICT DO UPDATE passes only the rows it inserted here;
-- those it updated go to log_update.
CREATE FUNCTION log_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_log (entity, entity_id, action, new_values)
    SELECT TG_TABLE_NAME, r.id, 'create', to_jsonb(r) - '{created_at,created_by,updated_at,updated_by}'::text[]
      FROM new_rows r;
    RETURN NULL;
END
$$;

CREATE TRIGGER biobank_create_log AFTER INSERT ON biobank REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_create();
CREATE TRIGGER donor_create_log AFTER INSERT ON donor REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_create();
CREATE TRIGGER diagnosis_create_log AFTER INSERT ON diagnosis REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_create();
CREATE TRIGGER consent_create_log AFTER INSERT ON consent REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_create();
CREATE TRIGGER sample_create_log AFTER INSERT ON sample REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_create();
CREATE TRIGGER study_create_log AFTER INSERT ON study REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_create();
CREATE TRIGGER withdrawal_create_log AFTER INSERT ON withdrawal REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_create();
CREATE TRIGGER data_file_create_log AFTER INSERT ON data_file REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_create();
CREATE TRIGGER dataset_create_log AFTER INSERT ON dataset REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_create();

-- Links are changes of the record they hang from: a dataset's files
-- added or removed (files_added, files_removed: what SetDatasetFiles
-- logged by hand before, now for imports too), a file's samples added
-- (samples_added).
CREATE FUNCTION log_dataset_files() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_log (entity, entity_id, action, old_values, new_values)
    SELECT 'dataset', l.dataset_id, 'update', '{}',
           jsonb_build_object(CASE TG_OP WHEN 'INSERT' THEN 'files_added' ELSE 'files_removed' END,
                              jsonb_agg(l.data_file_id ORDER BY l.data_file_id))
      FROM changed l GROUP BY l.dataset_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER dataset_file_add_log AFTER INSERT ON dataset_file REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION log_dataset_files();
CREATE TRIGGER dataset_file_remove_log AFTER DELETE ON dataset_file REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION log_dataset_files();

CREATE FUNCTION log_file_samples() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_log (entity, entity_id, action, old_values, new_values)
    SELECT 'data_file', l.data_file_id, 'update', '{}',
           jsonb_build_object('samples_added', jsonb_agg(l.sample_id ORDER BY l.sample_id))
      FROM changed l GROUP BY l.data_file_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER data_file_sample_add_log AFTER INSERT ON data_file_sample REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION log_file_samples();

-- The change log is append-only like audit_event (010): UPDATE, DELETE
-- and TRUNCATE are refused for everybody, its owner included.
CREATE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'change_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER change_log_no_update BEFORE UPDATE OR DELETE ON change_log
    FOR EACH ROW EXECUTE FUNCTION change_log_append_only();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log
    FOR EACH STATEMENT EXECUTE FUNCTION change_log_append_only();
