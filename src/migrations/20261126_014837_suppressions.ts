import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_suppressions_channel" AS ENUM('email', 'sms');
  CREATE TYPE "public"."enum_suppressions_reason" AS ENUM('bounce', 'dropped', 'spamreport', 'unsubscribe', 'keyword', 'manual');
  CREATE TYPE "public"."enum_suppressions_status" AS ENUM('active', 'pending_review', 'lifted');
  CREATE TABLE "suppressions" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer,
  	"address" varchar NOT NULL,
  	"channel" "enum_suppressions_channel" DEFAULT 'email' NOT NULL,
  	"reason" "enum_suppressions_reason" DEFAULT 'manual' NOT NULL,
  	"status" "enum_suppressions_status" DEFAULT 'active' NOT NULL,
  	"source" varchar DEFAULT 'admin',
  	"note" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "suppressions_id" integer;
  ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "suppressions_org_idx" ON "suppressions" USING btree ("org_id");
  CREATE INDEX "suppressions_address_idx" ON "suppressions" USING btree ("address");
  CREATE INDEX "suppressions_status_idx" ON "suppressions" USING btree ("status");
  CREATE INDEX "suppressions_updated_at_idx" ON "suppressions" USING btree ("updated_at");
  CREATE INDEX "suppressions_created_at_idx" ON "suppressions" USING btree ("created_at");
  CREATE INDEX "org_channel_address_idx" ON "suppressions" USING btree ("org_id","channel","address");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_suppressions_fk" FOREIGN KEY ("suppressions_id") REFERENCES "public"."suppressions"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_suppressions_id_idx" ON "payload_locked_documents_rels" USING btree ("suppressions_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "suppressions" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "suppressions" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_suppressions_fk";
  
  DROP INDEX "payload_locked_documents_rels_suppressions_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "suppressions_id";
  DROP TYPE "public"."enum_suppressions_channel";
  DROP TYPE "public"."enum_suppressions_reason";
  DROP TYPE "public"."enum_suppressions_status";`)
}
