-- Access rights (issue 4): permission catalogue, order forms, orderers, expert users, fulfillers, orders with history, grants, notifications.
CREATE TABLE "access_expert_users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"system_id" uuid NOT NULL,
	"order_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "access_fulfillers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "access_fulfillers_key" UNIQUE("system_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "access_grants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"permission_id" uuid NOT NULL,
	"system_id" uuid NOT NULL,
	"unit_ids" uuid[] NOT NULL,
	"account_type" text NOT NULL,
	"expert_user" boolean DEFAULT false NOT NULL,
	"order_id" uuid,
	"valid_from" date NOT NULL,
	"valid_until" date,
	"ended_at" timestamp with time zone,
	"ended_on" date,
	"ended_by_order_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "access_grants_account_type_check" CHECK ("access_grants"."account_type" in ('personal','administrator','system')),
	CONSTRAINT "access_grants_ended_check" CHECK (("access_grants"."ended_at" is null) = ("access_grants"."ended_on" is null))
);
--> statement-breakpoint
CREATE TABLE "access_notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"event" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "access_order_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "access_order_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"order_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"event" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_person_id" uuid,
	"actor_label" text NOT NULL,
	"step" integer,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "access_order_forms" (
	"system_id" uuid PRIMARY KEY NOT NULL,
	"fields" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_orderers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"system_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"granted_by_person_id" uuid,
	"granted_by_label" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "access_orderers_not_self" CHECK ("access_orderers"."granted_by_person_id" is null or "access_orderers"."granted_by_person_id" <> "access_orderers"."person_id")
);
--> statement-breakpoint
CREATE TABLE "access_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY (sequence name "access_orders_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"person_id" uuid NOT NULL,
	"permission_id" uuid NOT NULL,
	"system_id" uuid NOT NULL,
	"unit_ids" uuid[] NOT NULL,
	"form_snapshot" jsonb NOT NULL,
	"field_values" jsonb NOT NULL,
	"expert_user" boolean DEFAULT false NOT NULL,
	"person_email" text,
	"valid_until" date,
	"message" text DEFAULT '' NOT NULL,
	"approval_steps" text[] DEFAULT '{}'::text[] NOT NULL,
	"approval_step" integer DEFAULT 0 NOT NULL,
	"grant_id" uuid,
	"orderer_person_id" uuid,
	"orderer_label" text NOT NULL,
	"taken_by_person_id" uuid,
	"decided_by_label" text,
	"reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "access_orders_number_key" UNIQUE("number"),
	CONSTRAINT "access_orders_kind_check" CHECK ("access_orders"."kind" in ('grant','revocation')),
	CONSTRAINT "access_orders_state_check" CHECK ("access_orders"."state" in ('draft','awaiting_approval','ready','in_progress','fulfilled','rejected','cancelled')),
	CONSTRAINT "access_orders_not_self" CHECK ("access_orders"."orderer_person_id" is null or "access_orders"."orderer_person_id" <> "access_orders"."person_id"),
	CONSTRAINT "access_orders_units_check" CHECK (cardinality("access_orders"."unit_ids") >= 1),
	CONSTRAINT "access_orders_expert_email" CHECK (not "access_orders"."expert_user" or ("access_orders"."person_email" is not null and "access_orders"."person_email" like '%_@_%')),
	CONSTRAINT "access_orders_revocation_grant" CHECK ("access_orders"."kind" <> 'revocation' or "access_orders"."grant_id" is not null),
	CONSTRAINT "access_orders_reject_reason" CHECK ("access_orders"."state" <> 'rejected' or length(trim(coalesce("access_orders"."reason", ''))) > 0)
);
--> statement-breakpoint
CREATE TABLE "access_permissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"account_type" text DEFAULT 'personal' NOT NULL,
	"modules" text[] DEFAULT '{}'::text[] NOT NULL,
	"limited_to_units" boolean DEFAULT true NOT NULL,
	"approval_steps" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "access_permissions_system_name_key" UNIQUE("system_id","name"),
	CONSTRAINT "access_permissions_account_type_check" CHECK ("access_permissions"."account_type" in ('personal','administrator','system')),
	CONSTRAINT "access_permissions_steps_check" CHECK ("access_permissions"."approval_steps" <@ array['system_owner','unit_head']::text[] and cardinality("access_permissions"."approval_steps") <= 5)
);
--> statement-breakpoint
ALTER TABLE "access_expert_users" ADD CONSTRAINT "access_expert_users_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_expert_users" ADD CONSTRAINT "access_expert_users_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_expert_users" ADD CONSTRAINT "access_expert_users_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_fulfillers" ADD CONSTRAINT "access_fulfillers_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_fulfillers" ADD CONSTRAINT "access_fulfillers_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_permission_id_access_permissions_id_fk" FOREIGN KEY ("permission_id") REFERENCES "public"."access_permissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_order_id_access_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."access_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_ended_by_order_id_access_orders_id_fk" FOREIGN KEY ("ended_by_order_id") REFERENCES "public"."access_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_notifications" ADD CONSTRAINT "access_notifications_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_notifications" ADD CONSTRAINT "access_notifications_order_id_access_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."access_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_order_events" ADD CONSTRAINT "access_order_events_order_id_access_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."access_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_order_events" ADD CONSTRAINT "access_order_events_actor_person_id_persons_id_fk" FOREIGN KEY ("actor_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_order_forms" ADD CONSTRAINT "access_order_forms_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_orderers" ADD CONSTRAINT "access_orderers_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_orderers" ADD CONSTRAINT "access_orderers_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_orderers" ADD CONSTRAINT "access_orderers_granted_by_person_id_persons_id_fk" FOREIGN KEY ("granted_by_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_orders" ADD CONSTRAINT "access_orders_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_orders" ADD CONSTRAINT "access_orders_permission_id_access_permissions_id_fk" FOREIGN KEY ("permission_id") REFERENCES "public"."access_permissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_orders" ADD CONSTRAINT "access_orders_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_orders" ADD CONSTRAINT "access_orders_orderer_person_id_persons_id_fk" FOREIGN KEY ("orderer_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_orders" ADD CONSTRAINT "access_orders_taken_by_person_id_persons_id_fk" FOREIGN KEY ("taken_by_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_permissions" ADD CONSTRAINT "access_permissions_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_expert_users_current_key" ON "access_expert_users" USING btree ("person_id","unit_id","system_id") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "access_expert_users_unit_idx" ON "access_expert_users" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "access_grants_person_idx" ON "access_grants" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "access_grants_system_idx" ON "access_grants" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "access_grants_units_idx" ON "access_grants" USING gin ("unit_ids");--> statement-breakpoint
CREATE INDEX "access_grants_valid_until_idx" ON "access_grants" USING btree ("valid_until") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "access_notifications_person_idx" ON "access_notifications" USING btree ("person_id","created_at");--> statement-breakpoint
CREATE INDEX "access_order_events_order_idx" ON "access_order_events" USING btree ("order_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "access_orderers_current_key" ON "access_orderers" USING btree ("person_id","unit_id") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "access_orderers_unit_idx" ON "access_orderers" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "access_orders_orderer_idx" ON "access_orders" USING btree ("orderer_person_id","created_at");--> statement-breakpoint
CREATE INDEX "access_orders_person_idx" ON "access_orders" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "access_orders_queue_idx" ON "access_orders" USING btree ("system_id","state");--> statement-breakpoint
CREATE INDEX "access_orders_state_idx" ON "access_orders" USING btree ("state","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "access_orders_open_revocation_key" ON "access_orders" USING btree ("grant_id") WHERE kind = 'revocation' and state in ('draft','awaiting_approval','ready','in_progress');