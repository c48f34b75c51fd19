import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_email_jobs_status" AS ENUM('draft', 'queued', 'sending', 'paused', 'completed', 'completed_with_errors', 'failed', 'cancelled');
  CREATE TYPE "public"."enum_email_recipients_status" AS ENUM('pending', 'sending', 'sent', 'delivered', 'failed', 'excluded', 'unknown');
  CREATE TABLE "email_jobs" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer,
  	"name" varchar NOT NULL,
  	"template_id" integer NOT NULL,
  	"status" "enum_email_jobs_status" DEFAULT 'draft' NOT NULL,
  	"total" numeric DEFAULT 0,
  	"pending" numeric DEFAULT 0,
  	"sent" numeric DEFAULT 0,
  	"delivered" numeric DEFAULT 0,
  	"failed" numeric DEFAULT 0,
  	"excluded" numeric DEFAULT 0,
  	"unknown" numeric DEFAULT 0,
  	"settings_snapshot" jsonb,
  	"queued_by_id" integer,
  	"queued_at" timestamp(3) with time zone,
  	"completed_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "email_jobs_rels" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"contacts_id" integer,
  	"media_id" integer
  );
  
  CREATE TABLE "email_recipients" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer NOT NULL,
  	"job_id" integer NOT NULL,
  	"contact_id" integer,
  	"email" varchar NOT NULL,
  	"status" "enum_email_recipients_status" DEFAULT 'pending' NOT NULL,
  	"excluded_reason" varchar,
  	"suppression_id" integer,
  	"attempts" numeric DEFAULT 0,
  	"last_error" varchar,
  	"provider_code" varchar,
  	"provider_message_i_d" varchar,
  	"next_attempt_at" timestamp(3) with time zone,
  	"lease_expires_at" timestamp(3) with time zone,
  	"sent_at" timestamp(3) with time zone,
  	"delivered_at" timestamp(3) with time zone,
  	"failed_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "email_jobs_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "email_recipients_id" integer;
  ALTER TABLE "email_jobs" ADD CONSTRAINT "email_jobs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "email_jobs" ADD CONSTRAINT "email_jobs_template_id_email_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."email_templates"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "email_jobs" ADD CONSTRAINT "email_jobs_queued_by_id_users_id_fk" FOREIGN KEY ("queued_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "email_jobs_rels" ADD CONSTRAINT "email_jobs_rels_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."email_jobs"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "email_jobs_rels" ADD CONSTRAINT "email_jobs_rels_contacts_fk" FOREIGN KEY ("contacts_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "email_jobs_rels" ADD CONSTRAINT "email_jobs_rels_media_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "email_recipients" ADD CONSTRAINT "email_recipients_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "email_recipients" ADD CONSTRAINT "email_recipients_job_id_email_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."email_jobs"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "email_recipients" ADD CONSTRAINT "email_recipients_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "email_recipients" ADD CONSTRAINT "email_recipients_suppression_id_suppressions_id_fk" FOREIGN KEY ("suppression_id") REFERENCES "public"."suppressions"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "email_jobs_org_idx" ON "email_jobs" USING btree ("org_id");
  CREATE INDEX "email_jobs_template_idx" ON "email_jobs" USING btree ("template_id");
  CREATE INDEX "email_jobs_status_idx" ON "email_jobs" USING btree ("status");
  CREATE INDEX "email_jobs_queued_by_idx" ON "email_jobs" USING btree ("queued_by_id");
  CREATE INDEX "email_jobs_updated_at_idx" ON "email_jobs" USING btree ("updated_at");
  CREATE INDEX "email_jobs_created_at_idx" ON "email_jobs" USING btree ("created_at");
  CREATE INDEX "email_jobs_rels_order_idx" ON "email_jobs_rels" USING btree ("order");
  CREATE INDEX "email_jobs_rels_parent_idx" ON "email_jobs_rels" USING btree ("parent_id");
  CREATE INDEX "email_jobs_rels_path_idx" ON "email_jobs_rels" USING btree ("path");
  CREATE INDEX "email_jobs_rels_contacts_id_idx" ON "email_jobs_rels" USING btree ("contacts_id");
  CREATE INDEX "email_jobs_rels_media_id_idx" ON "email_jobs_rels" USING btree ("media_id");
  CREATE INDEX "email_recipients_org_idx" ON "email_recipients" USING btree ("org_id");
  CREATE INDEX "email_recipients_job_idx" ON "email_recipients" USING btree ("job_id");
  CREATE INDEX "email_recipients_contact_idx" ON "email_recipients" USING btree ("contact_id");
  CREATE INDEX "email_recipients_suppression_idx" ON "email_recipients" USING btree ("suppression_id");
  CREATE INDEX "email_recipients_provider_message_i_d_idx" ON "email_recipients" USING btree ("provider_message_i_d");
  CREATE INDEX "email_recipients_updated_at_idx" ON "email_recipients" USING btree ("updated_at");
  CREATE INDEX "email_recipients_created_at_idx" ON "email_recipients" USING btree ("created_at");
  CREATE UNIQUE INDEX "job_email_idx" ON "email_recipients" USING btree ("job_id","email");
  CREATE INDEX "job_status_idx" ON "email_recipients" USING btree ("job_id","status");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_email_jobs_fk" FOREIGN KEY ("email_jobs_id") REFERENCES "public"."email_jobs"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_email_recipients_fk" FOREIGN KEY ("email_recipients_id") REFERENCES "public"."email_recipients"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_email_jobs_id_idx" ON "payload_locked_documents_rels" USING btree ("email_jobs_id");
  CREATE INDEX "payload_locked_documents_rels_email_recipients_id_idx" ON "payload_locked_documents_rels" USING btree ("email_recipients_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "email_jobs" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "email_jobs_rels" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "email_recipients" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "email_jobs" CASCADE;
  DROP TABLE "email_jobs_rels" CASCADE;
  DROP TABLE "email_recipients" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_email_jobs_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_email_recipients_fk";
  
  DROP INDEX "payload_locked_documents_rels_email_jobs_id_idx";
  DROP INDEX "payload_locked_documents_rels_email_recipients_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "email_jobs_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "email_recipients_id";
  DROP TYPE "public"."enum_email_jobs_status";
  DROP TYPE "public"."enum_email_recipients_status";`)
}
