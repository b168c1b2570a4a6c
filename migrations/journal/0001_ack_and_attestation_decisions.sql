CREATE TABLE `attestation_decision` (
	`student_id` text NOT NULL,
	`subject_id` text NOT NULL,
	`year_id` text NOT NULL,
	`term` text NOT NULL,
	`attest` integer NOT NULL,
	`note` text NOT NULL,
	`author` text NOT NULL,
	`at` text NOT NULL,
	PRIMARY KEY(`student_id`, `subject_id`, `year_id`, `term`),
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subject_id`) REFERENCES `subject`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `diary_ack` (
	`account_id` text NOT NULL,
	`student_id` text NOT NULL,
	`at` text NOT NULL,
	PRIMARY KEY(`account_id`, `student_id`),
	FOREIGN KEY (`account_id`) REFERENCES `account`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action
);
