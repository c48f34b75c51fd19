import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'
import type { CountryCode } from 'libphonenumber-js'

import { toE164 } from '../services/imports/normalize-import-row'

const normalizeStoredPhones = async (db: MigrateUpArgs['db']) => {
  const E164 = '^\\+[1-9][0-9]{6,14}$'
  for (let after = 0; ; ) {
    const { rows } = (await db.execute(sql`
      SELECT c.id, c.phone, upper(o.sms_default_country) AS country FROM contacts c JOIN organizations o ON o.id = c.org_id
       WHERE c.id > ${after} AND c.phone IS NOT NULL AND c.phone !~ ${E164} ORDER BY c.id LIMIT 5000`)) as unknown as { rows: { id: number; phone: string; country: null | string }[] }
    if (!rows.length) return
    after = rows.at(-1)!.id
    const ids: number[] = []
    const phones: string[] = []
    for (const row of rows) {
      const e164 = row.phone.trim() ? toE164(row.phone, (row.country ?? undefined) as CountryCode | undefined) : null
      if (e164) {
        ids.push(row.id)
        phones.push(e164)
      }
    }
    if (ids.length) {
      await db.execute(sql`UPDATE contacts c SET phone = u.phone FROM unnest(${`{${ids.join(',')}}`}::int[], ${`{${phones.map((p) => `"${p}"`).join(',')}}`}::text[]) AS u(id, phone) WHERE c.id = u.id`)
    }
  }
}

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_email_templates_channel" AS ENUM('email', 'sms');
  CREATE TYPE "public"."enum__email_templates_v_version_channel" AS ENUM('email', 'sms');
  CREATE TYPE "public"."enum_email_jobs_channel" AS ENUM('email', 'sms');
  CREATE TYPE "public"."enum_email_recipients_channel" AS ENUM('email', 'sms');
  ALTER TYPE "public"."enum_webhook_events_provider" ADD VALUE 'twilio';
  CREATE TABLE "sms_outbox" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer NOT NULL,
  	"to" varchar NOT NULL,
  	"from" varchar,
  	"body" varchar NOT NULL,
  	"segments" numeric,
  	"encoding" varchar,
  	"job_id" integer,
  	"recipient_id" integer,
  	"message_sid" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "email_templates" ALTER COLUMN "subject" DROP NOT NULL;
  ALTER TABLE "email_templates" ALTER COLUMN "html" DROP NOT NULL;
  ALTER TABLE "_email_templates_v" ALTER COLUMN "version_subject" DROP NOT NULL;
  ALTER TABLE "_email_templates_v" ALTER COLUMN "version_html" DROP NOT NULL;
  ALTER TABLE "email_templates" ADD COLUMN "channel" "enum_email_templates_channel" DEFAULT 'email';
  ALTER TABLE "email_templates" ADD COLUMN "sms_body" varchar;
  ALTER TABLE "_email_templates_v" ADD COLUMN "version_channel" "enum__email_templates_v_version_channel" DEFAULT 'email';
  ALTER TABLE "_email_templates_v" ADD COLUMN "version_sms_body" varchar;
  ALTER TABLE "email_jobs" ADD COLUMN "channel" "enum_email_jobs_channel" DEFAULT 'email';
  ALTER TABLE "email_recipients" ADD COLUMN "channel" "enum_email_recipients_channel" DEFAULT 'email';
  ALTER TABLE "organizations" ADD COLUMN "sms_per_second_limit" numeric;
  ALTER TABLE "organizations" ADD COLUMN "sms_per_minute_limit" numeric;
  ALTER TABLE "users" ADD COLUMN "phone" varchar;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "sms_outbox_id" integer;
  ALTER TABLE "sms_outbox" ADD CONSTRAINT "sms_outbox_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "sms_outbox" ADD CONSTRAINT "sms_outbox_job_id_email_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."email_jobs"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "sms_outbox" ADD CONSTRAINT "sms_outbox_recipient_id_email_recipients_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."email_recipients"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "sms_outbox_org_idx" ON "sms_outbox" USING btree ("org_id");
  CREATE INDEX "sms_outbox_job_idx" ON "sms_outbox" USING btree ("job_id");
  CREATE INDEX "sms_outbox_recipient_idx" ON "sms_outbox" USING btree ("recipient_id");
  CREATE UNIQUE INDEX "sms_outbox_message_sid_idx" ON "sms_outbox" USING btree ("message_sid");
  CREATE INDEX "sms_outbox_updated_at_idx" ON "sms_outbox" USING btree ("updated_at");
  CREATE INDEX "sms_outbox_created_at_idx" ON "sms_outbox" USING btree ("created_at");
  CREATE INDEX "org_createdAt_idx" ON "sms_outbox" USING btree ("org_id","created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_sms_outbox_fk" FOREIGN KEY ("sms_outbox_id") REFERENCES "public"."sms_outbox"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "email_templates_channel_idx" ON "email_templates" USING btree ("channel");
  CREATE INDEX "_email_templates_v_version_version_channel_idx" ON "_email_templates_v" USING btree ("version_channel");
  CREATE INDEX "email_jobs_channel_idx" ON "email_jobs" USING btree ("channel");
  CREATE INDEX "payload_locked_documents_rels_sms_outbox_id_idx" ON "payload_locked_documents_rels" USING btree ("sms_outbox_id");`)
  // One phone rule: contacts' numbers are stored in E.164 from now on (read in the org's default
  // country when written without a country code, as imports do). Numbers that cannot be read stay as
  // they are; an SMS job lists them as excluded with the reason.
  await normalizeStoredPhones(db)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "sms_outbox" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "sms_outbox" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_sms_outbox_fk";
  
  ALTER TABLE "webhook_events" ALTER COLUMN "provider" SET DATA TYPE text;
  ALTER TABLE "webhook_events" ALTER COLUMN "provider" SET DEFAULT 'sendgrid'::text;
  DROP TYPE "public"."enum_webhook_events_provider";
  CREATE TYPE "public"."enum_webhook_events_provider" AS ENUM('sendgrid');
  ALTER TABLE "webhook_events" ALTER COLUMN "provider" SET DEFAULT 'sendgrid'::"public"."enum_webhook_events_provider";
  ALTER TABLE "webhook_events" ALTER COLUMN "provider" SET DATA TYPE "public"."enum_webhook_events_provider" USING "provider"::"public"."enum_webhook_events_provider";
  DROP INDEX "email_templates_channel_idx";
  DROP INDEX "_email_templates_v_version_version_channel_idx";
  DROP INDEX "email_jobs_channel_idx";
  DROP INDEX "payload_locked_documents_rels_sms_outbox_id_idx";
  ALTER TABLE "email_templates" ALTER COLUMN "subject" SET NOT NULL;
  ALTER TABLE "email_templates" ALTER COLUMN "html" SET NOT NULL;
  ALTER TABLE "_email_templates_v" ALTER COLUMN "version_subject" SET NOT NULL;
  ALTER TABLE "_email_templates_v" ALTER COLUMN "version_html" SET NOT NULL;
  ALTER TABLE "email_templates" DROP COLUMN "channel";
  ALTER TABLE "email_templates" DROP COLUMN "sms_body";
  ALTER TABLE "_email_templates_v" DROP COLUMN "version_channel";
  ALTER TABLE "_email_templates_v" DROP COLUMN "version_sms_body";
  ALTER TABLE "email_jobs" DROP COLUMN "channel";
  ALTER TABLE "email_recipients" DROP COLUMN "channel";
  ALTER TABLE "organizations" DROP COLUMN "sms_per_second_limit";
  ALTER TABLE "organizations" DROP COLUMN "sms_per_minute_limit";
  ALTER TABLE "users" DROP COLUMN "phone";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "sms_outbox_id";
  DROP TYPE "public"."enum_email_templates_channel";
  DROP TYPE "public"."enum__email_templates_v_version_channel";
  DROP TYPE "public"."enum_email_jobs_channel";
  DROP TYPE "public"."enum_email_recipients_channel";`)
}
