-- Software titles, licence coordinators, licence keys, assignments and reporting (issue 5: S1–S5).
CREATE TABLE "software_titles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"vendor" text DEFAULT '' NOT NULL,
	"product_version" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"platforms" text[] DEFAULT '{}' NOT NULL,
	"licence_model" text NOT NULL,
	"agreement_start" date,
	"agreement_end" date,
	"renewal_on" date,
	"report_deadline_days" integer DEFAULT 30 NOT NULL,
	"offered" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "software_titles_name_key" UNIQUE("name","product_version"),
	CONSTRAINT "software_titles_model_check" CHECK ("licence_model" in ('site','reported','seat_keys')),
	CONSTRAINT "software_titles_period_check" CHECK ("agreement_end" is null or "agreement_start" is null or "agreement_end" >= "agreement_start"),
	CONSTRAINT "software_titles_deadline_check" CHECK ("report_deadline_days" between 0 and 365)
);
--> statement-breakpoint
CREATE TABLE "software_seat_pools" (
	"title_id" uuid NOT NULL REFERENCES "software_titles"("id"),
	"unit_id" uuid NOT NULL REFERENCES "org_units"("id"),
	"seats" integer NOT NULL,
	CONSTRAINT "software_seat_pools_pkey" PRIMARY KEY("title_id","unit_id"),
	CONSTRAINT "software_seat_pools_seats_check" CHECK ("seats" >= 0)
);
--> statement-breakpoint
CREATE TABLE "licence_coordinators" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL REFERENCES "org_units"("id"),
	"person_id" uuid NOT NULL REFERENCES "persons"("id"),
	"appointed_by_person_id" uuid REFERENCES "persons"("id"),
	"appointed_by_label" text NOT NULL,
	"appointed_on" date NOT NULL,
	"commitment_signed_on" date NOT NULL,
	"commitment_signer" text NOT NULL,
	"commitment_document" text NOT NULL,
	"ended_on" date,
	"ended_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "licence_coordinators_commitment_check" CHECK (length(trim("commitment_signer")) > 0 and length(trim("commitment_document")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "licence_coordinators_current_key" ON "licence_coordinators" ("unit_id") WHERE "ended_on" is null;
--> statement-breakpoint
CREATE INDEX "licence_coordinators_person_idx" ON "licence_coordinators" ("person_id");
--> statement-breakpoint
CREATE TABLE "licence_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title_id" uuid NOT NULL REFERENCES "software_titles"("id"),
	"unit_id" uuid NOT NULL REFERENCES "org_units"("id"),
	"key_ciphertext" text NOT NULL,
	"key_hint" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "licence_keys_title_unit_idx" ON "licence_keys" ("title_id","unit_id");
--> statement-breakpoint
CREATE TABLE "licence_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title_id" uuid NOT NULL REFERENCES "software_titles"("id"),
	"unit_id" uuid NOT NULL REFERENCES "org_units"("id"),
	"person_id" uuid NOT NULL REFERENCES "persons"("id"),
	"recipient_kind" text DEFAULT 'employee' NOT NULL,
	"key_id" uuid REFERENCES "licence_keys"("id"),
	"assigned_by_label" text NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by_label" text,
	"cancel_reason" text,
	CONSTRAINT "licence_assignments_kind_check" CHECK ("recipient_kind" in ('employee','student'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "licence_assignments_one_active_key" ON "licence_assignments" ("title_id","person_id") WHERE "cancelled_at" is null;
--> statement-breakpoint
CREATE UNIQUE INDEX "licence_assignments_key_once_key" ON "licence_assignments" ("key_id") WHERE "cancelled_at" is null and "key_id" is not null;
--> statement-breakpoint
CREATE INDEX "licence_assignments_unit_idx" ON "licence_assignments" ("unit_id","title_id");
--> statement-breakpoint
CREATE INDEX "licence_assignments_person_idx" ON "licence_assignments" ("person_id");
--> statement-breakpoint
CREATE TABLE "licence_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title_id" uuid NOT NULL REFERENCES "software_titles"("id"),
	"unit_id" uuid NOT NULL REFERENCES "org_units"("id"),
	"period_year" integer NOT NULL,
	"users" integer NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"submitted_by_label" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "licence_reports_period_key" UNIQUE("title_id","unit_id","period_year"),
	CONSTRAINT "licence_reports_users_check" CHECK ("users" >= 0)
);
--> statement-breakpoint
CREATE TABLE "procurement_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"software_name" text NOT NULL,
	"vendor" text DEFAULT '' NOT NULL,
	"unit_id" uuid NOT NULL REFERENCES "org_units"("id"),
	"requested_by_person_id" uuid REFERENCES "persons"("id"),
	"requested_by_label" text NOT NULL,
	"justification" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decision_comment" text,
	"decided_by_label" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "procurement_requests_status_check" CHECK ("status" in ('open','approved','rejected'))
);
--> statement-breakpoint
CREATE TABLE "coordinator_announcements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"sent_by_label" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"recipients" integer NOT NULL,
	"unreachable" integer NOT NULL
);
