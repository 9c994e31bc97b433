-- Licence alerts (issue 5): a pool above 90 % utilisation, a software agreement whose renewal (or end)
-- date is within 90 days. One open row per subject and period: the job that e-mails the alert inserts
-- it first and sends only if the insert took place, so re-running sends nothing new. A pool's alert is
-- cleared when it falls back to 90 % or below, so the next crossing alerts again; an agreement's period
-- is its date, so a renewed agreement alerts again before its next date.
CREATE TABLE "licence_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"period" text DEFAULT '' NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"cleared_at" timestamp with time zone,
	"recipients" text[] DEFAULT '{}'::text[] NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "licence_alerts_kind_check" CHECK ("kind" in ('pool-utilisation','agreement-expiry'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "licence_alerts_open_key" ON "licence_alerts" ("kind","subject_id","period") WHERE "cleared_at" is null;
