import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'job.pause' BEFORE 'job.complete';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'job.resume' BEFORE 'job.complete';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'job.resend_unknown' BEFORE 'job.complete';
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'sendEmailJob' BEFORE 'reconcileJobCounters';
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'sweepEmailJobs' BEFORE 'reconcileJobCounters';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'sendEmailJob' BEFORE 'reconcileJobCounters';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'sweepEmailJobs' BEFORE 'reconcileJobCounters';
  -- Hand-written: the sweeper finds expired leases among in-flight rows only, never by scanning every recipient.
  CREATE INDEX "email_recipients_in_flight_idx" ON "email_recipients" USING btree ("lease_expires_at") WHERE "status" = 'sending';
  -- Hand-written: a claim reads the next pending rows of a job in id order and stops at its limit,
  -- instead of sorting every pending row of the job on each claim.
  CREATE INDEX "email_recipients_pending_idx" ON "email_recipients" USING btree ("job_id", "id") WHERE "status" = 'pending';
  -- Hand-written: one ledger row per reservation (with its size), not one per message.
  ALTER TABLE "send_rate_slots" ADD COLUMN "slots" integer DEFAULT 1 NOT NULL;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX IF EXISTS "email_recipients_in_flight_idx";
  DROP INDEX IF EXISTS "email_recipients_pending_idx";
  ALTER TABLE "send_rate_slots" DROP COLUMN IF EXISTS "slots";
   ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE text;
  DROP TYPE "public"."enum_audit_logs_action";
  CREATE TYPE "public"."enum_audit_logs_action" AS ENUM('template.submit', 'template.approve', 'template.reject', 'template.reset_to_draft', 'template.test_send', 'template.default_seeded', 'role.change', 'settings.change', 'job.queue', 'job.cancel', 'job.complete', 'suppression.create', 'suppression.lift');
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE "public"."enum_audit_logs_action" USING "action"::"public"."enum_audit_logs_action";
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'reconcileJobCounters');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'reconcileJobCounters');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";`)
}
