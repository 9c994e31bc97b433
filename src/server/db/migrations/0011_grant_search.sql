-- Grants register search and order (G10) at scale: each grant carries its holder's sort key and one
-- search text (the holder's search text, the permission name lower-cased and the system's search
-- text, joined by spaces), kept in SQL by triggers. A search word never contains a space, so
-- `search_text like '%word%'` matches exactly when one of the three parts does, as before; the
-- trigram index serves rare words and the (person_sort, id) index serves the register's order.
ALTER TABLE "access_grants" ADD COLUMN "person_sort" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "access_grants" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- New or re-pointed grants take their keys from the rows they name. FOR SHARE waits for a concurrent
-- rename of the person, permission or system to commit, so the keys are never stale.
create function access_grant_keys() returns trigger language plpgsql as $$
begin
  select p.sort_sv, p.search_text || ' ' || lower(pe.name) || ' ' || s.search_text
    into new.person_sort, new.search_text
    from persons p, access_permissions pe, systems s
    where p.id = new.person_id and pe.id = new.permission_id and s.id = new.system_id
    for share;
  -- A missing row leaves the foreign keys to report it.
  new.person_sort := coalesce(new.person_sort, '');
  new.search_text := coalesce(new.search_text, '');
  return new;
end $$;
--> statement-breakpoint
create trigger access_grants_keys before insert or update of person_id, permission_id, system_id
  on access_grants for each row execute function access_grant_keys();
--> statement-breakpoint
-- A renamed person, permission or system re-keys its grants in the same transaction.
create function access_grants_rekey() returns trigger language plpgsql as $$
begin
  update access_grants g
    set person_sort = p.sort_sv, search_text = p.search_text || ' ' || lower(pe.name) || ' ' || s.search_text
    from persons p, access_permissions pe, systems s
    where p.id = g.person_id and pe.id = g.permission_id and s.id = g.system_id
      and case TG_TABLE_NAME
            when 'persons' then g.person_id = new.id
            when 'access_permissions' then g.permission_id = new.id
            else g.system_id = new.id end;
  return null;
end $$;
--> statement-breakpoint
create trigger persons_access_grant_keys after update of sort_sv, search_text on persons for each row
  when (old.sort_sv is distinct from new.sort_sv or old.search_text is distinct from new.search_text)
  execute function access_grants_rekey();
--> statement-breakpoint
create trigger access_permissions_grant_keys after update of name on access_permissions for each row
  when (old.name is distinct from new.name) execute function access_grants_rekey();
--> statement-breakpoint
create trigger systems_access_grant_keys after update of search_text on systems for each row
  when (old.search_text is distinct from new.search_text) execute function access_grants_rekey();
--> statement-breakpoint
update access_grants g
  set person_sort = p.sort_sv, search_text = p.search_text || ' ' || lower(pe.name) || ' ' || s.search_text
  from persons p, access_permissions pe, systems s
  where p.id = g.person_id and pe.id = g.permission_id and s.id = g.system_id;
--> statement-breakpoint
CREATE INDEX "access_grants_sort_idx" ON "access_grants" USING btree ("person_sort" collate "C", "id") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "access_grants_search_trgm_idx" ON "access_grants" USING gin ("search_text" gin_trgm_ops);
