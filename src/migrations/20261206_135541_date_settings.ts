import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_organizations_locale" AS ENUM('en-GB', 'en-US', 'en-IE', 'en-AU', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'pt-PT');
  CREATE TYPE "public"."enum_users_locale" AS ENUM('en-GB', 'en-US', 'en-IE', 'en-AU', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'pt-PT');
  ALTER TABLE "organizations" ADD COLUMN "locale" "enum_organizations_locale" DEFAULT 'en-GB';
  ALTER TABLE "organizations" ADD COLUMN "time_zone" varchar DEFAULT 'Europe/London';
  ALTER TABLE "users" ADD COLUMN "locale" "enum_users_locale";
  ALTER TABLE "users" ADD COLUMN "time_zone" varchar;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "organizations" DROP COLUMN "locale";
  ALTER TABLE "organizations" DROP COLUMN "time_zone";
  ALTER TABLE "users" DROP COLUMN "locale";
  ALTER TABLE "users" DROP COLUMN "time_zone";
  DROP TYPE "public"."enum_organizations_locale";
  DROP TYPE "public"."enum_users_locale";`)
}
