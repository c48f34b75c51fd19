import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

/**
 * Lists that stay fast at a million contacts and ten million recipient rows (bench/lists.ts measures each).
 *
 * The generated part drops two plain `email` indexes whose lookups now have org-leading ones. The rest is
 * hand-written, since Payload cannot declare INCLUDE columns, operator classes or GIN:
 * - pg_trgm (shipped with PostgreSQL, loaded by the embedded PGlite too) for "contains" searches;
 * - one index per sortable list column, led by org_id and ending in id: with the tenant filter written
 *   as `org_id = n` (normalizeWhere) PostgreSQL reads a sorted page (and the ids of a deep one) straight
 *   from the index, instead of sorting every row of the org;
 * - contacts' tags by parent and by value (the tag filter joined every tag row to every contact);
 * - trigram search over contact names and addresses and recipients' addresses (Payload's search is
 *   "contains"); on recipients, whose rows are rewritten on every send step, it cost ~5 % of bench:send.
 * On a large existing database, build these CONCURRENTLY by hand before deploying: Payload runs
 * migrations in a transaction, where index builds block writes.
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  DROP INDEX IF EXISTS "contacts_email_idx";
  DROP INDEX IF EXISTS "email_recipients_email_idx";
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX IF NOT EXISTS "contacts_org_created_idx" ON "contacts" ("org_id", "created_at", "id");
  CREATE INDEX IF NOT EXISTS "contacts_org_updated_idx" ON "contacts" ("org_id", "updated_at", "id");
  CREATE INDEX IF NOT EXISTS "contacts_org_first_idx" ON "contacts" ("org_id", "first_name", "id");
  CREATE INDEX IF NOT EXISTS "contacts_org_last_idx" ON "contacts" ("org_id", "last_name", "id");
  CREATE INDEX IF NOT EXISTS "contacts_org_email_idx" ON "contacts" ("org_id", "email", "id");
  CREATE INDEX IF NOT EXISTS "contacts_name_trgm_idx" ON "contacts" USING gin ("first_name" gin_trgm_ops, "last_name" gin_trgm_ops, "email" gin_trgm_ops);
  CREATE INDEX IF NOT EXISTS "contacts_texts_parent_idx" ON "contacts_texts" ("parent_id");
  CREATE INDEX IF NOT EXISTS "contacts_texts_tag_idx" ON "contacts_texts" ("text", "path", "parent_id");
  CREATE INDEX IF NOT EXISTS "email_recipients_org_created_idx" ON "email_recipients" ("org_id", "created_at", "id");
  CREATE INDEX IF NOT EXISTS "email_recipients_org_email_idx" ON "email_recipients" ("org_id", "email", "id");
  CREATE INDEX IF NOT EXISTS "email_recipients_org_status_idx" ON "email_recipients" ("org_id", "status", "id");
  CREATE INDEX IF NOT EXISTS "email_recipients_org_attempts_idx" ON "email_recipients" ("org_id", "attempts", "id");
  CREATE INDEX IF NOT EXISTS "email_recipients_org_error_idx" ON "email_recipients" ("org_id", "last_error", "id");
  CREATE INDEX IF NOT EXISTS "email_recipients_org_job_idx" ON "email_recipients" ("org_id", "job_id", "id");
  CREATE INDEX IF NOT EXISTS "email_recipients_job_created_idx" ON "email_recipients" ("job_id", "created_at", "id");
  CREATE INDEX IF NOT EXISTS "email_recipients_email_trgm_idx" ON "email_recipients" USING gin ("email" gin_trgm_ops);
  CREATE INDEX IF NOT EXISTS "suppressions_org_created_idx" ON "suppressions" ("org_id", "created_at", "id");
  CREATE INDEX IF NOT EXISTS "suppressions_org_address_idx" ON "suppressions" ("org_id", "address", "id");`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  DROP INDEX IF EXISTS "suppressions_org_address_idx";
  DROP INDEX IF EXISTS "suppressions_org_created_idx";
  DROP INDEX IF EXISTS "email_recipients_email_trgm_idx";
  DROP INDEX IF EXISTS "email_recipients_job_created_idx";
  DROP INDEX IF EXISTS "email_recipients_org_job_idx";
  DROP INDEX IF EXISTS "email_recipients_org_error_idx";
  DROP INDEX IF EXISTS "email_recipients_org_attempts_idx";
  DROP INDEX IF EXISTS "email_recipients_org_status_idx";
  DROP INDEX IF EXISTS "email_recipients_org_email_idx";
  DROP INDEX IF EXISTS "email_recipients_org_created_idx";
  DROP INDEX IF EXISTS "contacts_texts_tag_idx";
  DROP INDEX IF EXISTS "contacts_texts_parent_idx";
  DROP INDEX IF EXISTS "contacts_name_trgm_idx";
  DROP INDEX IF EXISTS "contacts_org_email_idx";
  DROP INDEX IF EXISTS "contacts_org_last_idx";
  DROP INDEX IF EXISTS "contacts_org_first_idx";
  DROP INDEX IF EXISTS "contacts_org_updated_idx";
  DROP INDEX IF EXISTS "contacts_org_created_idx";
  CREATE INDEX IF NOT EXISTS "contacts_email_idx" ON "contacts" USING btree ("email");
  CREATE INDEX IF NOT EXISTS "email_recipients_email_idx" ON "email_recipients" USING btree ("email");`)
}
