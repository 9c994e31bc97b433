-- Data versions: a counter per table, bumped in the writing transaction by a statement-level trigger.
-- A process that caches an answer derived from these tables (the plans year dashboard) reads the
-- counters first and reuses its cached answer only while they are unchanged, so every app process
-- sharing the database sees a committed change on its next request. One row per table: writers to
-- different tables never wait on each other's counter.
create table data_versions (
  name text primary key,
  version bigint not null default 0
);
--> statement-breakpoint
create function bump_data_version() returns trigger language plpgsql as $$
begin
  insert into data_versions as d (name, version) values (TG_TABLE_NAME, 1)
  on conflict (name) do update set version = d.version + 1;
  return null;
end $$;
--> statement-breakpoint
create trigger plans_data_version after insert or update or delete or truncate on plans
  for each statement execute function bump_data_version();
--> statement-breakpoint
create trigger plan_versions_data_version after insert or update or delete or truncate on plan_versions
  for each statement execute function bump_data_version();
--> statement-breakpoint
create trigger governance_objects_data_version after insert or update or delete or truncate on governance_objects
  for each statement execute function bump_data_version();
--> statement-breakpoint
create trigger role_assignments_data_version after insert or update or delete or truncate on role_assignments
  for each statement execute function bump_data_version();
--> statement-breakpoint
create trigger persons_data_version after insert or update or delete or truncate on persons
  for each statement execute function bump_data_version();
--> statement-breakpoint
create trigger systems_data_version after insert or update or delete or truncate on systems
  for each statement execute function bump_data_version();
--> statement-breakpoint
create trigger checklist_responses_data_version after insert or update or delete or truncate on checklist_responses
  for each statement execute function bump_data_version();
--> statement-breakpoint
create trigger checklist_answers_data_version after insert or update or delete or truncate on checklist_answers
  for each statement execute function bump_data_version();
