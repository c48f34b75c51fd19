import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_conversations_channels" AS ENUM('email', 'sms');
  CREATE TYPE "public"."enum_conversations_status" AS ENUM('open', 'closed');
  CREATE TYPE "public"."enum_messages_direction" AS ENUM('inbound', 'outbound');
  CREATE TYPE "public"."enum_messages_channel" AS ENUM('email', 'sms');
  CREATE TYPE "public"."enum_messages_provider" AS ENUM('twilio', 'outbox', 'sendgrid', 'smtp');
  CREATE TYPE "public"."enum_messages_status" AS ENUM('received', 'queued', 'sent', 'delivered', 'failed');
  CREATE TYPE "public"."enum_inbound_emails_status" AS ENUM('queued', 'threaded', 'ignored', 'failed');
  CREATE TYPE "public"."enum_inbound_emails_mode" AS ENUM('parsed', 'raw');
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'inbound.link';
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'processInboundEmail';
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'sweepInboundEmails';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'processInboundEmail';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'sweepInboundEmails';
  CREATE TABLE "conversations_channels" (
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"value" "enum_conversations_channels",
  	"id" serial PRIMARY KEY NOT NULL
  );
  
  CREATE TABLE "conversations" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer NOT NULL,
  	"title" varchar,
  	"contact_id" integer,
  	"address" varchar,
  	"status" "enum_conversations_status" DEFAULT 'open' NOT NULL,
  	"assignee_id" integer,
  	"last_message_at" timestamp(3) with time zone,
  	"unread" boolean DEFAULT true,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "messages" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer NOT NULL,
  	"conversation_id" integer NOT NULL,
  	"direction" "enum_messages_direction" NOT NULL,
  	"channel" "enum_messages_channel" NOT NULL,
  	"provider" "enum_messages_provider" NOT NULL,
  	"provider_message_i_d" varchar NOT NULL,
  	"from" varchar NOT NULL,
  	"to" varchar,
  	"subject" varchar,
  	"body_text" varchar,
  	"status" "enum_messages_status" DEFAULT 'received' NOT NULL,
  	"error" varchar,
  	"sent_by_id" integer,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "inbound_emails" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer NOT NULL,
  	"status" "enum_inbound_emails_status" DEFAULT 'queued' NOT NULL,
  	"reason" varchar,
  	"mode" "enum_inbound_emails_mode",
  	"message_i_d" varchar NOT NULL,
  	"from" varchar,
  	"subject" varchar,
  	"size" numeric,
  	"conversation_id" integer,
  	"received_at" timestamp(3) with time zone NOT NULL,
  	"processed_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "organizations" ADD COLUMN "inbound_email_secret" varchar;
  ALTER TABLE "organizations" ADD COLUMN "inbound_reply_domain" varchar;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "conversations_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "messages_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "inbound_emails_id" integer;
  ALTER TABLE "conversations_channels" ADD CONSTRAINT "conversations_channels_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "conversations" ADD CONSTRAINT "conversations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "conversations" ADD CONSTRAINT "conversations_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "conversations" ADD CONSTRAINT "conversations_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "messages" ADD CONSTRAINT "messages_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "messages" ADD CONSTRAINT "messages_sent_by_id_users_id_fk" FOREIGN KEY ("sent_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "conversations_channels_order_idx" ON "conversations_channels" USING btree ("order");
  CREATE INDEX "conversations_channels_parent_idx" ON "conversations_channels" USING btree ("parent_id");
  CREATE INDEX "conversations_org_idx" ON "conversations" USING btree ("org_id");
  CREATE INDEX "conversations_contact_idx" ON "conversations" USING btree ("contact_id");
  CREATE INDEX "conversations_status_idx" ON "conversations" USING btree ("status");
  CREATE INDEX "conversations_assignee_idx" ON "conversations" USING btree ("assignee_id");
  CREATE INDEX "conversations_last_message_at_idx" ON "conversations" USING btree ("last_message_at");
  CREATE INDEX "conversations_updated_at_idx" ON "conversations" USING btree ("updated_at");
  CREATE INDEX "conversations_created_at_idx" ON "conversations" USING btree ("created_at");
  CREATE INDEX "org_lastMessageAt_idx" ON "conversations" USING btree ("org_id","last_message_at");
  CREATE INDEX "org_address_idx" ON "conversations" USING btree ("org_id","address");
  CREATE INDEX "messages_org_idx" ON "messages" USING btree ("org_id");
  CREATE INDEX "messages_conversation_idx" ON "messages" USING btree ("conversation_id");
  CREATE INDEX "messages_sent_by_idx" ON "messages" USING btree ("sent_by_id");
  CREATE INDEX "messages_updated_at_idx" ON "messages" USING btree ("updated_at");
  CREATE INDEX "messages_created_at_idx" ON "messages" USING btree ("created_at");
  CREATE UNIQUE INDEX "org_provider_providerMessageID_idx" ON "messages" USING btree ("org_id","provider","provider_message_i_d");
  CREATE INDEX "conversation_createdAt_idx" ON "messages" USING btree ("conversation_id","created_at");
  CREATE INDEX "inbound_emails_org_idx" ON "inbound_emails" USING btree ("org_id");
  CREATE INDEX "inbound_emails_status_idx" ON "inbound_emails" USING btree ("status");
  CREATE INDEX "inbound_emails_conversation_idx" ON "inbound_emails" USING btree ("conversation_id");
  CREATE INDEX "inbound_emails_updated_at_idx" ON "inbound_emails" USING btree ("updated_at");
  CREATE INDEX "inbound_emails_created_at_idx" ON "inbound_emails" USING btree ("created_at");
  CREATE UNIQUE INDEX "org_messageID_idx" ON "inbound_emails" USING btree ("org_id","message_i_d");
  CREATE INDEX "org_receivedAt_idx" ON "inbound_emails" USING btree ("org_id","received_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_conversations_fk" FOREIGN KEY ("conversations_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_messages_fk" FOREIGN KEY ("messages_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_inbound_emails_fk" FOREIGN KEY ("inbound_emails_id") REFERENCES "public"."inbound_emails"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "org_phone_idx" ON "contacts" USING btree ("org_id","phone");
  CREATE INDEX "payload_locked_documents_rels_conversations_id_idx" ON "payload_locked_documents_rels" USING btree ("conversations_id");
  CREATE INDEX "payload_locked_documents_rels_messages_id_idx" ON "payload_locked_documents_rels" USING btree ("messages_id");
  CREATE INDEX "payload_locked_documents_rels_inbound_emails_id_idx" ON "payload_locked_documents_rels" USING btree ("inbound_emails_id");`)
  // The raw post of each inbound email, outside the collection (up to 30 MB; read only through
  // GET /api/inbound-emails/:id/raw, with the collection's access).
  await db.execute(sql`
   CREATE TABLE "inbound_email_bodies" (
     "inbound_email_id" integer PRIMARY KEY REFERENCES "public"."inbound_emails"("id") ON DELETE CASCADE,
     "content_type" varchar NOT NULL,
     "body" bytea NOT NULL
   );
   -- Every existing org gets its inbound secret (new ones get it when created).
   UPDATE "organizations" SET "inbound_email_secret" = md5(random()::text || clock_timestamp()::text || id::text) || md5(random()::text || id::text)
    WHERE "inbound_email_secret" IS NULL;
   CREATE UNIQUE INDEX "organizations_inbound_email_secret_idx" ON "organizations" USING btree ("inbound_email_secret");`)

}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP TABLE IF EXISTS "inbound_email_bodies";
   ALTER TABLE "conversations_channels" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "conversations" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "messages" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "inbound_emails" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "conversations_channels" CASCADE;
  DROP TABLE "conversations" CASCADE;
  DROP TABLE "messages" CASCADE;
  DROP TABLE "inbound_emails" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_conversations_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_messages_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_inbound_emails_fk";
  
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE text;
  DROP TYPE "public"."enum_audit_logs_action";
  CREATE TYPE "public"."enum_audit_logs_action" AS ENUM('template.submit', 'template.approve', 'template.reject', 'template.reset_to_draft', 'template.test_send', 'template.default_seeded', 'role.change', 'user.unlock', 'settings.change', 'job.queue', 'job.cancel', 'job.pause', 'job.auto_pause', 'job.resume', 'job.resend_unknown', 'job.retry_failed', 'job.complete', 'suppression.create', 'suppression.lift', 'suppression.confirm', 'suppression.dismiss', 'import.start', 'import.stop', 'import.resume', 'import.complete', 'import.fail', 'export.create');
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE "public"."enum_audit_logs_action" USING "action"::"public"."enum_audit_logs_action";
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics', 'runContactImport', 'runContactExport', 'sweepImports');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics', 'runContactImport', 'runContactExport', 'sweepImports');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";
  DROP INDEX "org_phone_idx";
  DROP INDEX "payload_locked_documents_rels_conversations_id_idx";
  DROP INDEX "payload_locked_documents_rels_messages_id_idx";
  DROP INDEX "payload_locked_documents_rels_inbound_emails_id_idx";
  ALTER TABLE "organizations" DROP COLUMN "inbound_email_secret";
  ALTER TABLE "organizations" DROP COLUMN "inbound_reply_domain";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "conversations_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "messages_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "inbound_emails_id";
  DROP TYPE "public"."enum_conversations_channels";
  DROP TYPE "public"."enum_conversations_status";
  DROP TYPE "public"."enum_messages_direction";
  DROP TYPE "public"."enum_messages_channel";
  DROP TYPE "public"."enum_messages_provider";
  DROP TYPE "public"."enum_messages_status";
  DROP TYPE "public"."enum_inbound_emails_status";
  DROP TYPE "public"."enum_inbound_emails_mode";`)
}
