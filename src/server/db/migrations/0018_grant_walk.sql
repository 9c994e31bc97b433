-- G10: the register's order index also carries each grant's permission and system, so a search for a
-- permission or system word walks the order index-only, in the search's first statement (the grants
-- search, access.service grantSearchHits).
DROP INDEX IF EXISTS "access_grants_sort_idx";--> statement-breakpoint
CREATE INDEX "access_grants_sort_idx" ON "access_grants" USING btree ("person_sort" collate "C", "id") INCLUDE ("permission_id", "system_id") WHERE ended_at is null;
