#!/bin/sh
# First start of the container's database (docker-entrypoint-initdb.d): the services' role owns its
# database and is no superuser; POSTGRES_USER stays the only superuser.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
create role evidence login password 'evidence' nosuperuser nocreatedb nocreaterole;
create database evidence owner evidence;
SQL
