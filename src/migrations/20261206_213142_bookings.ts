import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_bookings_attendees_response" AS ENUM('needs-action', 'accepted', 'tentative', 'declined');
  CREATE TYPE "public"."enum_bookings_reminders_method" AS ENUM('popup', 'email');
  CREATE TYPE "public"."enum_bookings_status" AS ENUM('scheduled', 'rescheduled', 'cancelled');
  CREATE TABLE "bookings_attendees" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"contact_id" integer,
  	"email" varchar,
  	"name" varchar,
  	"optional" boolean,
  	"response" "enum_bookings_attendees_response" DEFAULT 'needs-action'
  );
  
  CREATE TABLE "bookings_reminders" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"method" "enum_bookings_reminders_method" DEFAULT 'popup' NOT NULL,
  	"minutes_before" numeric DEFAULT 30 NOT NULL
  );
  
  CREATE TABLE "bookings" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer,
  	"title" varchar NOT NULL,
  	"start" timestamp(3) with time zone NOT NULL,
  	"end" timestamp(3) with time zone NOT NULL,
  	"time_zone" varchar,
  	"allow_overlap" boolean DEFAULT false,
  	"owner_id" integer NOT NULL,
  	"location" varchar,
  	"video_link" varchar,
  	"description" varchar,
  	"status" "enum_bookings_status" DEFAULT 'scheduled' NOT NULL,
  	"sequence" numeric DEFAULT 0,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "bookings_rels" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"contacts_id" integer
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "bookings_id" integer;
  ALTER TABLE "bookings_attendees" ADD CONSTRAINT "bookings_attendees_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "bookings_attendees" ADD CONSTRAINT "bookings_attendees_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "bookings_reminders" ADD CONSTRAINT "bookings_reminders_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "bookings" ADD CONSTRAINT "bookings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "bookings" ADD CONSTRAINT "bookings_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "bookings_rels" ADD CONSTRAINT "bookings_rels_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "bookings_rels" ADD CONSTRAINT "bookings_rels_contacts_fk" FOREIGN KEY ("contacts_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "bookings_attendees_order_idx" ON "bookings_attendees" USING btree ("_order");
  CREATE INDEX "bookings_attendees_parent_id_idx" ON "bookings_attendees" USING btree ("_parent_id");
  CREATE INDEX "bookings_attendees_contact_idx" ON "bookings_attendees" USING btree ("contact_id");
  CREATE INDEX "bookings_reminders_order_idx" ON "bookings_reminders" USING btree ("_order");
  CREATE INDEX "bookings_reminders_parent_id_idx" ON "bookings_reminders" USING btree ("_parent_id");
  CREATE INDEX "bookings_org_idx" ON "bookings" USING btree ("org_id");
  CREATE INDEX "bookings_start_idx" ON "bookings" USING btree ("start");
  CREATE INDEX "bookings_owner_idx" ON "bookings" USING btree ("owner_id");
  CREATE INDEX "bookings_updated_at_idx" ON "bookings" USING btree ("updated_at");
  CREATE INDEX "bookings_created_at_idx" ON "bookings" USING btree ("created_at");
  CREATE INDEX "org_start_idx" ON "bookings" USING btree ("org_id","start");
  CREATE INDEX "owner_start_idx" ON "bookings" USING btree ("owner_id","start");
  CREATE INDEX "bookings_rels_order_idx" ON "bookings_rels" USING btree ("order");
  CREATE INDEX "bookings_rels_parent_idx" ON "bookings_rels" USING btree ("parent_id");
  CREATE INDEX "bookings_rels_path_idx" ON "bookings_rels" USING btree ("path");
  CREATE INDEX "bookings_rels_contacts_id_idx" ON "bookings_rels" USING btree ("contacts_id");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_bookings_fk" FOREIGN KEY ("bookings_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_bookings_id_idx" ON "payload_locked_documents_rels" USING btree ("bookings_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "bookings_attendees" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "bookings_reminders" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "bookings" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "bookings_rels" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "bookings_attendees" CASCADE;
  DROP TABLE "bookings_reminders" CASCADE;
  DROP TABLE "bookings" CASCADE;
  DROP TABLE "bookings_rels" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_bookings_fk";
  
  DROP INDEX "payload_locked_documents_rels_bookings_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "bookings_id";
  DROP TYPE "public"."enum_bookings_attendees_response";
  DROP TYPE "public"."enum_bookings_reminders_method";
  DROP TYPE "public"."enum_bookings_status";`)
}
