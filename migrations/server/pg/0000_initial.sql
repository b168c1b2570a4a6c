CREATE TABLE "device" (
	"school_id" text NOT NULL,
	"device_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"name" text NOT NULL,
	"enrolled_by" text NOT NULL,
	"enrolled_at" text NOT NULL,
	"last_seen_at" text,
	"revoked_at" text,
	CONSTRAINT "device_school_id_device_id_pk" PRIMARY KEY("school_id","device_id")
);
--> statement-breakpoint
CREATE TABLE "login" (
	"login" text PRIMARY KEY NOT NULL,
	"school_id" text NOT NULL,
	"account_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "op" (
	"school_id" text NOT NULL,
	"server_seq" bigint NOT NULL,
	"device" text NOT NULL,
	"seq" bigint NOT NULL,
	"author" text NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"hlc" text NOT NULL,
	"payload" text NOT NULL,
	"received_at" text NOT NULL,
	"revoked" smallint DEFAULT 0 NOT NULL,
	"batch_end" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "op_school_id_server_seq_pk" PRIMARY KEY("school_id","server_seq")
);
--> statement-breakpoint
CREATE TABLE "op_device" (
	"school_id" text NOT NULL,
	"device" text NOT NULL,
	"last_seq" bigint NOT NULL,
	CONSTRAINT "op_device_school_id_device_pk" PRIMARY KEY("school_id","device")
);
--> statement-breakpoint
CREATE TABLE "revocation" (
	"school_id" text NOT NULL,
	"account_id" text NOT NULL,
	"from_at" text NOT NULL,
	"recorded_at" text NOT NULL,
	CONSTRAINT "revocation_school_id_account_id_from_at_pk" PRIMARY KEY("school_id","account_id","from_at")
);
--> statement-breakpoint
CREATE TABLE "school" (
	"school_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"head" bigint DEFAULT 0 NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session" (
	"school_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"account_id" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL,
	CONSTRAINT "session_school_id_token_hash_pk" PRIMARY KEY("school_id","token_hash")
);
--> statement-breakpoint
CREATE TABLE "snapshot" (
	"school_id" text PRIMARY KEY NOT NULL,
	"server_seq" bigint NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "device_token" ON "device" USING btree ("school_id","token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "login_account" ON "login" USING btree ("school_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "op_device_seq" ON "op" USING btree ("school_id","device","seq");--> statement-breakpoint
CREATE INDEX "op_author" ON "op" USING btree ("school_id","author");--> statement-breakpoint
CREATE INDEX "session_expires" ON "session" USING btree ("school_id","expires_at");