CREATE TABLE "login_event" (
	"school_id" text NOT NULL,
	"account_id" text NOT NULL,
	"at" text NOT NULL,
	"kind" text NOT NULL,
	"address" text NOT NULL,
	"outcome" text NOT NULL,
	CONSTRAINT "login_event_school_id_account_id_at_kind_outcome_address_pk" PRIMARY KEY("school_id","account_id","at","kind","outcome","address")
);
