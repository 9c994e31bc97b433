-- API tokens are cached in each app process (platform/auth-cache.ts, accounts token cache). Any change
-- to what token authentication reads notifies channel steward_auth from the writing transaction, whoever
-- writes (an app process, the CLI, psql); PostgreSQL delivers the notification to every listening
-- process when the transaction commits, and never if it rolls back, and each process clears its cache.
-- Statement-level triggers: one notification per statement (identical ones in a transaction are folded).
-- Not on api_tokens inserts (unknown tokens are never cached) nor on last_used_at (written on use).
create function notify_auth_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('steward_auth', '');
  return null;
end $$;
--> statement-breakpoint
create trigger api_tokens_auth_notify
  after update of id, account_id, token_hash, expires_at, revoked_at or delete or truncate on api_tokens
  for each statement execute function notify_auth_change();
--> statement-breakpoint
create trigger accounts_auth_notify
  after update of id, person_id, username, roles, locale, disabled_at, valid_until or delete or truncate
  on accounts
  for each statement execute function notify_auth_change();
--> statement-breakpoint
create trigger persons_auth_notify
  after update of id, status, given_name, family_name or delete or truncate on persons
  for each statement execute function notify_auth_change();
