# The tables a backup holds: the event store (events with their position sequence, the per-subject data keys)
# and the state that is not derived from events (users, the Dukcapil extract, the document
# index, delivered notifications, the access log). A new such table must be added here.
BACKUP_TABLES=(
  es_events subject_keys
  users dukcapil_imports dukcapil_residents stored_documents notification_deliveries access_log
)
# Tables a restore empties but a backup leaves out: sign-in sessions of the old installation mean
# nothing in the new one (and reference users).
RESTORE_ALSO_EMPTIED=(auth_sessions)
