import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "organizations" ADD COLUMN "sending_smtp_password" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sending_smtp_password_clear" boolean;
  ALTER TABLE "organizations" ADD COLUMN "sending_sendgrid_api_key" varchar;
  ALTER TABLE "organizations" ADD COLUMN "sending_sendgrid_api_key_clear" boolean;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "organizations" DROP COLUMN "sending_smtp_password";
  ALTER TABLE "organizations" DROP COLUMN "sending_smtp_password_clear";
  ALTER TABLE "organizations" DROP COLUMN "sending_sendgrid_api_key";
  ALTER TABLE "organizations" DROP COLUMN "sending_sendgrid_api_key_clear";`)
}
