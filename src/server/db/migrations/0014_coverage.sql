-- V1, V2: absences and cover. A person's absence is registered ahead of time; for each main role they
-- hold they may name a cover, who holds the role for the days of the absence only (a role assignment
-- made in the same transaction). Nobody covers for themselves (coverage_delegations_not_self). The
-- coverage report finds the days a system's or a unit's needed rights have nobody present.
CREATE TABLE "coverage_absences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL REFERENCES "persons"("id"),
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"registered_by_person_id" uuid REFERENCES "persons"("id"),
	"registered_by_label" text NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by_label" text,
	"reminded_at" timestamp with time zone,
	CONSTRAINT "coverage_absences_period_check" CHECK ("ends_on" >= "starts_on")
);
--> statement-breakpoint
CREATE INDEX "coverage_absences_person_idx" ON "coverage_absences" ("person_id", "starts_on") WHERE cancelled_at is null;
--> statement-breakpoint
CREATE INDEX "coverage_absences_period_idx" ON "coverage_absences" ("ends_on", "starts_on") WHERE cancelled_at is null;
--> statement-breakpoint
-- V1 for a unit's head: an acting head holds the head's rights in the unit (approving orders, granting
-- ordering rights, appointing) for the days of the absence only. Owned by the org module.
CREATE TABLE "org_acting_heads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL REFERENCES "org_units"("id"),
	"person_id" uuid NOT NULL REFERENCES "persons"("id"),
	"for_person_id" uuid NOT NULL REFERENCES "persons"("id"),
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"appointed_by_label" text NOT NULL,
	"appointed_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "org_acting_heads_not_self" CHECK ("person_id" <> "for_person_id"),
	CONSTRAINT "org_acting_heads_period_check" CHECK ("valid_until" >= "valid_from")
);
--> statement-breakpoint
CREATE INDEX "org_acting_heads_person_idx" ON "org_acting_heads" ("person_id", "unit_id") WHERE withdrawn_at is null;
--> statement-breakpoint
CREATE TABLE "coverage_delegations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"absence_id" uuid NOT NULL REFERENCES "coverage_absences"("id"),
	"from_person_id" uuid NOT NULL REFERENCES "persons"("id"),
	"object_id" uuid REFERENCES "governance_objects"("id"),
	"role" text,
	"unit_id" uuid REFERENCES "org_units"("id"),
	"acting_head_id" uuid REFERENCES "org_acting_heads"("id"),
	"cover_person_id" uuid NOT NULL REFERENCES "persons"("id"),
	"assignment_id" uuid REFERENCES "role_assignments"("id") ON DELETE SET NULL,
	"created_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "coverage_delegations_not_self" CHECK ("cover_person_id" <> "from_person_id"),
	CONSTRAINT "coverage_delegations_kind_check" CHECK (("object_id" is not null and "role" is not null and "unit_id" is null) or ("unit_id" is not null and "object_id" is null and "role" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "coverage_delegations_current_key" ON "coverage_delegations" ("absence_id", "object_id", "role") WHERE withdrawn_at is null;
--> statement-breakpoint
CREATE UNIQUE INDEX "coverage_delegations_current_unit_key" ON "coverage_delegations" ("absence_id", "unit_id") WHERE withdrawn_at is null and unit_id is not null;
--> statement-breakpoint
CREATE INDEX "coverage_delegations_absence_idx" ON "coverage_delegations" ("absence_id");
