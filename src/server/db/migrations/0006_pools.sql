-- Module licence pools (issue 5: L1–L8): one pool per module of a system, and the history of its size
-- changes, each prepared and then confirmed ("checked out").
CREATE TABLE "licence_pools" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL REFERENCES "systems"("id"),
	"module_name" text NOT NULL,
	"size" integer NOT NULL,
	"unit_price" numeric(12, 2) DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'SEK' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "licence_pools_module_key" UNIQUE("system_id","module_name"),
	CONSTRAINT "licence_pools_size_check" CHECK ("size" >= 0),
	CONSTRAINT "licence_pools_price_check" CHECK ("unit_price" >= 0)
);
--> statement-breakpoint
CREATE TABLE "licence_pool_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"pool_id" uuid NOT NULL REFERENCES "licence_pools"("id"),
	"status" text DEFAULT 'prepared' NOT NULL,
	"old_size" integer NOT NULL,
	"new_size" integer NOT NULL,
	"unit_price" numeric(12, 2) NOT NULL,
	"total" numeric(14, 2) NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"prepared_by_label" text NOT NULL,
	"prepared_at" timestamp with time zone NOT NULL,
	"confirmed_by_label" text,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "licence_pool_changes_status_check" CHECK ("status" in ('prepared','confirmed','cancelled')),
	CONSTRAINT "licence_pool_changes_size_check" CHECK ("new_size" >= 0 and "new_size" <> "old_size"),
	CONSTRAINT "licence_pool_changes_confirmed_check" CHECK (("status" = 'confirmed') = ("confirmed_at" is not null))
);
--> statement-breakpoint
CREATE INDEX "licence_pool_changes_pool_idx" ON "licence_pool_changes" ("pool_id","prepared_at");
--> statement-breakpoint
CREATE INDEX "access_grants_active_system_idx" ON "access_grants" ("system_id","permission_id") WHERE "ended_at" is null;
