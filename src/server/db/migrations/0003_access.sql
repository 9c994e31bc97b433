-- Access rights (issue 4): permission catalogue, orderers, expert users, orders, grants.
select 1;
