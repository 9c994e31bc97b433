-- G8/G9: impact and lineage answer from the system graph held in each app process
-- (modules/systems/graph-cache.ts), valid while the data versions of its tables are unchanged
-- (migration 0007, platform/versioned-cache.ts). `systems` has its trigger already; these are the others.
create trigger system_dependencies_data_version after insert or update or delete or truncate on system_dependencies
  for each statement execute function bump_data_version();
--> statement-breakpoint
create trigger integrations_data_version after insert or update or delete or truncate on integrations
  for each statement execute function bump_data_version();
--> statement-breakpoint
create trigger information_contracts_data_version after insert or update or delete or truncate on information_contracts
  for each statement execute function bump_data_version();
