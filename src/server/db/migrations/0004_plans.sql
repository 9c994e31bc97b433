-- Management plans (issue 6): plans, versions, activities, checklists, signatures.
CREATE TABLE "plan_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"cycle_month_day" text DEFAULT '11-01' NOT NULL,
	"last_cycle_year" integer,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "plan_settings_singleton" CHECK ("plan_settings"."id" = 1),
	CONSTRAINT "plan_settings_month_day_check" CHECK ("plan_settings"."cycle_month_day" ~ '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$')
);
--> statement-breakpoint
INSERT INTO "plan_settings" ("id") VALUES (1);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"object_id" uuid NOT NULL REFERENCES "governance_objects"("id"),
	"year" integer NOT NULL,
	"language" text DEFAULT 'sv' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "plans_object_year_key" UNIQUE("object_id","year"),
	CONSTRAINT "plans_year_check" CHECK ("plans"."year" between 2000 and 2200),
	CONSTRAINT "plans_language_check" CHECK ("plans"."language" in ('sv','en'))
);
--> statement-breakpoint
CREATE INDEX "plans_year_idx" ON "plans" ("year","object_id");
--> statement-breakpoint
CREATE TABLE "plan_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL REFERENCES "plans"("id"),
	"number" integer NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"goals" text DEFAULT '' NOT NULL,
	"scope_system_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"budget_notes" text DEFAULT '' NOT NULL,
	"based_on_version_id" uuid REFERENCES "plan_versions"("id"),
	"proposed_at" timestamp with time zone,
	"proposed_by_person_id" uuid REFERENCES "persons"("id"),
	"approved_at" timestamp with time zone,
	"approved_by_person_id" uuid REFERENCES "persons"("id"),
	"snapshot" jsonb,
	"content_hash" text,
	"signed_at" timestamp with time zone,
	"activity_count" integer DEFAULT 0 NOT NULL,
	"activity_cost" numeric(14, 2) DEFAULT '0' NOT NULL,
	"row_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "plan_versions_number_key" UNIQUE("plan_id","number"),
	CONSTRAINT "plan_versions_state_check" CHECK ("plan_versions"."state" in ('draft','proposed','approved','signed')),
	CONSTRAINT "plan_versions_frozen_check" CHECK ("plan_versions"."state" in ('draft','proposed') or ("plan_versions"."snapshot" is not null and "plan_versions"."content_hash" is not null and "plan_versions"."approved_by_person_id" is not null)),
	CONSTRAINT "plan_versions_signed_check" CHECK ("plan_versions"."state" <> 'signed' or "plan_versions"."signed_at" is not null)
);
--> statement-breakpoint
-- G1/G5: at most one version of a plan is open (draft or proposed) at a time.
CREATE UNIQUE INDEX "plan_versions_one_open" ON "plan_versions" ("plan_id") WHERE "state" in ('draft','proposed');
--> statement-breakpoint
CREATE TABLE "plan_activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"version_id" uuid NOT NULL REFERENCES "plan_versions"("id"),
	"lineage_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"side" text NOT NULL,
	"kind" text NOT NULL,
	"start_on" date,
	"end_on" date,
	"quarter" integer,
	"responsible_person_id" uuid REFERENCES "persons"("id"),
	"estimated_hours" numeric(10, 1) DEFAULT '0' NOT NULL,
	"estimated_cost" numeric(14, 2) DEFAULT '0' NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"follow_up" text DEFAULT '' NOT NULL,
	"origin" text DEFAULT 'manual' NOT NULL,
	"origin_ref" text,
	"row_version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "plan_activities_lineage_key" UNIQUE("version_id","lineage_id"),
	CONSTRAINT "plan_activities_side_check" CHECK ("plan_activities"."side" in ('business','it')),
	CONSTRAINT "plan_activities_kind_check" CHECK ("plan_activities"."kind" in ('maintenance','development')),
	CONSTRAINT "plan_activities_status_check" CHECK ("plan_activities"."status" in ('planned','ongoing','done','postponed','cancelled')),
	CONSTRAINT "plan_activities_origin_check" CHECK ("plan_activities"."origin" in ('manual','carried_over','deviation','document_review')),
	CONSTRAINT "plan_activities_quarter_check" CHECK ("plan_activities"."quarter" is null or "plan_activities"."quarter" between 1 and 4),
	CONSTRAINT "plan_activities_period_check" CHECK ("plan_activities"."end_on" is null or "plan_activities"."start_on" is null or "plan_activities"."end_on" >= "plan_activities"."start_on"),
	CONSTRAINT "plan_activities_timing_check" CHECK ("plan_activities"."quarter" is not null or "plan_activities"."start_on" is not null),
	CONSTRAINT "plan_activities_amounts_check" CHECK ("plan_activities"."estimated_hours" >= 0 and "plan_activities"."estimated_cost" >= 0),
	CONSTRAINT "plan_activities_title_check" CHECK (length(trim("plan_activities"."title")) > 0)
);
--> statement-breakpoint
CREATE INDEX "plan_activities_version_idx" ON "plan_activities" ("version_id","position");
--> statement-breakpoint
CREATE TABLE "plan_signatures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"version_id" uuid NOT NULL REFERENCES "plan_versions"("id"),
	"role" text NOT NULL,
	"person_id" uuid NOT NULL REFERENCES "persons"("id"),
	"person_name" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"content_hash" text NOT NULL,
	CONSTRAINT "plan_signatures_role_key" UNIQUE("version_id","role"),
	CONSTRAINT "plan_signatures_role_check" CHECK ("plan_signatures"."role" in ('system_owner','it_system_owner')),
	CONSTRAINT "plan_signatures_hash_check" CHECK ("plan_signatures"."content_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
-- G5: an approved or signed version is immutable. The services refuse with a 409 first; these
-- triggers hold even for a write that bypasses them.
CREATE FUNCTION "plan_versions_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.state IN ('approved','signed') AND (
		NEW.goals IS DISTINCT FROM OLD.goals OR NEW.scope_system_ids IS DISTINCT FROM OLD.scope_system_ids OR
		NEW.budget_notes IS DISTINCT FROM OLD.budget_notes OR NEW.snapshot IS DISTINCT FROM OLD.snapshot OR
		NEW.content_hash IS DISTINCT FROM OLD.content_hash OR NEW.number IS DISTINCT FROM OLD.number OR
		NEW.approved_by_person_id IS DISTINCT FROM OLD.approved_by_person_id OR
		NEW.approved_at IS DISTINCT FROM OLD.approved_at OR
		NOT (NEW.state = OLD.state OR (OLD.state = 'approved' AND NEW.state = 'signed'))) THEN
		RAISE EXCEPTION 'plan version % is approved and cannot change', OLD.id USING ERRCODE = '23514', CONSTRAINT = 'plan_versions_immutable';
	END IF;
	RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "plan_versions_immutable" BEFORE UPDATE ON "plan_versions" FOR EACH ROW EXECUTE FUNCTION "plan_versions_immutable"();
