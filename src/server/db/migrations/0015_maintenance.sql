-- G13: upgrades and maintenance are planned, communicated in advance, done in a service window when they
-- disturb users, approved by the CAB and rehearsed in the test environment; each event carries its
-- communication checklist (what, when, how, by whom), and acute incidents have their own.
CREATE TABLE "maintenance_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL REFERENCES "systems"("id"),
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"disturbs_users" boolean NOT NULL,
	"state" text DEFAULT 'planned' NOT NULL,
	"cab_reference" text,
	"cab_approved_by_label" text,
	"cab_approved_at" timestamp with time zone,
	"rehearsed_on" date,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "maintenance_events_period_check" CHECK ("ends_at" > "starts_at"),
	CONSTRAINT "maintenance_events_kind_check" CHECK ("kind" in ('upgrade', 'maintenance', 'incident')),
	CONSTRAINT "maintenance_events_state_check" CHECK ("state" in ('planned', 'cab_approved', 'done', 'cancelled')),
	CONSTRAINT "maintenance_events_cab_check" CHECK ("kind" = 'incident' or "state" in ('planned', 'cancelled') or "cab_approved_at" is not null)
);
--> statement-breakpoint
CREATE INDEX "maintenance_events_system_idx" ON "maintenance_events" ("system_id", "starts_at");
--> statement-breakpoint
CREATE INDEX "maintenance_events_starts_idx" ON "maintenance_events" ("starts_at");
--> statement-breakpoint
CREATE TABLE "maintenance_checklist_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL REFERENCES "maintenance_events"("id"),
	"position" integer NOT NULL,
	"key" text NOT NULL,
	"phase" text NOT NULL,
	"channel" text NOT NULL,
	"responsible" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"done_by_label" text
);
--> statement-breakpoint
CREATE INDEX "maintenance_checklist_items_event_idx" ON "maintenance_checklist_items" ("event_id", "position");
