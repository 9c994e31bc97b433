CREATE TABLE "system_dependencies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"from_system_id" uuid NOT NULL,
	"to_system_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "system_dependencies_edge_key" UNIQUE("from_system_id","to_system_id","kind"),
	CONSTRAINT "system_dependencies_no_self" CHECK ("system_dependencies"."from_system_id" <> "system_dependencies"."to_system_id"),
	CONSTRAINT "system_dependencies_kind_check" CHECK ("system_dependencies"."kind" in ('runtime','data','authentication','hosting'))
);
--> statement-breakpoint
CREATE TABLE "system_firewall_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"justification" text NOT NULL,
	"review_on" date,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "system_firewall_rules_justified" CHECK (length(trim("system_firewall_rules"."justification")) > 0)
);
--> statement-breakpoint
CREATE TABLE "governance_objects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owning_unit_id" uuid NOT NULL,
	"budget_frame" numeric(14, 2),
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "governance_objects_name_key" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "information_contracts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"integration_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"data_items" text[] NOT NULL,
	"purpose" text NOT NULL,
	"includes_personal_data" boolean NOT NULL,
	"personal_data_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"legal_basis" text,
	"proposed_by_person_id" uuid,
	"proposed_at" timestamp with time zone NOT NULL,
	"consented_by_person_id" uuid,
	"consented_at" timestamp with time zone,
	"superseded_at" timestamp with time zone,
	CONSTRAINT "information_contracts_version_key" UNIQUE("integration_id","version"),
	CONSTRAINT "information_contracts_status_check" CHECK ("information_contracts"."status" in ('proposed','active','superseded')),
	CONSTRAINT "information_contracts_legal_basis" CHECK ((not "information_contracts"."includes_personal_data" or "information_contracts"."legal_basis" is not null) and ("information_contracts"."legal_basis" is null or "information_contracts"."legal_basis" in ('consent','contract','legal_obligation','vital_interests','public_task','legitimate_interests'))),
	CONSTRAINT "information_contracts_active_consented" CHECK ("information_contracts"."status" = 'proposed' or "information_contracts"."consented_by_person_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source_system_id" uuid NOT NULL,
	"target_system_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "integrations_not_self" CHECK ("integrations"."source_system_id" <> "integrations"."target_system_id")
);
--> statement-breakpoint
CREATE TABLE "system_restore_tests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"tested_on" date NOT NULL,
	"result" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "system_restore_tests_result_check" CHECK ("system_restore_tests"."result" in ('success','partial','failed'))
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"object_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"role" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date,
	"appointed_by_person_id" uuid,
	"appointed_by_unit_id" uuid,
	"appointed_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "role_assignments_role_check" CHECK ("role_assignments"."role" in ('system_owner','it_system_owner','system_manager','it_system_manager','business_specialist','it_specialist','reference_group','steering_group','management_group')),
	CONSTRAINT "role_assignments_period_check" CHECK ("role_assignments"."valid_until" is null or "role_assignments"."valid_until" >= "role_assignments"."valid_from"),
	CONSTRAINT "role_assignments_reference_group_unit" CHECK ("role_assignments"."role" <> 'reference_group' or "role_assignments"."appointed_by_unit_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "system_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"link" text,
	"body" text,
	"owner_person_id" uuid NOT NULL,
	"review_interval_months" integer DEFAULT 12 NOT NULL,
	"last_reviewed_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "system_documents_kind_key" UNIQUE("system_id","kind"),
	CONSTRAINT "system_documents_kind_check" CHECK ("system_documents"."kind" in ('access_rights_lifecycle','configuration','logging','upgrade_process','information_contracts','change_log')),
	CONSTRAINT "system_documents_interval_check" CHECK ("system_documents"."review_interval_months" between 1 and 120),
	CONSTRAINT "system_documents_content_check" CHECK ("system_documents"."link" is not null or "system_documents"."body" is not null)
);
--> statement-breakpoint
CREATE TABLE "system_modules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "system_modules_system_name_key" UNIQUE("system_id","name")
);
--> statement-breakpoint
CREATE TABLE "systems" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"short_name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"lifecycle" text DEFAULT 'planned' NOT NULL,
	"org_model" integer NOT NULL,
	"vendor" text,
	"contract_owner" text,
	"contract_owner_person_id" uuid,
	"hosting" text NOT NULL,
	"criticality" text DEFAULT 'medium' NOT NULL,
	"confidentiality" integer DEFAULT 2 NOT NULL,
	"integrity" integer DEFAULT 2 NOT NULL,
	"availability" integer DEFAULT 2 NOT NULL,
	"stores_personal_data" boolean DEFAULT false NOT NULL,
	"personal_data_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"environments" text[] DEFAULT '{production}'::text[] NOT NULL,
	"service_desk_queue" text,
	"resolver_group" text,
	"resolver_members_reviewed_on" date,
	"backup_arrangement" text,
	"governance_object_id" uuid NOT NULL,
	"sort_key" text NOT NULL,
	"search_text" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "systems_short_name_key" UNIQUE("short_name"),
	CONSTRAINT "systems_lifecycle_check" CHECK ("systems"."lifecycle" in ('planned','in_production','being_phased_out','retired')),
	CONSTRAINT "systems_org_model_check" CHECK ("systems"."org_model" between 1 and 5),
	CONSTRAINT "systems_hosting_check" CHECK ("systems"."hosting" in ('own','central_it','vendor')),
	CONSTRAINT "systems_criticality_check" CHECK ("systems"."criticality" in ('low','medium','high','critical')),
	CONSTRAINT "systems_classification_check" CHECK ("systems"."confidentiality" between 1 and 4 and "systems"."integrity" between 1 and 4 and "systems"."availability" between 1 and 4),
	CONSTRAINT "systems_environments_check" CHECK ("systems"."environments" <@ array['production','test']::text[])
);
--> statement-breakpoint
CREATE TABLE "system_vulnerabilities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"title" text NOT NULL,
	"reference" text,
	"exposure_started_on" date NOT NULL,
	"exposure_ended_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "system_vulnerabilities_period_check" CHECK ("system_vulnerabilities"."exposure_ended_on" is null or "system_vulnerabilities"."exposure_ended_on" >= "system_vulnerabilities"."exposure_started_on")
);
--> statement-breakpoint
ALTER TABLE "system_dependencies" ADD CONSTRAINT "system_dependencies_from_system_id_systems_id_fk" FOREIGN KEY ("from_system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_dependencies" ADD CONSTRAINT "system_dependencies_to_system_id_systems_id_fk" FOREIGN KEY ("to_system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_firewall_rules" ADD CONSTRAINT "system_firewall_rules_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_objects" ADD CONSTRAINT "governance_objects_owning_unit_id_org_units_id_fk" FOREIGN KEY ("owning_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_contracts" ADD CONSTRAINT "information_contracts_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_contracts" ADD CONSTRAINT "information_contracts_proposed_by_person_id_persons_id_fk" FOREIGN KEY ("proposed_by_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_contracts" ADD CONSTRAINT "information_contracts_consented_by_person_id_persons_id_fk" FOREIGN KEY ("consented_by_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_source_system_id_systems_id_fk" FOREIGN KEY ("source_system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_target_system_id_systems_id_fk" FOREIGN KEY ("target_system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_restore_tests" ADD CONSTRAINT "system_restore_tests_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_object_id_governance_objects_id_fk" FOREIGN KEY ("object_id") REFERENCES "public"."governance_objects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_appointed_by_person_id_persons_id_fk" FOREIGN KEY ("appointed_by_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_appointed_by_unit_id_org_units_id_fk" FOREIGN KEY ("appointed_by_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_documents" ADD CONSTRAINT "system_documents_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_documents" ADD CONSTRAINT "system_documents_owner_person_id_persons_id_fk" FOREIGN KEY ("owner_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_modules" ADD CONSTRAINT "system_modules_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systems" ADD CONSTRAINT "systems_contract_owner_person_id_persons_id_fk" FOREIGN KEY ("contract_owner_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systems" ADD CONSTRAINT "systems_governance_object_id_governance_objects_id_fk" FOREIGN KEY ("governance_object_id") REFERENCES "public"."governance_objects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_vulnerabilities" ADD CONSTRAINT "system_vulnerabilities_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "system_dependencies_to_idx" ON "system_dependencies" USING btree ("to_system_id");--> statement-breakpoint
CREATE INDEX "system_firewall_rules_system_idx" ON "system_firewall_rules" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "governance_objects_unit_idx" ON "governance_objects" USING btree ("owning_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "information_contracts_one_active" ON "information_contracts" USING btree ("integration_id") WHERE "information_contracts"."status" = 'active';--> statement-breakpoint
CREATE INDEX "information_contracts_categories_idx" ON "information_contracts" USING gin ("personal_data_categories") WHERE "information_contracts"."status" = 'active';--> statement-breakpoint
CREATE INDEX "integrations_source_idx" ON "integrations" USING btree ("source_system_id");--> statement-breakpoint
CREATE INDEX "integrations_target_idx" ON "integrations" USING btree ("target_system_id");--> statement-breakpoint
CREATE INDEX "system_restore_tests_system_idx" ON "system_restore_tests" USING btree ("system_id","tested_on");--> statement-breakpoint
CREATE INDEX "role_assignments_object_idx" ON "role_assignments" USING btree ("object_id","role");--> statement-breakpoint
CREATE INDEX "role_assignments_person_idx" ON "role_assignments" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "systems_object_idx" ON "systems" USING btree ("governance_object_id");--> statement-breakpoint
CREATE INDEX "systems_sort_idx" ON "systems" USING btree ("sort_key" collate "C","id");--> statement-breakpoint
CREATE INDEX "systems_search_trgm_idx" ON "systems" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "system_vulnerabilities_system_idx" ON "system_vulnerabilities" USING btree ("system_id");