import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_organizations_sending_provider" AS ENUM('smtp', 'sendgrid');
  ALTER TABLE "organizations" ADD COLUMN "sending_provider" "enum_organizations_sending_provider" DEFAULT 'smtp';
  ALTER TABLE "organizations" ADD COLUMN "sending_from_name" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sending_from_address" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sending_reply_to" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sending_batch_size" numeric;
  ALTER TABLE "organizations" ADD COLUMN "sending_batch_delay_seconds" numeric;
  ALTER TABLE "organizations" ADD COLUMN "sending_retry_delay_seconds" numeric;
  ALTER TABLE "organizations" ADD COLUMN "sending_max_retries" numeric;
  ALTER TABLE "organizations" ADD COLUMN "sending_per_minute_limit" numeric;
  ALTER TABLE "organizations" ADD COLUMN "sending_smtp_host" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sending_smtp_port" numeric;
  ALTER TABLE "organizations" ADD COLUMN "sending_smtp_secure" boolean;
  ALTER TABLE "organizations" ADD COLUMN "sending_smtp_user" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sending_smtp_password_encrypted" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sending_sendgrid_api_key_encrypted" varchar;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "organizations" DROP COLUMN "sending_provider";
  ALTER TABLE "organizations" DROP COLUMN "sending_from_name";
  ALTER TABLE "organizations" DROP COLUMN "sending_from_address";
  ALTER TABLE "organizations" DROP COLUMN "sending_reply_to";
  ALTER TABLE "organizations" DROP COLUMN "sending_batch_size";
  ALTER TABLE "organizations" DROP COLUMN "sending_batch_delay_seconds";
  ALTER TABLE "organizations" DROP COLUMN "sending_retry_delay_seconds";
  ALTER TABLE "organizations" DROP COLUMN "sending_max_retries";
  ALTER TABLE "organizations" DROP COLUMN "sending_per_minute_limit";
  ALTER TABLE "organizations" DROP COLUMN "sending_smtp_host";
  ALTER TABLE "organizations" DROP COLUMN "sending_smtp_port";
  ALTER TABLE "organizations" DROP COLUMN "sending_smtp_secure";
  ALTER TABLE "organizations" DROP COLUMN "sending_smtp_user";
  ALTER TABLE "organizations" DROP COLUMN "sending_smtp_password_encrypted";
  ALTER TABLE "organizations" DROP COLUMN "sending_sendgrid_api_key_encrypted";
  DROP TYPE "public"."enum_organizations_sending_provider";`)
}
