import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TABLE "segments" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer,
  	"name" varchar NOT NULL,
  	"description" varchar,
  	"rules" jsonb DEFAULT '{"match":"all","conditions":[{"field":"tags","op":"any","values":[]}]}'::jsonb NOT NULL,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "email_jobs_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  ALTER TABLE "email_jobs" ADD COLUMN "audience_all" boolean DEFAULT false;
  ALTER TABLE "email_jobs" ADD COLUMN "audience_selection_count" numeric DEFAULT 0;

  -- A job's hand-picked contacts: one narrow row each (a job may pick hundreds of thousands), kept out
  -- of Payload's rels table; written by applySelectionChange, read by the audience resolved at queueing.
  CREATE TABLE "job_audience_contacts" (
    "job_id" integer NOT NULL REFERENCES "email_jobs"("id") ON DELETE CASCADE,
    "contact_id" integer NOT NULL REFERENCES "contacts"("id") ON DELETE CASCADE,
    PRIMARY KEY ("job_id", "contact_id")
  );
  CREATE INDEX "job_audience_contacts_contact_idx" ON "job_audience_contacts" USING btree ("contact_id");
  INSERT INTO "job_audience_contacts" ("job_id", "contact_id")
    SELECT "parent_id", "contacts_id" FROM "email_jobs_rels" WHERE "path" = 'contacts' AND "contacts_id" IS NOT NULL
    ON CONFLICT DO NOTHING;
  UPDATE "email_jobs" j SET "audience_selection_count" = s.n
    FROM (SELECT "job_id", count(*) AS n FROM "job_audience_contacts" GROUP BY "job_id") s WHERE s."job_id" = j."id";
  DELETE FROM "email_jobs_rels" WHERE "path" = 'contacts';

  ALTER TABLE "email_jobs_rels" DROP CONSTRAINT "email_jobs_rels_contacts_fk";
  
  DROP INDEX "email_jobs_rels_contacts_id_idx";
  ALTER TABLE "email_jobs_rels" ADD COLUMN "segments_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "segments_id" integer;
  ALTER TABLE "segments" ADD CONSTRAINT "segments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "email_jobs_texts" ADD CONSTRAINT "email_jobs_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."email_jobs"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "segments_org_idx" ON "segments" USING btree ("org_id");
  CREATE INDEX "segments_updated_at_idx" ON "segments" USING btree ("updated_at");
  CREATE INDEX "segments_created_at_idx" ON "segments" USING btree ("created_at");
  CREATE INDEX "email_jobs_texts_order_parent" ON "email_jobs_texts" USING btree ("order","parent_id");
  ALTER TABLE "email_jobs_rels" ADD CONSTRAINT "email_jobs_rels_segments_fk" FOREIGN KEY ("segments_id") REFERENCES "public"."segments"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_segments_fk" FOREIGN KEY ("segments_id") REFERENCES "public"."segments"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "email_jobs_rels_segments_id_idx" ON "email_jobs_rels" USING btree ("segments_id");
  CREATE INDEX "payload_locked_documents_rels_segments_id_idx" ON "payload_locked_documents_rels" USING btree ("segments_id");
  ALTER TABLE "email_jobs_rels" DROP COLUMN "contacts_id";`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DELETE FROM "email_jobs_rels" WHERE "segments_id" IS NOT NULL;
  DELETE FROM "payload_locked_documents_rels" WHERE "segments_id" IS NOT NULL;
  ALTER TABLE "segments" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "email_jobs_texts" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "segments" CASCADE;
  DROP TABLE "email_jobs_texts" CASCADE;
  ALTER TABLE "email_jobs_rels" DROP CONSTRAINT IF EXISTS "email_jobs_rels_segments_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT IF EXISTS "payload_locked_documents_rels_segments_fk";
  
  DROP INDEX "email_jobs_rels_segments_id_idx";
  DROP INDEX "payload_locked_documents_rels_segments_id_idx";
  ALTER TABLE "email_jobs_rels" ADD COLUMN "contacts_id" integer;
  ALTER TABLE "email_jobs_rels" ADD CONSTRAINT "email_jobs_rels_contacts_fk" FOREIGN KEY ("contacts_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "email_jobs_rels_contacts_id_idx" ON "email_jobs_rels" USING btree ("contacts_id");
  INSERT INTO "email_jobs_rels" ("order", "parent_id", "path", "contacts_id")
    SELECT row_number() OVER (PARTITION BY "job_id" ORDER BY "contact_id"), "job_id", 'contacts', "contact_id" FROM "job_audience_contacts";
  DROP TABLE "job_audience_contacts";
  ALTER TABLE "email_jobs" DROP COLUMN "audience_all";
  ALTER TABLE "email_jobs" DROP COLUMN "audience_selection_count";
  ALTER TABLE "email_jobs_rels" DROP COLUMN "segments_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "segments_id";`)
}
