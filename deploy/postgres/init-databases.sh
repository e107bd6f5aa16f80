#!/usr/bin/env bash
# Runs once when the PostgreSQL container initialises its data directory: one
# login role and one database per service (service-database.sql); no role can
# connect to another's database or create objects in it. The services are listed
# once, in deploy/services, mounted beside this script; the portal has its own too.
set -euo pipefail
{ cat /asysta/services; echo portal; } | while read -r s; do
  var="ASYSTA_${s^^}_DB_PASSWORD"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v service="$s" -v password="${!var:?set $var}" -f /asysta/postgres/service-database.sql
done
