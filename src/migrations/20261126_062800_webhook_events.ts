import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_webhook_events_provider" AS ENUM('sendgrid');
  CREATE TYPE "public"."enum_webhook_events_channel" AS ENUM('email', 'sms');
  CREATE TYPE "public"."enum_webhook_events_type" AS ENUM('processed', 'deferred', 'delivered', 'open', 'click', 'bounce', 'dropped', 'spamreport', 'unsubscribe', 'group_unsubscribe', 'group_resubscribe');
  CREATE TYPE "public"."enum_webhook_events_outcome" AS ENUM('updated', 'failed', 'suppressed', 'review', 'recorded', 'no_change', 'unmatched');
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'suppression.confirm';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'suppression.dismiss';
  CREATE TABLE "organizations_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  CREATE TABLE "webhook_events" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"provider" "enum_webhook_events_provider" DEFAULT 'sendgrid' NOT NULL,
  	"channel" "enum_webhook_events_channel" DEFAULT 'email' NOT NULL,
  	"event_i_d" varchar NOT NULL,
  	"type" "enum_webhook_events_type" NOT NULL,
  	"address" varchar,
  	"message_i_d" varchar,
  	"org_id" integer,
  	"job_id" integer,
  	"recipient_id" integer,
  	"outcome" "enum_webhook_events_outcome",
  	"detail" varchar,
  	"occurred_at" timestamp(3) with time zone NOT NULL,
  	"received_at" timestamp(3) with time zone NOT NULL,
  	"payload" jsonb NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "webhook_events_id" integer;
  ALTER TABLE "organizations_texts" ADD CONSTRAINT "organizations_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_job_id_email_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."email_jobs"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_recipient_id_email_recipients_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."email_recipients"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "organizations_texts_order_parent" ON "organizations_texts" USING btree ("order","parent_id");
  CREATE INDEX "webhook_events_type_idx" ON "webhook_events" USING btree ("type");
  CREATE INDEX "webhook_events_address_idx" ON "webhook_events" USING btree ("address");
  CREATE INDEX "webhook_events_org_idx" ON "webhook_events" USING btree ("org_id");
  CREATE INDEX "webhook_events_job_idx" ON "webhook_events" USING btree ("job_id");
  CREATE INDEX "webhook_events_recipient_idx" ON "webhook_events" USING btree ("recipient_id");
  CREATE UNIQUE INDEX "provider_eventID_idx" ON "webhook_events" USING btree ("provider","event_i_d");
  CREATE INDEX "org_occurredAt_idx" ON "webhook_events" USING btree ("org_id","occurred_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_webhook_events_fk" FOREIGN KEY ("webhook_events_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "email_recipients_email_idx" ON "email_recipients" USING btree ("email");
  CREATE INDEX "payload_locked_documents_rels_webhook_events_id_idx" ON "payload_locked_documents_rels" USING btree ("webhook_events_id");`)
  // By hand: at most one active and one pending-review suppression per org (or the global list),
  // channel and address, so replays and simultaneous unsubscribes cannot add a second. Older
  // duplicates are kept but lifted, with a note (no data is deleted).
  await db.execute(sql`
  UPDATE "suppressions" s SET "status" = 'lifted', "note" = left(coalesce(s."note" || ' ', '') || '(Duplicate of entry ' || d.keep || ', lifted by migration.)', 1000)
    FROM (SELECT id, first_value(id) OVER (PARTITION BY coalesce(org_id, 0), channel, address, status ORDER BY created_at, id) AS keep
            FROM "suppressions" WHERE "status" IN ('active', 'pending_review')) d
   WHERE s.id = d.id AND d.id <> d.keep;
  CREATE UNIQUE INDEX "suppressions_one_active_idx" ON "suppressions" (coalesce("org_id", 0), "channel", "address") WHERE "status" = 'active';
  CREATE UNIQUE INDEX "suppressions_one_pending_idx" ON "suppressions" (coalesce("org_id", 0), "channel", "address") WHERE "status" = 'pending_review';`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX IF EXISTS "suppressions_one_active_idx";
  DROP INDEX IF EXISTS "suppressions_one_pending_idx";
  ALTER TABLE "organizations_texts" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "webhook_events" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "organizations_texts" CASCADE;
  DROP TABLE "webhook_events" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_webhook_events_fk";
  
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE text;
  DROP TYPE "public"."enum_audit_logs_action";
  CREATE TYPE "public"."enum_audit_logs_action" AS ENUM('template.submit', 'template.approve', 'template.reject', 'template.reset_to_draft', 'template.test_send', 'template.default_seeded', 'role.change', 'settings.change', 'job.queue', 'job.cancel', 'job.pause', 'job.resume', 'job.resend_unknown', 'job.complete', 'suppression.create', 'suppression.lift');
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE "public"."enum_audit_logs_action" USING "action"::"public"."enum_audit_logs_action";
  DROP INDEX "email_recipients_email_idx";
  DROP INDEX "payload_locked_documents_rels_webhook_events_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "webhook_events_id";
  DROP TYPE "public"."enum_webhook_events_provider";
  DROP TYPE "public"."enum_webhook_events_channel";
  DROP TYPE "public"."enum_webhook_events_type";
  DROP TYPE "public"."enum_webhook_events_outcome";`)
}
