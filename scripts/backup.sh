#!/usr/bin/env bash
# Data-only backup of what cannot be rebuilt (docs/operations.md, "Backup").
# Read models are left out on purpose: the projections rebuild them from the events.
#   DATABASE_URL=postgres://… scripts/backup.sh backup.pgdump
# The personal data in the dump stays encrypted under KEY_ENCRYPTION_KEY: keep that key apart
# from the dump. Back up the document folder (DOCUMENT_STORE_DIR) beside it.
set -euo pipefail
source "$(dirname "$0")/backup-tables.sh"
out=${1:?usage: DATABASE_URL=… scripts/backup.sh <file.pgdump>}
: "${DATABASE_URL:?DATABASE_URL must name the database to back up}"
args=()
for t in "${BACKUP_TABLES[@]}"; do args+=(-t "$t"); done
pg_dump -Fc --data-only "${args[@]}" -d "$DATABASE_URL" -f "$out"
echo "backup written to $out (${BACKUP_TABLES[*]})"
