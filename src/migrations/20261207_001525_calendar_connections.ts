import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_calendar_connections_provider" AS ENUM('google', 'microsoft');
  CREATE TYPE "public"."enum_calendar_connections_status" AS ENUM('connected', 'reconnect');
  CREATE TYPE "public"."enum_booking_syncs_status" AS ENUM('pending', 'syncing', 'synced', 'failed');
  CREATE TYPE "public"."enum_organizations_bookings_calendar_send_updates" AS ENUM('none', 'externalOnly', 'all');
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'calendar.connect';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'calendar.reconnect_required';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'booking.calendar_change';
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'syncBookingCalendars';
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'sweepCalendarSync';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'syncBookingCalendars';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'sweepCalendarSync';
  CREATE TABLE "calendar_connections" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer NOT NULL,
  	"provider" "enum_calendar_connections_provider" NOT NULL,
  	"account_email" varchar NOT NULL,
  	"owner_id" integer NOT NULL,
  	"shared" boolean DEFAULT false,
  	"calendar_i_d" varchar DEFAULT 'primary',
  	"status" "enum_calendar_connections_status" DEFAULT 'connected' NOT NULL,
  	"last_error" varchar,
  	"last_synced_at" timestamp(3) with time zone,
  	"access_token_encrypted" varchar,
  	"refresh_token_encrypted" varchar,
  	"access_token_expires_at" timestamp(3) with time zone,
  	"sync_cursor" varchar,
  	"pull_lease_until" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "booking_syncs" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer NOT NULL,
  	"booking_id" integer NOT NULL,
  	"connection_id" integer NOT NULL,
  	"status" "enum_booking_syncs_status" DEFAULT 'pending' NOT NULL,
  	"provider_event_i_d" varchar,
  	"synced_sequence" numeric,
  	"last_error" varchar,
  	"provider_code" varchar,
  	"note" varchar,
  	"last_synced_at" timestamp(3) with time zone,
  	"attempts" numeric DEFAULT 0,
  	"next_attempt_at" timestamp(3) with time zone,
  	"claim_token" varchar,
  	"lease_expires_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "organizations" ADD COLUMN "bookings_calendar_send_updates" "enum_organizations_bookings_calendar_send_updates" DEFAULT 'none';
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "calendar_connections_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "booking_syncs_id" integer;
  ALTER TABLE "calendar_connections" ADD CONSTRAINT "calendar_connections_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "calendar_connections" ADD CONSTRAINT "calendar_connections_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "booking_syncs" ADD CONSTRAINT "booking_syncs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "booking_syncs" ADD CONSTRAINT "booking_syncs_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "booking_syncs" ADD CONSTRAINT "booking_syncs_connection_id_calendar_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."calendar_connections"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "calendar_connections_org_idx" ON "calendar_connections" USING btree ("org_id");
  CREATE INDEX "calendar_connections_owner_idx" ON "calendar_connections" USING btree ("owner_id");
  CREATE INDEX "calendar_connections_updated_at_idx" ON "calendar_connections" USING btree ("updated_at");
  CREATE INDEX "calendar_connections_created_at_idx" ON "calendar_connections" USING btree ("created_at");
  CREATE UNIQUE INDEX "org_provider_accountEmail_owner_idx" ON "calendar_connections" USING btree ("org_id","provider","account_email","owner_id");
  CREATE INDEX "booking_syncs_org_idx" ON "booking_syncs" USING btree ("org_id");
  CREATE INDEX "booking_syncs_booking_idx" ON "booking_syncs" USING btree ("booking_id");
  CREATE INDEX "booking_syncs_connection_idx" ON "booking_syncs" USING btree ("connection_id");
  CREATE INDEX "booking_syncs_updated_at_idx" ON "booking_syncs" USING btree ("updated_at");
  CREATE INDEX "booking_syncs_created_at_idx" ON "booking_syncs" USING btree ("created_at");
  CREATE UNIQUE INDEX "booking_connection_idx" ON "booking_syncs" USING btree ("booking_id","connection_id");
  CREATE INDEX "status_nextAttemptAt_2_idx" ON "booking_syncs" USING btree ("status","next_attempt_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_calendar_connections_fk" FOREIGN KEY ("calendar_connections_id") REFERENCES "public"."calendar_connections"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_booking_syncs_fk" FOREIGN KEY ("booking_syncs_id") REFERENCES "public"."booking_syncs"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_calendar_connections_id_idx" ON "payload_locked_documents_rels" USING btree ("calendar_connections_id");
  CREATE INDEX "payload_locked_documents_rels_booking_syncs_id_idx" ON "payload_locked_documents_rels" USING btree ("booking_syncs_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "calendar_connections" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "booking_syncs" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "calendar_connections" CASCADE;
  DROP TABLE "booking_syncs" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_calendar_connections_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_booking_syncs_fk";
  
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE text;
  DROP TYPE "public"."enum_audit_logs_action";
  CREATE TYPE "public"."enum_audit_logs_action" AS ENUM('template.submit', 'template.approve', 'template.reject', 'template.reset_to_draft', 'template.test_send', 'template.default_seeded', 'role.change', 'user.unlock', 'user.invite', 'user.invitation_resend', 'user.invitation_revoke', 'user.invitation_accept', 'settings.change', 'job.queue', 'job.cancel', 'job.pause', 'job.auto_pause', 'job.resume', 'job.resend_unknown', 'job.retry_failed', 'job.complete', 'suppression.create', 'suppression.lift', 'suppression.confirm', 'suppression.dismiss', 'import.start', 'import.stop', 'import.resume', 'import.complete', 'import.fail', 'export.create', 'inbound.link');
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE "public"."enum_audit_logs_action" USING "action"::"public"."enum_audit_logs_action";
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics', 'runContactImport', 'runContactExport', 'sweepImports', 'processInboundEmail', 'sweepInboundEmails', 'sweepConversationReplies', 'expireAssistantLogs', 'embedKbChunks', 'sendBookingInvitations', 'sweepBookingInvitations');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics', 'runContactImport', 'runContactExport', 'sweepImports', 'processInboundEmail', 'sweepInboundEmails', 'sweepConversationReplies', 'expireAssistantLogs', 'embedKbChunks', 'sendBookingInvitations', 'sweepBookingInvitations');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";
  DROP INDEX "payload_locked_documents_rels_calendar_connections_id_idx";
  DROP INDEX "payload_locked_documents_rels_booking_syncs_id_idx";
  ALTER TABLE "organizations" DROP COLUMN "bookings_calendar_send_updates";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "calendar_connections_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "booking_syncs_id";
  DROP TYPE "public"."enum_calendar_connections_provider";
  DROP TYPE "public"."enum_calendar_connections_status";
  DROP TYPE "public"."enum_booking_syncs_status";
  DROP TYPE "public"."enum_organizations_bookings_calendar_send_updates";`)
}
