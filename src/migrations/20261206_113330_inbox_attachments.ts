import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TABLE "messages_rels" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"media_id" integer
  );
  
  ALTER TABLE "messages" ADD COLUMN "body_html" varchar;
  ALTER TABLE "messages" ADD COLUMN "attachment_note" varchar;
  ALTER TABLE "messages" ADD COLUMN "job_id" integer;
  ALTER TABLE "messages_rels" ADD CONSTRAINT "messages_rels_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "messages_rels" ADD CONSTRAINT "messages_rels_media_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "messages_rels_order_idx" ON "messages_rels" USING btree ("order");
  CREATE INDEX "messages_rels_parent_idx" ON "messages_rels" USING btree ("parent_id");
  CREATE INDEX "messages_rels_path_idx" ON "messages_rels" USING btree ("path");
  CREATE INDEX "messages_rels_media_id_idx" ON "messages_rels" USING btree ("media_id");
  ALTER TABLE "messages" ADD CONSTRAINT "messages_job_id_email_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."email_jobs"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "messages_job_idx" ON "messages" USING btree ("job_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "messages_rels" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "messages_rels" CASCADE;
  ALTER TABLE "messages" DROP CONSTRAINT "messages_job_id_email_jobs_id_fk";
  
  DROP INDEX "messages_job_idx";
  ALTER TABLE "messages" DROP COLUMN "body_html";
  ALTER TABLE "messages" DROP COLUMN "attachment_note";
  ALTER TABLE "messages" DROP COLUMN "job_id";`)
}
