-- V3: identity editors. Selected staff create and edit the user identities (persons) of the org units
-- they are appointed for, without being administrators. Appointed by an administrator or the unit's
-- head, never by themselves (also refused here: org_identity_editors_not_self); an appointment is
-- ended, not deleted (kept as history).
CREATE TABLE "org_identity_editors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL REFERENCES "org_units"("id"),
	"person_id" uuid NOT NULL REFERENCES "persons"("id"),
	"appointed_by_person_id" uuid REFERENCES "persons"("id"),
	"appointed_by_label" text NOT NULL,
	"appointed_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by_label" text,
	CONSTRAINT "org_identity_editors_not_self" CHECK ("appointed_by_person_id" is null or "appointed_by_person_id" <> "person_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "org_identity_editors_current_key" ON "org_identity_editors" ("unit_id", "person_id") WHERE "ended_at" is null;
--> statement-breakpoint
CREATE INDEX "org_identity_editors_person_idx" ON "org_identity_editors" ("person_id") WHERE "ended_at" is null;
