CREATE TABLE `device` (
	`school_id` text NOT NULL,
	`device_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`name` text NOT NULL,
	`enrolled_by` text NOT NULL,
	`enrolled_at` text NOT NULL,
	`last_seen_at` text,
	`revoked_at` text,
	PRIMARY KEY(`school_id`, `device_id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `device_token` ON `device` (`school_id`,`token_hash`);--> statement-breakpoint
CREATE TABLE `login` (
	`login` text PRIMARY KEY NOT NULL,
	`school_id` text NOT NULL,
	`account_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `login_account` ON `login` (`school_id`,`account_id`);--> statement-breakpoint
CREATE TABLE `op` (
	`school_id` text NOT NULL,
	`server_seq` integer NOT NULL,
	`device` text NOT NULL,
	`seq` integer NOT NULL,
	`author` text NOT NULL,
	`kind` text NOT NULL,
	`version` integer NOT NULL,
	`hlc` text NOT NULL,
	`payload` text NOT NULL,
	`received_at` text NOT NULL,
	`revoked` integer DEFAULT 0 NOT NULL,
	`batch_end` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`school_id`, `server_seq`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `op_device_seq` ON `op` (`school_id`,`device`,`seq`);--> statement-breakpoint
CREATE INDEX `op_author` ON `op` (`school_id`,`author`);--> statement-breakpoint
CREATE TABLE `op_device` (
	`school_id` text NOT NULL,
	`device` text NOT NULL,
	`last_seq` integer NOT NULL,
	PRIMARY KEY(`school_id`, `device`)
);
--> statement-breakpoint
CREATE TABLE `revocation` (
	`school_id` text NOT NULL,
	`account_id` text NOT NULL,
	`from_at` text NOT NULL,
	`recorded_at` text NOT NULL,
	PRIMARY KEY(`school_id`, `account_id`, `from_at`)
);
--> statement-breakpoint
CREATE TABLE `school` (
	`school_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`head` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `session` (
	`school_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`account_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`school_id`, `token_hash`)
);
--> statement-breakpoint
CREATE INDEX `session_expires` ON `session` (`school_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `snapshot` (
	`school_id` text PRIMARY KEY NOT NULL,
	`server_seq` integer NOT NULL,
	`bytes` blob NOT NULL,
	`created_at` text NOT NULL
);
