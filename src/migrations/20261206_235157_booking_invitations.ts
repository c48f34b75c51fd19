import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_booking_invitations_method" AS ENUM('request', 'cancel');
  CREATE TYPE "public"."enum_booking_invitations_status" AS ENUM('queued', 'sending', 'sent', 'failed', 'unknown', 'superseded');
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'sendBookingInvitations';
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'sweepBookingInvitations';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'sendBookingInvitations';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'sweepBookingInvitations';
  CREATE TABLE "booking_invitations" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer NOT NULL,
  	"booking_id" integer NOT NULL,
  	"email" varchar NOT NULL,
  	"name" varchar,
  	"method" "enum_booking_invitations_method" NOT NULL,
  	"sequence" numeric NOT NULL,
  	"status" "enum_booking_invitations_status" DEFAULT 'queued' NOT NULL,
  	"attempts" numeric DEFAULT 0,
  	"error" varchar,
  	"provider_message_i_d" varchar,
  	"sent_at" timestamp(3) with time zone,
  	"next_attempt_at" timestamp(3) with time zone,
  	"claim_token" varchar,
  	"lease_expires_at" timestamp(3) with time zone,
  	"handed_off_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "bookings" ADD COLUMN "send_invitations" boolean DEFAULT true;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "booking_invitations_id" integer;
  ALTER TABLE "booking_invitations" ADD CONSTRAINT "booking_invitations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "booking_invitations" ADD CONSTRAINT "booking_invitations_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "booking_invitations_org_idx" ON "booking_invitations" USING btree ("org_id");
  CREATE INDEX "booking_invitations_booking_idx" ON "booking_invitations" USING btree ("booking_id");
  CREATE INDEX "booking_invitations_updated_at_idx" ON "booking_invitations" USING btree ("updated_at");
  CREATE INDEX "booking_invitations_created_at_idx" ON "booking_invitations" USING btree ("created_at");
  CREATE UNIQUE INDEX "booking_sequence_email_method_idx" ON "booking_invitations" USING btree ("booking_id","sequence","email","method");
  CREATE INDEX "status_nextAttemptAt_1_idx" ON "booking_invitations" USING btree ("status","next_attempt_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_booking_invitations_fk" FOREIGN KEY ("booking_invitations_id") REFERENCES "public"."booking_invitations"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_booking_invitations_id_idx" ON "payload_locked_documents_rels" USING btree ("booking_invitations_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "booking_invitations" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "booking_invitations" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_booking_invitations_fk";
  
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics', 'runContactImport', 'runContactExport', 'sweepImports', 'processInboundEmail', 'sweepInboundEmails', 'sweepConversationReplies', 'expireAssistantLogs', 'embedKbChunks');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics', 'runContactImport', 'runContactExport', 'sweepImports', 'processInboundEmail', 'sweepInboundEmails', 'sweepConversationReplies', 'expireAssistantLogs', 'embedKbChunks');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";
  DROP INDEX "payload_locked_documents_rels_booking_invitations_id_idx";
  ALTER TABLE "bookings" DROP COLUMN "send_invitations";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "booking_invitations_id";
  DROP TYPE "public"."enum_booking_invitations_method";
  DROP TYPE "public"."enum_booking_invitations_status";`)
}
