import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_organizations_sms_provider" AS ENUM('outbox', 'twilio');
  ALTER TABLE "organizations" ADD COLUMN "sms_provider" "enum_organizations_sms_provider" DEFAULT 'outbox';
  ALTER TABLE "organizations" ADD COLUMN "sms_twilio_account_sid" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sms_from_number" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sms_messaging_service_sid" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sms_twilio_auth_token" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sms_twilio_auth_token_clear" boolean;
  ALTER TABLE "organizations" ADD COLUMN "sms_twilio_auth_token_encrypted" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sms_default_country" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sms_opt_out_line" varchar DEFAULT 'Reply STOP to opt out';
  ALTER TABLE "organizations" ADD COLUMN "sms_help_text" varchar;
  CREATE UNIQUE INDEX "organizations_sms_sms_from_number_idx" ON "organizations" USING btree ("sms_from_number");
  CREATE UNIQUE INDEX "organizations_sms_sms_messaging_service_sid_idx" ON "organizations" USING btree ("sms_messaging_service_sid");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "organizations_sms_sms_from_number_idx";
  DROP INDEX "organizations_sms_sms_messaging_service_sid_idx";
  ALTER TABLE "organizations" DROP COLUMN "sms_provider";
  ALTER TABLE "organizations" DROP COLUMN "sms_twilio_account_sid";
  ALTER TABLE "organizations" DROP COLUMN "sms_from_number";
  ALTER TABLE "organizations" DROP COLUMN "sms_messaging_service_sid";
  ALTER TABLE "organizations" DROP COLUMN "sms_twilio_auth_token";
  ALTER TABLE "organizations" DROP COLUMN "sms_twilio_auth_token_clear";
  ALTER TABLE "organizations" DROP COLUMN "sms_twilio_auth_token_encrypted";
  ALTER TABLE "organizations" DROP COLUMN "sms_default_country";
  ALTER TABLE "organizations" DROP COLUMN "sms_opt_out_line";
  ALTER TABLE "organizations" DROP COLUMN "sms_help_text";
  DROP TYPE "public"."enum_organizations_sms_provider";`)
}
