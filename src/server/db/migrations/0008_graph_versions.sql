-- G8/G9: the version of the system graph (systems, dependencies, integrations, information contracts).
-- Every statement that writes one of these tables gives the row a new random version in the same
-- transaction, so the new version becomes visible together with the data. App processes keep the
-- dependency graph and the data flows in memory and read only this row per request, rebuilding when
-- it changed; this works across any number of processes sharing the database. A random value (not a
-- counter) never repeats, even after the row is deleted or the database rebuilt.
CREATE TABLE "graph_versions" (
	"name" text PRIMARY KEY NOT NULL,
	"version" uuid NOT NULL
);
--> statement-breakpoint
INSERT INTO "graph_versions" ("name", "version") VALUES ('systems', gen_random_uuid());
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_bump_graph_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO graph_versions (name, version) VALUES ('systems', gen_random_uuid())
    ON CONFLICT (name) DO UPDATE SET version = excluded.version;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER systems_graph_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "systems"
  FOR EACH STATEMENT EXECUTE FUNCTION steward_bump_graph_version();
--> statement-breakpoint
CREATE TRIGGER system_dependencies_graph_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "system_dependencies"
  FOR EACH STATEMENT EXECUTE FUNCTION steward_bump_graph_version();
--> statement-breakpoint
CREATE TRIGGER integrations_graph_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "integrations"
  FOR EACH STATEMENT EXECUTE FUNCTION steward_bump_graph_version();
--> statement-breakpoint
CREATE TRIGGER information_contracts_graph_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "information_contracts"
  FOR EACH STATEMENT EXECUTE FUNCTION steward_bump_graph_version();
