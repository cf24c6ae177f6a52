-- The audit's indexes cost every request less (docs/audit.md):
-- * "who looked at donor D?" needs only the events that returned donors,
--   so the GIN index leaves out the many that returned none (counts,
--   facets, refusals); its queries say donor_ids <> '{}' to use it;
-- * the events are appended in time order, so a BRIN index answers a
--   time range (audit export --since) at a fraction of a B-tree's upkeep.
-- Rebuilding the GIN index locks audit_event against inserts while it
-- runs (a migration is one transaction), and a server still running
-- answers 503 meanwhile, its audit failing closed: on a large audit log,
-- migrate in a maintenance window.
DROP INDEX audit_event_donor_idx;
CREATE INDEX audit_event_donor_idx ON audit_event USING gin (donor_ids) WHERE donor_ids <> '{}';
DROP INDEX audit_event_at_idx;
CREATE INDEX audit_event_at_idx ON audit_event USING brin (at);