--> statement-breakpoint
CREATE FUNCTION "plan_activities_draft_only"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s text;
BEGIN
	SELECT state INTO s FROM plan_versions WHERE id = COALESCE(NEW.version_id, OLD.version_id);
	IF s IS DISTINCT FROM 'draft' THEN
		RAISE EXCEPTION 'activities of a % plan version cannot change', s USING ERRCODE = '23514', CONSTRAINT = 'plan_activities_draft_only';
	END IF;
	IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
	RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "plan_activities_draft_only" BEFORE INSERT OR UPDATE OR DELETE ON "plan_activities" FOR EACH ROW EXECUTE FUNCTION "plan_activities_draft_only"();
--> statement-breakpoint
-- The year dashboard reads each version's activity count and cost (cancelled ones left out) from
-- these totals, kept in step with the activities by this trigger in the same transaction.
CREATE FUNCTION "plan_activities_totals"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE','DELETE') THEN
		UPDATE plan_versions SET activity_count = activity_count - 1,
			activity_cost = activity_cost - CASE WHEN OLD.status = 'cancelled' THEN 0 ELSE OLD.estimated_cost END
		WHERE id = OLD.version_id;
	END IF;
	IF TG_OP IN ('UPDATE','INSERT') THEN
		UPDATE plan_versions SET activity_count = activity_count + 1,
			activity_cost = activity_cost + CASE WHEN NEW.status = 'cancelled' THEN 0 ELSE NEW.estimated_cost END
		WHERE id = NEW.version_id;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "plan_activities_totals" AFTER INSERT OR UPDATE OR DELETE ON "plan_activities" FOR EACH ROW EXECUTE FUNCTION "plan_activities_totals"();
