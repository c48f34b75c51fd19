import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TYPE "public"."enum_messages_status" ADD VALUE 'sending' BEFORE 'sent';
  ALTER TYPE "public"."enum_messages_status" ADD VALUE 'unknown';
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'sweepConversationReplies';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'sweepConversationReplies';
  ALTER TABLE "messages" ADD COLUMN "attempts" numeric DEFAULT 0;
  ALTER TABLE "messages" ADD COLUMN "next_attempt_at" timestamp(3) with time zone;
  ALTER TABLE "messages" ADD COLUMN "claim_token" varchar;
  ALTER TABLE "messages" ADD COLUMN "lease_expires_at" timestamp(3) with time zone;
  ALTER TABLE "messages" ADD COLUMN "handed_off_at" timestamp(3) with time zone;
  ALTER TABLE "messages" ADD COLUMN "threading" jsonb;
  CREATE INDEX "status_nextAttemptAt_idx" ON "messages" USING btree ("status","next_attempt_at");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "messages" ALTER COLUMN "status" SET DATA TYPE text;
  ALTER TABLE "messages" ALTER COLUMN "status" SET DEFAULT 'received'::text;
  DROP TYPE "public"."enum_messages_status";
  CREATE TYPE "public"."enum_messages_status" AS ENUM('received', 'queued', 'sent', 'delivered', 'failed');
  ALTER TABLE "messages" ALTER COLUMN "status" SET DEFAULT 'received'::"public"."enum_messages_status";
  ALTER TABLE "messages" ALTER COLUMN "status" SET DATA TYPE "public"."enum_messages_status" USING "status"::"public"."enum_messages_status";
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics', 'runContactImport', 'runContactExport', 'sweepImports', 'processInboundEmail', 'sweepInboundEmails');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics', 'runContactImport', 'runContactExport', 'sweepImports', 'processInboundEmail', 'sweepInboundEmails');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";
  DROP INDEX "status_nextAttemptAt_idx";
  ALTER TABLE "messages" DROP COLUMN "attempts";
  ALTER TABLE "messages" DROP COLUMN "next_attempt_at";
  ALTER TABLE "messages" DROP COLUMN "claim_token";
  ALTER TABLE "messages" DROP COLUMN "lease_expires_at";
  ALTER TABLE "messages" DROP COLUMN "handed_off_at";
  ALTER TABLE "messages" DROP COLUMN "threading";`)
}
