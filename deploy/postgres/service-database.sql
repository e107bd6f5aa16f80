-- One service's login role and database, run by a superuser with psql:
--   psql -v ON_ERROR_STOP=1 -v service=ordering -v password=… -f service-database.sql
-- The role owns its database and nothing else; no other role may connect to it
-- or create objects in it, so a service cannot read or change another's data
-- even with its own credentials. Safe to run again (creates only what is missing).
\set database asysta_:service
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'service', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'service') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'service')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
REVOKE CONNECT, TEMPORARY ON DATABASE :"database" FROM PUBLIC;
\connect :"database"
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO :"service";
