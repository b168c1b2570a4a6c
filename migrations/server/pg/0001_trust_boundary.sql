CREATE TABLE "held_op" (
	"school_id" text NOT NULL,
	"device_id" text NOT NULL,
	"seq" integer NOT NULL,
	"author" text NOT NULL,
	"kind" text NOT NULL,
	"hlc" text NOT NULL,
	"payload" text NOT NULL,
	"received_at" text NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "held_op_school_id_device_id_seq_pk" PRIMARY KEY("school_id","device_id","seq")
);
--> statement-breakpoint
CREATE TABLE "signin" (
	"school_id" text NOT NULL,
	"device_id" text NOT NULL,
	"account_id" text NOT NULL,
	"at" text NOT NULL,
	"method" text NOT NULL,
	"verifier_tag" text NOT NULL,
	"recorded_at" text NOT NULL,
	CONSTRAINT "signin_school_id_device_id_account_id_at_pk" PRIMARY KEY("school_id","device_id","account_id","at")
);
--> statement-breakpoint
CREATE TABLE "signin_key" (
	"school_id" text NOT NULL,
	"device_id" text NOT NULL,
	"account_id" text NOT NULL,
	"secret" text NOT NULL,
	"verifier_tag" text NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "signin_key_school_id_device_id_account_id_pk" PRIMARY KEY("school_id","device_id","account_id")
);
--> statement-breakpoint
ALTER TABLE "device" ADD COLUMN "last_op_at" text;--> statement-breakpoint
ALTER TABLE "device" ADD COLUMN "allowed" text;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "verifier_tag" text;