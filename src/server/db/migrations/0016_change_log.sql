-- G11, G7: each system's change log, the dated record of the changes made to it (configuration,
-- upgrades, integrations, ...): for troubleshooting, the yearly report and next year's plan. It is
-- append-only (a correction is a new entry); completed maintenance writes its own entry, once.
CREATE TABLE "maintenance_change_log" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"system_id" uuid NOT NULL REFERENCES "systems"("id"),
	"changed_on" date NOT NULL,
	"kind" text NOT NULL,
	"summary" text NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"maintenance_event_id" uuid REFERENCES "maintenance_events"("id"),
	"recorded_by_label" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "maintenance_change_log_kind_check" CHECK ("kind" in ('upgrade', 'maintenance', 'incident', 'configuration', 'integration', 'access', 'other')),
	CONSTRAINT "maintenance_change_log_summary_check" CHECK (length(btrim("summary")) > 0)
);
--> statement-breakpoint
CREATE INDEX "maintenance_change_log_system_idx" ON "maintenance_change_log" ("system_id", "changed_on", "seq");
--> statement-breakpoint
CREATE INDEX "maintenance_change_log_changed_idx" ON "maintenance_change_log" ("changed_on", "seq");
--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_change_log_event_key" ON "maintenance_change_log" ("maintenance_event_id") WHERE maintenance_event_id is not null;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION maintenance_change_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the change log is append-only (G11): % refused; record a correcting entry instead', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER maintenance_change_log_append_only BEFORE UPDATE OR DELETE ON maintenance_change_log
  FOR EACH ROW EXECUTE FUNCTION maintenance_change_log_refuse_change();
