-- Module consumption (L1, L2, L7) kept by the database as grants change, so that the L2 check under the
-- pool lock and the pool pages read a count instead of counting 250,000 grants. Nothing writes these
-- tables but the triggers below: they are derived from access_grants and access_permissions.modules.
-- access_module_holders: per system, module and person, how many active grants include the module
-- (a person is a consumer while this is above 0: L1 counts them once). access_module_use: per system and
-- module, how many persons hold it. Rows are upserted in key order, so concurrent changes never deadlock.
-- (No CHECK (>= 0): PostgreSQL checks the proposed row of an upsert, a negative change, before the conflict.)
CREATE TABLE "access_module_holders" (
	"system_id" uuid NOT NULL,
	"module" text NOT NULL,
	"person_id" uuid NOT NULL,
	"grants" integer NOT NULL,
	CONSTRAINT "access_module_holders_pkey" PRIMARY KEY ("system_id","module","person_id")
);
--> statement-breakpoint
CREATE TABLE "access_module_use" (
	"system_id" uuid NOT NULL,
	"module" text NOT NULL,
	"used" integer NOT NULL,
	CONSTRAINT "access_module_use_pkey" PRIMARY KEY ("system_id","module")
);
--> statement-breakpoint
CREATE FUNCTION access_module_holders_apply(a_systems uuid[], a_modules text[], a_persons uuid[], a_deltas integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF a_systems IS NULL THEN RETURN; END IF;
  with d as (
    select system_id, module, person_id, sum(delta)::int as delta
    from unnest(a_systems, a_modules, a_persons, a_deltas) as x(system_id, module, person_id, delta)
    group by system_id, module, person_id having sum(delta) <> 0),
  up as (
    insert into access_module_holders as h (system_id, module, person_id, grants)
    select system_id, module, person_id, delta from d order by system_id, module, person_id
    on conflict (system_id, module, person_id) do update set grants = h.grants + excluded.grants
    returning h.system_id, h.module, h.person_id, h.grants),
  flips as (
    select up.system_id, up.module,
      sum(case when up.grants > 0 and up.grants - d.delta <= 0 then 1
               when up.grants <= 0 and up.grants - d.delta > 0 then -1 else 0 end)::int as n
    from up join d on d.system_id = up.system_id and d.module = up.module and d.person_id = up.person_id
    group by up.system_id, up.module)
  insert into access_module_use as u (system_id, module, used)
  select system_id, module, n from flips where n <> 0 order by system_id, module
  on conflict (system_id, module) do update set used = u.used + excluded.used;
END $$;
--> statement-breakpoint
CREATE FUNCTION access_grants_module_use_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM access_module_holders_apply(array_agg(x.system_id), array_agg(x.module), array_agg(x.person_id),
    array_agg(x.delta))
  FROM (SELECT n.system_id, m.module, n.person_id, 1 AS delta
        FROM new_rows n JOIN access_permissions p ON p.id = n.permission_id
        CROSS JOIN LATERAL (SELECT DISTINCT unnest(p.modules) AS module) m
        WHERE n.ended_at IS NULL) x;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION access_grants_module_use_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM access_module_holders_apply(array_agg(x.system_id), array_agg(x.module), array_agg(x.person_id),
    array_agg(x.delta))
  FROM (SELECT o.system_id, m.module, o.person_id, -1 AS delta
        FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN access_permissions p ON p.id = o.permission_id
        CROSS JOIN LATERAL (SELECT DISTINCT unnest(p.modules) AS module) m
        WHERE o.ended_at IS NULL AND (n.ended_at IS NOT NULL OR n.person_id <> o.person_id
          OR n.permission_id <> o.permission_id OR n.system_id <> o.system_id)
        UNION ALL
        SELECT n.system_id, m.module, n.person_id, 1
        FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN access_permissions p ON p.id = n.permission_id
        CROSS JOIN LATERAL (SELECT DISTINCT unnest(p.modules) AS module) m
        WHERE n.ended_at IS NULL AND (o.ended_at IS NOT NULL OR n.person_id <> o.person_id
          OR n.permission_id <> o.permission_id OR n.system_id <> o.system_id)) x;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION access_grants_module_use_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM access_module_holders_apply(array_agg(x.system_id), array_agg(x.module), array_agg(x.person_id),
    array_agg(x.delta))
  FROM (SELECT o.system_id, m.module, o.person_id, -1 AS delta
        FROM old_rows o JOIN access_permissions p ON p.id = o.permission_id
        CROSS JOIN LATERAL (SELECT DISTINCT unnest(p.modules) AS module) m
        WHERE o.ended_at IS NULL) x;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A permission whose modules change moves its active grants' persons from the old modules to the new.
-- Its active grants are locked first, in a statement of their own: a grant being ended concurrently
-- either commits first (and is then no longer active when the move reads the grants, in a new
-- snapshot) or waits for this change (and its trigger then reads the new modules). Without the lock
-- both would subtract the grant, from different modules, and the counts would drift. A new grant
-- locks its permission row (access_grant_keys, FOR SHARE), which orders it against this change too.
CREATE FUNCTION access_permissions_module_use() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM access_grants WHERE permission_id = NEW.id AND ended_at IS NULL ORDER BY id FOR SHARE;
  PERFORM access_module_holders_apply(array_agg(x.system_id), array_agg(x.module), array_agg(x.person_id),
    array_agg(x.delta))
  FROM (SELECT g.system_id, m.module, g.person_id, -1 AS delta
        FROM access_grants g CROSS JOIN LATERAL (SELECT DISTINCT unnest(OLD.modules) AS module) m
        WHERE g.permission_id = OLD.id AND g.ended_at IS NULL
        UNION ALL
        SELECT g.system_id, m.module, g.person_id, 1
        FROM access_grants g CROSS JOIN LATERAL (SELECT DISTINCT unnest(NEW.modules) AS module) m
        WHERE g.permission_id = NEW.id AND g.ended_at IS NULL) x;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER access_grants_module_use_ins AFTER INSERT ON access_grants
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION access_grants_module_use_ins();
--> statement-breakpoint
CREATE TRIGGER access_grants_module_use_upd AFTER UPDATE ON access_grants
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION access_grants_module_use_upd();
--> statement-breakpoint
CREATE TRIGGER access_grants_module_use_del AFTER DELETE ON access_grants
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION access_grants_module_use_del();
--> statement-breakpoint
CREATE TRIGGER access_permissions_module_use AFTER UPDATE OF modules ON access_permissions
  FOR EACH ROW WHEN (OLD.modules IS DISTINCT FROM NEW.modules) EXECUTE FUNCTION access_permissions_module_use();
--> statement-breakpoint
INSERT INTO access_module_holders (system_id, module, person_id, grants)
SELECT g.system_id, m.module, g.person_id, count(*)::int
FROM access_grants g JOIN access_permissions p ON p.id = g.permission_id
CROSS JOIN LATERAL (SELECT DISTINCT unnest(p.modules) AS module) m
WHERE g.ended_at IS NULL
GROUP BY g.system_id, m.module, g.person_id;
--> statement-breakpoint
INSERT INTO access_module_use (system_id, module, used)
SELECT system_id, module, count(*)::int FROM access_module_holders WHERE grants > 0 GROUP BY system_id, module;
