import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_exports_source_kind" AS ENUM('contacts', 'segment', 'job');
  CREATE TYPE "public"."enum_exports_status" AS ENUM('queued', 'running', 'completed', 'failed', 'expired');
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'runContactExport' BEFORE 'sweepImports';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'runContactExport' BEFORE 'sweepImports';
  CREATE TABLE "exports" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer,
  	"source_kind" "enum_exports_source_kind" DEFAULT 'contacts' NOT NULL,
  	"source_segment_id" integer,
  	"source_job_id" integer,
  	"file_name" varchar,
  	"status" "enum_exports_status" DEFAULT 'queued' NOT NULL,
  	"rows" numeric,
  	"file_size" numeric,
  	"message" varchar,
  	"requested_by_id" integer,
  	"finished_at" timestamp(3) with time zone,
  	"expires_at" timestamp(3) with time zone,
  	"storage_key" varchar,
  	"lease_until" timestamp(3) with time zone,
  	"lease_token" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "exports_id" integer;
  ALTER TABLE "exports" ADD CONSTRAINT "exports_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "exports" ADD CONSTRAINT "exports_source_segment_id_segments_id_fk" FOREIGN KEY ("source_segment_id") REFERENCES "public"."segments"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "exports" ADD CONSTRAINT "exports_source_job_id_email_jobs_id_fk" FOREIGN KEY ("source_job_id") REFERENCES "public"."email_jobs"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "exports" ADD CONSTRAINT "exports_requested_by_id_users_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "exports_org_idx" ON "exports" USING btree ("org_id");
  CREATE INDEX "exports_source_source_segment_idx" ON "exports" USING btree ("source_segment_id");
  CREATE INDEX "exports_source_source_job_idx" ON "exports" USING btree ("source_job_id");
  CREATE INDEX "exports_requested_by_idx" ON "exports" USING btree ("requested_by_id");
  CREATE INDEX "exports_updated_at_idx" ON "exports" USING btree ("updated_at");
  CREATE INDEX "exports_created_at_idx" ON "exports" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_exports_fk" FOREIGN KEY ("exports_id") REFERENCES "public"."exports"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_exports_id_idx" ON "payload_locked_documents_rels" USING btree ("exports_id");`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   -- The older enums have no place for these jobs: they go with this migration.
  DELETE FROM "payload_jobs_log" WHERE "task_slug"::text = 'runContactExport';
  DELETE FROM "payload_jobs" WHERE "task_slug"::text = 'runContactExport';
  ALTER TABLE "exports" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "exports" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT IF EXISTS "payload_locked_documents_rels_exports_fk";
  
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics', 'runContactImport', 'sweepImports');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'sendEmailJob', 'sweepEmailJobs', 'reconcileJobCounters', 'checkMetricAlerts', 'rollupMetrics', 'runContactImport', 'sweepImports');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";
  DROP INDEX IF EXISTS "payload_locked_documents_rels_exports_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "exports_id";
  DROP TYPE "public"."enum_exports_source_kind";
  DROP TYPE "public"."enum_exports_status";`)
}
