-- A SECURITY DEFINER function searches pg_temp first unless its
-- search_path names pg_temp (PostgreSQL's "Writing SECURITY DEFINER
-- Functions Safely"): the application's role, which may create temporary
-- tables, could otherwise shadow change_log with one of its own and keep
-- its changes out of the log. pg_temp goes last.
ALTER FUNCTION log_update() SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION log_create() SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION log_dataset_files() SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION log_file_samples() SET search_path = pg_catalog, public, pg_temp;
