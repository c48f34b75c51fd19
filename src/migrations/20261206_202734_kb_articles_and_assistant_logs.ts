import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_kb_articles_status" AS ENUM('draft', 'published');
  CREATE TYPE "public"."enum_kb_articles_source_format" AS ENUM('md', 'txt', 'html', 'pdf');
  CREATE TYPE "public"."enum__kb_articles_v_version_status" AS ENUM('draft', 'published');
  CREATE TYPE "public"."enum__kb_articles_v_version_source_format" AS ENUM('md', 'txt', 'html', 'pdf');
  CREATE TYPE "public"."enum_organizations_assistant_provider" AS ENUM('none', 'openai', 'azure');
  CREATE TYPE "public"."enum_organizations_assistant_language" AS ENUM('english', 'french', 'german', 'spanish', 'italian', 'portuguese', 'dutch', 'danish', 'swedish', 'norwegian', 'finnish', 'simple');
  CREATE TYPE "public"."enum_assistant_logs_kind" AS ENUM('ask', 'suggest-reply');
  CREATE TYPE "public"."enum_assistant_logs_outcome" AS ENUM('answered', 'unknown', 'refused', 'error', 'cancelled');
  CREATE TABLE "kb_articles" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer,
  	"title" varchar NOT NULL,
  	"body" varchar NOT NULL,
  	"status" "enum_kb_articles_status" DEFAULT 'draft' NOT NULL,
  	"source_file_name" varchar,
  	"source_format" "enum_kb_articles_source_format",
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "kb_articles_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  CREATE TABLE "_kb_articles_v" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"parent_id" integer,
  	"version_org_id" integer,
  	"version_title" varchar NOT NULL,
  	"version_body" varchar NOT NULL,
  	"version_status" "enum__kb_articles_v_version_status" DEFAULT 'draft' NOT NULL,
  	"version_source_file_name" varchar,
  	"version_source_format" "enum__kb_articles_v_version_source_format",
  	"version_updated_at" timestamp(3) with time zone,
  	"version_created_at" timestamp(3) with time zone,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "_kb_articles_v_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  CREATE TABLE "assistant_logs" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"org_id" integer NOT NULL,
  	"asked_by_id" integer,
  	"kind" "enum_assistant_logs_kind" DEFAULT 'ask' NOT NULL,
  	"question" varchar NOT NULL,
  	"outcome" "enum_assistant_logs_outcome" NOT NULL,
  	"reason" varchar,
  	"provider" varchar,
  	"model" varchar,
  	"sources" jsonb,
  	"prompt" jsonb,
  	"answer" varchar,
  	"prompt_tokens" numeric,
  	"completion_tokens" numeric,
  	"total_tokens" numeric,
  	"cost_u_s_d" numeric,
  	"latency_ms" numeric,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "organizations" ADD COLUMN "assistant_provider" "enum_organizations_assistant_provider";
  ALTER TABLE "organizations" ADD COLUMN "assistant_model" varchar;
  ALTER TABLE "organizations" ADD COLUMN "assistant_language" "enum_organizations_assistant_language" DEFAULT 'english';
  ALTER TABLE "organizations" ADD COLUMN "assistant_per_minute_limit" numeric;
  ALTER TABLE "organizations" ADD COLUMN "assistant_monthly_token_limit" numeric;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "kb_articles_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "assistant_logs_id" integer;
  ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "kb_articles_texts" ADD CONSTRAINT "kb_articles_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "_kb_articles_v" ADD CONSTRAINT "_kb_articles_v_parent_id_kb_articles_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."kb_articles"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "_kb_articles_v" ADD CONSTRAINT "_kb_articles_v_version_org_id_organizations_id_fk" FOREIGN KEY ("version_org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "_kb_articles_v_texts" ADD CONSTRAINT "_kb_articles_v_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."_kb_articles_v"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "assistant_logs" ADD CONSTRAINT "assistant_logs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "assistant_logs" ADD CONSTRAINT "assistant_logs_asked_by_id_users_id_fk" FOREIGN KEY ("asked_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "kb_articles_org_idx" ON "kb_articles" USING btree ("org_id");
  CREATE INDEX "kb_articles_updated_at_idx" ON "kb_articles" USING btree ("updated_at");
  CREATE INDEX "kb_articles_created_at_idx" ON "kb_articles" USING btree ("created_at");
  CREATE INDEX "kb_articles_texts_order_parent" ON "kb_articles_texts" USING btree ("order","parent_id");
  CREATE INDEX "_kb_articles_v_parent_idx" ON "_kb_articles_v" USING btree ("parent_id");
  CREATE INDEX "_kb_articles_v_version_version_org_idx" ON "_kb_articles_v" USING btree ("version_org_id");
  CREATE INDEX "_kb_articles_v_version_version_updated_at_idx" ON "_kb_articles_v" USING btree ("version_updated_at");
  CREATE INDEX "_kb_articles_v_version_version_created_at_idx" ON "_kb_articles_v" USING btree ("version_created_at");
  CREATE INDEX "_kb_articles_v_created_at_idx" ON "_kb_articles_v" USING btree ("created_at");
  CREATE INDEX "_kb_articles_v_updated_at_idx" ON "_kb_articles_v" USING btree ("updated_at");
  CREATE INDEX "_kb_articles_v_texts_order_parent" ON "_kb_articles_v_texts" USING btree ("order","parent_id");
  CREATE INDEX "assistant_logs_org_idx" ON "assistant_logs" USING btree ("org_id");
  CREATE INDEX "assistant_logs_asked_by_idx" ON "assistant_logs" USING btree ("asked_by_id");
  CREATE INDEX "assistant_logs_total_tokens_idx" ON "assistant_logs" USING btree ("total_tokens");
  CREATE INDEX "assistant_logs_updated_at_idx" ON "assistant_logs" USING btree ("updated_at");
  CREATE INDEX "assistant_logs_created_at_idx" ON "assistant_logs" USING btree ("created_at");
  CREATE INDEX "org_createdAt_1_idx" ON "assistant_logs" USING btree ("org_id","created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_kb_articles_fk" FOREIGN KEY ("kb_articles_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_assistant_logs_fk" FOREIGN KEY ("assistant_logs_id") REFERENCES "public"."assistant_logs"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_kb_articles_id_idx" ON "payload_locked_documents_rels" USING btree ("kb_articles_id");
  CREATE INDEX "payload_locked_documents_rels_assistant_logs_id_idx" ON "payload_locked_documents_rels" USING btree ("assistant_logs_id");`)

  // Retrieval's own tables, written by our SQL (not Payload collections, so no API reaches them):
  // kb_chunks: one row per passage of a published article, with a weighted search vector generated in
  // the org's language (title A, heading path B, text C), a GIN index for full-text search and a trigram
  // index; kb_terms: the words of each org's articles, for correcting a misspelt question word by
  // trigram similarity; assistant_rate and assistant_usage: per-org limits and recorded usage.
  await db.execute(sql`
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE TABLE "kb_chunks" (
    "id" bigserial PRIMARY KEY,
    "org_id" integer NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
    "article_id" integer NOT NULL REFERENCES "kb_articles"("id") ON DELETE CASCADE,
    "position" integer NOT NULL,
    "title" text NOT NULL,
    "heading_path" text NOT NULL DEFAULT '',
    "content" text NOT NULL,
    "tokens" integer NOT NULL,
    "hash" text NOT NULL,
    "language" regconfig NOT NULL DEFAULT 'english',
    "embedding" real[],
    "embedding_model" text,
    "search" tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector("language", "title"), 'A') || setweight(to_tsvector("language", "heading_path"), 'B') || setweight(to_tsvector("language", "content"), 'C')
    ) STORED
  );
  CREATE INDEX "kb_chunks_search_idx" ON "kb_chunks" USING gin ("search");
  CREATE INDEX "kb_chunks_org_idx" ON "kb_chunks" USING btree ("org_id");
  CREATE INDEX "kb_chunks_article_idx" ON "kb_chunks" USING btree ("article_id", "position");
  CREATE TABLE "kb_terms" (
    "org_id" integer NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
    "term" text NOT NULL,
    PRIMARY KEY ("org_id", "term")
  );
  CREATE INDEX "kb_terms_trgm_idx" ON "kb_terms" USING gin ("term" gin_trgm_ops);
  CREATE TABLE "assistant_rate" (
    "org_id" integer NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
    "minute" timestamp(0) with time zone NOT NULL,
    "count" integer NOT NULL DEFAULT 1,
    PRIMARY KEY ("org_id", "minute")
  );
  CREATE TABLE "assistant_usage" (
    "org_id" integer NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
    "month" date NOT NULL,
    "requests" integer NOT NULL DEFAULT 0,
    "prompt_tokens" bigint NOT NULL DEFAULT 0,
    "completion_tokens" bigint NOT NULL DEFAULT 0,
    "cost_usd" numeric(12, 6) NOT NULL DEFAULT 0,
    PRIMARY KEY ("org_id", "month")
  );`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  DROP TABLE IF EXISTS "assistant_usage";
  DROP TABLE IF EXISTS "assistant_rate";
  DROP TABLE IF EXISTS "kb_terms";
  DROP TABLE IF EXISTS "kb_chunks";`)
  await db.execute(sql`
   ALTER TABLE "kb_articles" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "kb_articles_texts" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "_kb_articles_v" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "_kb_articles_v_texts" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "assistant_logs" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "kb_articles" CASCADE;
  DROP TABLE "kb_articles_texts" CASCADE;
  DROP TABLE "_kb_articles_v" CASCADE;
  DROP TABLE "_kb_articles_v_texts" CASCADE;
  DROP TABLE "assistant_logs" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_kb_articles_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_assistant_logs_fk";
  
  DROP INDEX "payload_locked_documents_rels_kb_articles_id_idx";
  DROP INDEX "payload_locked_documents_rels_assistant_logs_id_idx";
  ALTER TABLE "organizations" DROP COLUMN "assistant_provider";
  ALTER TABLE "organizations" DROP COLUMN "assistant_model";
  ALTER TABLE "organizations" DROP COLUMN "assistant_language";
  ALTER TABLE "organizations" DROP COLUMN "assistant_per_minute_limit";
  ALTER TABLE "organizations" DROP COLUMN "assistant_monthly_token_limit";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "kb_articles_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "assistant_logs_id";
  DROP TYPE "public"."enum_kb_articles_status";
  DROP TYPE "public"."enum_kb_articles_source_format";
  DROP TYPE "public"."enum__kb_articles_v_version_status";
  DROP TYPE "public"."enum__kb_articles_v_version_source_format";
  DROP TYPE "public"."enum_organizations_assistant_provider";
  DROP TYPE "public"."enum_organizations_assistant_language";
  DROP TYPE "public"."enum_assistant_logs_kind";
  DROP TYPE "public"."enum_assistant_logs_outcome";`)
}
