#!/bin/sh
# Runs once, when the postgres container initialises an empty data volume
# (mounted into /docker-entrypoint-initdb.d/ by docker-compose.yml).
# One server, one database per service: each service owns its tables and nothing else.
set -eu

for db in ${SMARTCUSTOMS_DATABASES:-portal assessment reports}; do
    echo "creating database $db"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -c "CREATE DATABASE \"$db\" OWNER \"$POSTGRES_USER\";"
done
