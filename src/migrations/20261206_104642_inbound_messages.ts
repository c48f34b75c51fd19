import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_inbound_messages_channel" AS ENUM('email', 'sms');
  CREATE TYPE "public"."enum_inbound_messages_provider" AS ENUM('twilio', 'sendgrid');
  CREATE TABLE "inbound_messages" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer NOT NULL,
  	"channel" "enum_inbound_messages_channel" DEFAULT 'sms' NOT NULL,
  	"provider" "enum_inbound_messages_provider" DEFAULT 'twilio' NOT NULL,
  	"provider_message_i_d" varchar NOT NULL,
  	"from" varchar NOT NULL,
  	"to" varchar,
  	"body" varchar,
  	"contact_id" integer,
  	"received_at" timestamp(3) with time zone NOT NULL,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "inbound_messages_id" integer;
  ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "inbound_messages_org_idx" ON "inbound_messages" USING btree ("org_id");
  CREATE INDEX "inbound_messages_contact_idx" ON "inbound_messages" USING btree ("contact_id");
  CREATE INDEX "inbound_messages_updated_at_idx" ON "inbound_messages" USING btree ("updated_at");
  CREATE INDEX "inbound_messages_created_at_idx" ON "inbound_messages" USING btree ("created_at");
  CREATE UNIQUE INDEX "provider_providerMessageID_idx" ON "inbound_messages" USING btree ("provider","provider_message_i_d");
  CREATE INDEX "org_receivedAt_idx" ON "inbound_messages" USING btree ("org_id","received_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_inbound_messages_fk" FOREIGN KEY ("inbound_messages_id") REFERENCES "public"."inbound_messages"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "org_phone_idx" ON "contacts" USING btree ("org_id","phone");
  CREATE INDEX "payload_locked_documents_rels_inbound_messages_id_idx" ON "payload_locked_documents_rels" USING btree ("inbound_messages_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "inbound_messages" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "inbound_messages" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_inbound_messages_fk";
  
  DROP INDEX "org_phone_idx";
  DROP INDEX "payload_locked_documents_rels_inbound_messages_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "inbound_messages_id";
  DROP TYPE "public"."enum_inbound_messages_channel";
  DROP TYPE "public"."enum_inbound_messages_provider";`)
}
