-- Only the triggers write the change log. Its trigger functions run with
-- their owner's rights (SECURITY DEFINER), so the application's role
-- needs no INSERT on change_log and is not granted one (store.GrantApp):
-- it can name the actor of its changes (databank.actor), not write
-- entries of its own.
--
-- Inside such a function current_user is the owner, so the role that made
-- the change is session_user: the fallback actor and db_role read it.

CREATE OR REPLACE FUNCTION change_actor() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('databank.actor', true), ''), session_user::text)
$$;
ALTER TABLE change_log ALTER COLUMN db_role SET DEFAULT session_user;

ALTER FUNCTION log_update() SECURITY DEFINER SET search_path = pg_catalog, public;
ALTER FUNCTION log_create() SECURITY DEFINER SET search_path = pg_catalog, public;
ALTER FUNCTION log_dataset_files() SECURITY DEFINER SET search_path = pg_catalog, public;
ALTER FUNCTION log_file_samples() SECURITY DEFINER SET search_path = pg_catalog, public;
