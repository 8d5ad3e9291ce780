#!/usr/bin/env bash
# Restores a scripts/backup.sh dump into a fresh installation, possibly on another PostgreSQL
# server (a new cluster, whose transaction ids start again). First start the app once on the
# new, empty database (it creates the schema) and stop it; then:
#   DATABASE_URL=postgres://… scripts/restore.sh backup.pgdump
# Then start the app: every projection rebuilds from the first event.
set -euo pipefail
source "$(dirname "$0")/backup-tables.sh"
in=${1:?usage: DATABASE_URL=… scripts/restore.sh <file.pgdump>}
: "${DATABASE_URL:?DATABASE_URL must name the database to restore into}"
# One transaction for the whole restore: a failure leaves the installation as it was.
tables=$(IFS=,; echo "${BACKUP_TABLES[*]},${RESTORE_ALSO_EMPTIED[*]}")
# (psql's --single-transaction wraps the truncate and the whole script; the script's own query
# results, set_config and setval, are not worth printing: errors still reach stderr.)
pg_restore --data-only -f - "$in" |
  psql -v ON_ERROR_STOP=1 --single-transaction -q -o /dev/null -d "$DATABASE_URL" -c "truncate $tables" -f -
echo "restored ${BACKUP_TABLES[*]}; verify with: npm run cli -- events:verify"
