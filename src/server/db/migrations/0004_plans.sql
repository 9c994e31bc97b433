-- Management plans (issue 6): plans, versions, activities, checklists, signatures.
select 1;
