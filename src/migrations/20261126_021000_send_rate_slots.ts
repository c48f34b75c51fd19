import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

/**
 * Hand-written (not generated): the per-key sliding-window ledger behind reserveSendSlots. It is
 * not a Payload collection, so no API exposes it.
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  CREATE TABLE IF NOT EXISTS "send_rate_slots" (
    "key" varchar NOT NULL,
    "taken_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  CREATE INDEX IF NOT EXISTS "send_rate_slots_key_taken_at_idx" ON "send_rate_slots" USING btree ("key", "taken_at");`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`DROP TABLE IF EXISTS "send_rate_slots";`)
}