--> statement-breakpoint
CREATE TABLE "checklist_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"questions" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by_person_id" uuid REFERENCES "persons"("id"),
	CONSTRAINT "checklist_templates_version_key" UNIQUE("version"),
	CONSTRAINT "checklist_templates_questions_check" CHECK (jsonb_typeof("checklist_templates"."questions") = 'array' and jsonb_array_length("checklist_templates"."questions") > 0)
);
--> statement-breakpoint
INSERT INTO "checklist_templates" ("id", "version", "questions", "created_at") VALUES (gen_random_uuid(), 1, '[
 {"key":"backup","en":"Backups are taken according to the system''s classification and stored separately from production.","sv":"Säkerhetskopiering sker enligt systemets klassning och kopiorna förvaras skilda från produktionen."},
 {"key":"restore_test","en":"A restore from backup has been tested during the last twelve months with an acceptable result.","sv":"Återläsning från säkerhetskopia har testats under de senaste tolv månaderna med godtagbart resultat."},
 {"key":"continuity_plan","en":"There is a documented continuity plan for a long outage, known to the management group.","sv":"Det finns en dokumenterad kontinuitetsplan för långvarigt avbrott som förvaltningsgruppen känner till."},
 {"key":"access_review","en":"Access rights, including administrator and system accounts, have been reviewed during the year.","sv":"Behörigheter, inklusive administratörs- och systemkonton, har granskats under året."},
 {"key":"logging","en":"Logging is decided (what, how long, where) and the logs are protected.","sv":"Loggning är beslutad (vad, hur länge, var) och loggarna är skyddade."},
 {"key":"patching","en":"Security updates are installed within the agreed time and known vulnerabilities are handled.","sv":"Säkerhetsuppdateringar installeras inom överenskommen tid och kända sårbarheter hanteras."},
 {"key":"firewall","en":"Firewall openings are documented, each with a justification.","sv":"Brandväggsöppningar är dokumenterade, var och en med motivering."},
 {"key":"test_environment","en":"Upgrades are rehearsed in a separate test environment.","sv":"Uppgraderingar provas i en separat testmiljö."},
 {"key":"incident_routine","en":"There is a routine for acute incidents, including communication to users.","sv":"Det finns en rutin för akuta störningar, inklusive kommunikation till användarna."},
 {"key":"supplier_terms","en":"The supplier agreement covers security, availability and return of data.","sv":"Leverantörsavtalet täcker säkerhet, tillgänglighet och återlämnande av data."}
]'::jsonb, now());
--> statement-breakpoint
CREATE TABLE "checklist_responses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL REFERENCES "systems"("id"),
	"template_id" uuid NOT NULL REFERENCES "checklist_templates"("id"),
	"state" text DEFAULT 'draft' NOT NULL,
	"answered_by_person_id" uuid REFERENCES "persons"("id"),
	"attested_by_person_id" uuid REFERENCES "persons"("id"),
	"attested_at" timestamp with time zone,
	"seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"row_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "checklist_responses_state_check" CHECK ("checklist_responses"."state" in ('draft','attested')),
	CONSTRAINT "checklist_responses_attested_check" CHECK ("checklist_responses"."state" = 'draft' or ("checklist_responses"."attested_by_person_id" is not null and "checklist_responses"."attested_at" is not null))
);
--> statement-breakpoint
-- G6: one draft checklist per system at a time.
CREATE UNIQUE INDEX "checklist_responses_one_draft" ON "checklist_responses" ("system_id") WHERE "state" = 'draft';
--> statement-breakpoint
CREATE INDEX "checklist_responses_system_idx" ON "checklist_responses" ("system_id","attested_at") WHERE "state" = 'attested';
--> statement-breakpoint
CREATE TABLE "checklist_answers" (
	"response_id" uuid NOT NULL REFERENCES "checklist_responses"("id"),
	"question_key" text NOT NULL,
	"answer" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	CONSTRAINT "checklist_answers_pk" PRIMARY KEY("response_id","question_key"),
	CONSTRAINT "checklist_answers_answer_check" CHECK ("checklist_answers"."answer" in ('yes','no','partly','not_applicable'))
);
--> statement-breakpoint
CREATE FUNCTION "checklist_answers_draft_only"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s text;
BEGIN
	SELECT state INTO s FROM checklist_responses WHERE id = COALESCE(NEW.response_id, OLD.response_id);
	IF s IS DISTINCT FROM 'draft' THEN
		RAISE EXCEPTION 'an attested checklist cannot change' USING ERRCODE = '23514', CONSTRAINT = 'checklist_answers_draft_only';
	END IF;
	IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
	RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "checklist_answers_draft_only" BEFORE INSERT OR UPDATE OR DELETE ON "checklist_answers" FOR EACH ROW EXECUTE FUNCTION "checklist_answers_draft_only"();
