import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

/**
 * Generated for the collection fields (a job's pause reason, an org's per-second limit and failure
 * threshold), plus hand-written engine columns no API exposes: a recipient's claim token and the
 * time its send started (the hand-off), a job's run of consecutive provider failures, the partial
 * index the lease sweeper reads, the GCRA pacing schedule that replaces the per-minute ledger, and
 * the narrow log a send loop writes each answered message's outcome to before the batch applies them.
 */

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'job.auto_pause' BEFORE 'job.resume';
  ALTER TABLE "email_jobs" ADD COLUMN "paused_reason" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sending_per_second_limit" numeric;
  ALTER TABLE "organizations" ADD COLUMN "sending_pause_after_failures" numeric;
  ALTER TABLE "email_recipients" ADD COLUMN "claim_token" varchar;
  ALTER TABLE "email_recipients" ADD COLUMN "handed_off_at" timestamp(3) with time zone;
  ALTER TABLE "email_jobs" ADD COLUMN "consecutive_failures" integer DEFAULT 0 NOT NULL;
  CREATE INDEX "email_recipients_sending_lease_idx" ON "email_recipients" USING btree ("lease_expires_at") WHERE "status" = 'sending';
  CREATE TABLE "send_pacing" ("key" varchar PRIMARY KEY NOT NULL, "next_at" timestamp with time zone NOT NULL);
  CREATE TABLE "send_outcome_log" (
    "recipient_id" integer PRIMARY KEY NOT NULL,
    "job_id" integer NOT NULL,
    "claim_token" varchar NOT NULL,
    "attempt" integer NOT NULL,
    "status" varchar NOT NULL,
    "error" varchar,
    "provider_code" varchar,
    "message_id" varchar,
    "retry_secs" integer,
    "reason" varchar,
    "suppression_id" integer,
    "logged_at" timestamp with time zone DEFAULT now() NOT NULL
  );
  DROP TABLE IF EXISTS "send_rate_slots";`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP TABLE IF EXISTS "send_pacing";
  DROP TABLE IF EXISTS "send_outcome_log";
  CREATE TABLE IF NOT EXISTS "send_rate_slots" ("key" varchar NOT NULL, "taken_at" timestamp(3) with time zone DEFAULT now() NOT NULL, "slots" integer DEFAULT 1 NOT NULL);
  CREATE INDEX IF NOT EXISTS "send_rate_slots_key_taken_at_idx" ON "send_rate_slots" USING btree ("key", "taken_at");
  DROP INDEX IF EXISTS "email_recipients_sending_lease_idx";
  ALTER TABLE "email_recipients" DROP COLUMN "claim_token";
  ALTER TABLE "email_recipients" DROP COLUMN "handed_off_at";
  ALTER TABLE "email_jobs" DROP COLUMN "consecutive_failures";
  UPDATE "audit_logs" SET "action" = 'job.pause' WHERE "action" = 'job.auto_pause';
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE text;
  DROP TYPE "public"."enum_audit_logs_action";
  CREATE TYPE "public"."enum_audit_logs_action" AS ENUM('template.submit', 'template.approve', 'template.reject', 'template.reset_to_draft', 'template.test_send', 'template.default_seeded', 'role.change', 'user.unlock', 'settings.change', 'job.queue', 'job.cancel', 'job.pause', 'job.resume', 'job.resend_unknown', 'job.retry_failed', 'job.complete', 'suppression.create', 'suppression.lift', 'suppression.confirm', 'suppression.dismiss', 'import.start', 'import.stop', 'import.resume', 'import.complete', 'import.fail', 'export.create');
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE "public"."enum_audit_logs_action" USING "action"::"public"."enum_audit_logs_action";
  ALTER TABLE "email_jobs" DROP COLUMN "paused_reason";
  ALTER TABLE "organizations" DROP COLUMN "sending_per_second_limit";
  ALTER TABLE "organizations" DROP COLUMN "sending_pause_after_failures";`)
}
