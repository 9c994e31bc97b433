-- G13: system messages, shown to users from one moment to another (a week before planned work; at once
-- for an incident), in English and Swedish; linked to the work they announce.
CREATE TABLE "maintenance_system_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL REFERENCES "systems"("id"),
	"maintenance_event_id" uuid REFERENCES "maintenance_events"("id"),
	"severity" text NOT NULL,
	"text_en" text DEFAULT '' NOT NULL,
	"text_sv" text DEFAULT '' NOT NULL,
	"shown_from" timestamp with time zone NOT NULL,
	"shown_until" timestamp with time zone NOT NULL,
	"published_by_label" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by_label" text,
	CONSTRAINT "maintenance_system_messages_period_check" CHECK ("shown_until" > "shown_from"),
	CONSTRAINT "maintenance_system_messages_severity_check" CHECK ("severity" in ('info', 'warning', 'disruption')),
	CONSTRAINT "maintenance_system_messages_text_check" CHECK (length(btrim("text_en")) > 0 or length(btrim("text_sv")) > 0)
);
--> statement-breakpoint
CREATE INDEX "maintenance_system_messages_system_idx" ON "maintenance_system_messages" ("system_id", "shown_until");
--> statement-breakpoint
CREATE INDEX "maintenance_system_messages_current_idx" ON "maintenance_system_messages" ("shown_until") WHERE withdrawn_at is null;
