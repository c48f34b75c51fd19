import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_imports_status" AS ENUM('uploaded', 'queued', 'running', 'stopping', 'stopped', 'completed', 'completed_with_errors', 'failed');
  CREATE TYPE "public"."enum_imports_mode" AS ENUM('create', 'upsert_email', 'upsert_phone', 'suppress');
  CREATE TYPE "public"."enum_imports_options_delimiter" AS ENUM('auto', 'comma', 'semicolon', 'tab', 'pipe');
  CREATE TYPE "public"."enum_imports_options_encoding" AS ENUM('auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'iso-8859-15', 'iso-8859-2', 'windows-1250', 'windows-1251', 'koi8-r', 'shift_jis', 'euc-jp', 'gb18030', 'big5', 'euc-kr');
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'import.start';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'import.stop';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'import.resume';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'import.complete';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'import.fail';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'export.create';
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'runContactImport';
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'sweepImports';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'runContactImport';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'sweepImports';
  CREATE TABLE "imports" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer,
  	"file_name" varchar NOT NULL,
  	"file_size" numeric,
  	"storage_key" varchar,
  	"status" "enum_imports_status" DEFAULT 'uploaded' NOT NULL,
  	"mode" "enum_imports_mode",
  	"options_delimiter" "enum_imports_options_delimiter" DEFAULT 'auto',
  	"options_encoding" "enum_imports_options_encoding" DEFAULT 'auto',
  	"options_has_header" boolean DEFAULT true,
  	"options_default_country" varchar,
  	"headers" jsonb,
  	"mapping" jsonb,
  	"detected_encoding" varchar,
  	"detected_delimiter" varchar,
  	"progress_rows_read" numeric DEFAULT 0,
  	"progress_created" numeric DEFAULT 0,
  	"progress_updated" numeric DEFAULT 0,
  	"progress_skipped" numeric DEFAULT 0,
  	"progress_failed" numeric DEFAULT 0,
  	"progress_bytes_read" numeric DEFAULT 0,
  	"progress_checkpoint" numeric DEFAULT 0,
  	"progress_problems_kept" numeric DEFAULT 0,
  	"progress_attempts" numeric DEFAULT 0,
  	"message" varchar,
  	"started_by_id" integer,
  	"started_at" timestamp(3) with time zone,
  	"finished_at" timestamp(3) with time zone,
  	"lease_until" timestamp(3) with time zone,
  	"lease_token" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "imports_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "imports_id" integer;
  ALTER TABLE "imports" ADD CONSTRAINT "imports_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "imports" ADD CONSTRAINT "imports_started_by_id_users_id_fk" FOREIGN KEY ("started_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "imports_texts" ADD CONSTRAINT "imports_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "imports_org_idx" ON "imports" USING btree ("org_id");
  CREATE INDEX "imports_started_by_idx" ON "imports" USING btree ("started_by_id");
  CREATE INDEX "imports_updated_at_idx" ON "imports" USING btree ("updated_at");
  CREATE INDEX "imports_created_at_idx" ON "imports" USING btree ("created_at");
  CREATE INDEX "imports_texts_order_parent" ON "imports_texts" USING btree ("order","parent_id");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_imports_fk" FOREIGN KEY ("imports_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_imports_id_idx" ON "payload_locked_documents_rels" USING btree ("imports_id");

  -- One import per org at a time: starting or resuming a second one is refused by this index.
  CREATE UNIQUE INDEX "imports_one_active_per_org" ON "imports" ("org_id") WHERE "status" IN ('queued', 'running', 'stopping');
  -- The rows an import did not take (failed or skipped), with their line and why, for the download.
  CREATE TABLE "import_problems" (
    "id" bigserial PRIMARY KEY,
    "import_id" integer NOT NULL REFERENCES "imports"("id") ON DELETE CASCADE,
    "line" integer NOT NULL,
    "outcome" varchar NOT NULL,
    "error" varchar NOT NULL,
    "cells" jsonb NOT NULL
  );
  CREATE INDEX "import_problems_import_idx" ON "import_problems" ("import_id", "id");
  -- Matching contacts on their phone as written for sending (phoneSql in normalize-address.ts).
  CREATE INDEX "contacts_org_phone_idx" ON "contacts" ("org_id", (regexp_replace(btrim("phone"), '[[:space:]()./-]', '', 'g')));`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX IF EXISTS "contacts_org_phone_idx";
  DROP TABLE IF EXISTS "import_problems";
  -- The older enums have no place for these: the entries and jobs that use them go with this migration.
  DELETE FROM "audit_logs" WHERE "action"::text LIKE 'import.%' OR "action"::text = 'export.create';
  DELETE FROM "payload_jobs_log" WHERE "task_slug"::text IN ('runContactImport', 'sweepImports');
  DELETE FROM "payload_jobs" WHERE "task_slug"::text IN ('runContactImport', 'sweepImports');
  ALTER TABLE "imports" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "imports_texts" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "imports" CASCADE;
  DROP TABLE "imports_texts" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT IF EXISTS "payload_locked_documents_rels_imports_fk";
  
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE text;
  DROP TYPE "public"."enum_audit_logs_action";
  CREATE TYPE "public"."enum_audit_logs_action" AS ENUM('template.submit', 'template.approve', 'template.reject', 'template.reset_to_draft', 'template.test_send', 'template.default_seeded', 'role.change', 'user.unlock', 'settings.change', 'job.queue', 'job.cancel', 'job.pause', 'job.resume', 'job.resend_unknown', 'job.retry_failed', 'job.complete', 'suppression.create', 'suppression.lift', 'suppression.confirm', 'suppression.dismiss');
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE "public"."enum_audit_logs_action" USING "action"::"public"."enum_audit_logs_action";
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";
  DROP INDEX IF EXISTS "payload_locked_documents_rels_imports_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "imports_id";
  DROP TYPE "public"."enum_imports_status";
  DROP TYPE "public"."enum_imports_mode";
  DROP TYPE "public"."enum_imports_options_delimiter";
  DROP TYPE "public"."enum_imports_options_encoding";`)
}
