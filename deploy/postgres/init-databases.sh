#!/usr/bin/env bash
# Runs once when the PostgreSQL container initialises its data directory:
# one database and one login role per service; no role can reach another's database.
set -euo pipefail
for s in intake eligibility ordering timesheet reporting; do
  var="ASYSTA_${s^^}_DB_PASSWORD"
  password=${!var:?set $var}
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE $s LOGIN PASSWORD '$password';
CREATE DATABASE asysta_$s OWNER $s;
REVOKE ALL ON DATABASE asysta_$s FROM PUBLIC;
SQL
done
