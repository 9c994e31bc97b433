-- G9: personal-data categories are stored as the keys of the shared vocabulary
-- (src/shared/personal-data.ts), whatever language they were written in. Categories recorded in
-- Swedish before the server did this ("studenter") become their key ("students"), each once, in the
-- order they were recorded; other words are left as recorded.
with vocab(label, key) as (
  values
    ('studenter', 'students'),
    ('anställda', 'employees'),
    ('sökande', 'applicants'),
    ('patienter', 'patients'),
    ('forskningspersoner', 'research subjects'),
    ('alumner', 'alumni'),
    ('vårdnadshavare', 'guardians'),
    ('barn', 'children'),
    ('invånare', 'residents'),
    ('anhöriga', 'next of kin'),
    ('besökare', 'visitors'),
    ('leverantörer', 'suppliers')
)
update "systems" t set "personal_data_categories" = (
  select coalesce(array_agg(k order by first), '{}'::text[]) from (
    select coalesce(v.key, lower(trim(c))) as k, min(ord) as first
    from unnest(t."personal_data_categories") with ordinality as u(c, ord)
      left join vocab v on v.label = lower(trim(c))
    group by 1) as x)
where exists (select 1 from unnest(t."personal_data_categories") as c join vocab v on v.label = lower(trim(c)));--> statement-breakpoint
with vocab(label, key) as (
  values
    ('studenter', 'students'),
    ('anställda', 'employees'),
    ('sökande', 'applicants'),
    ('patienter', 'patients'),
    ('forskningspersoner', 'research subjects'),
    ('alumner', 'alumni'),
    ('vårdnadshavare', 'guardians'),
    ('barn', 'children'),
    ('invånare', 'residents'),
    ('anhöriga', 'next of kin'),
    ('besökare', 'visitors'),
    ('leverantörer', 'suppliers')
)
update "information_contracts" t set "personal_data_categories" = (
  select coalesce(array_agg(k order by first), '{}'::text[]) from (
    select coalesce(v.key, lower(trim(c))) as k, min(ord) as first
    from unnest(t."personal_data_categories") with ordinality as u(c, ord)
      left join vocab v on v.label = lower(trim(c))
    group by 1) as x)
where exists (select 1 from unnest(t."personal_data_categories") as c join vocab v on v.label = lower(trim(c)));
