import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

/**
 * Worker heartbeats (hand-written: not a collection, nothing Payload manages): each `npm run worker`
 * upserts its row every few seconds and deletes it when it stops; GET /api/health/ready reports the
 * age of the newest beat.
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  CREATE TABLE IF NOT EXISTS "worker_heartbeats" (
    "worker" text PRIMARY KEY,
    "hostname" text NOT NULL,
    "pid" integer NOT NULL,
    "queues" text NOT NULL,
    "started_at" timestamp(3) with time zone NOT NULL DEFAULT now(),
    "beat_at" timestamp(3) with time zone NOT NULL DEFAULT now()
  );`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`DROP TABLE IF EXISTS "worker_heartbeats";`)
}
