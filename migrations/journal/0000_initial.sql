CREATE TABLE `account` (
	`id` text PRIMARY KEY NOT NULL,
	`login` text NOT NULL,
	`person_kind` text NOT NULL,
	`person_id` text NOT NULL,
	`roles` text NOT NULL,
	`verifier` text,
	`blocked` integer DEFAULT false NOT NULL,
	`block_reason` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_login` ON `account` (`login`);--> statement-breakpoint
CREATE INDEX `account_person` ON `account` (`person_id`);--> statement-breakpoint
CREATE TABLE `announcement` (
	`id` text PRIMARY KEY NOT NULL,
	`author` text NOT NULL,
	`at` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`audience` text NOT NULL,
	`annulled` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `attendance` (
	`lesson_id` text NOT NULL,
	`student_id` text NOT NULL,
	`reason` text,
	`author` text NOT NULL,
	`at` text NOT NULL,
	PRIMARY KEY(`lesson_id`, `student_id`),
	FOREIGN KEY (`lesson_id`) REFERENCES `lesson`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `attendance_student` ON `attendance` (`student_id`);--> statement-breakpoint
CREATE TABLE `bell` (
	`year_id` text NOT NULL,
	`number` integer NOT NULL,
	`starts` text NOT NULL,
	`ends` text NOT NULL,
	PRIMARY KEY(`year_id`, `number`),
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `breach` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`from_at` text NOT NULL,
	`reported_at` text NOT NULL,
	`note` text,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `account`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `consent` (
	`parent_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`date` text NOT NULL,
	`author` text NOT NULL,
	PRIMARY KEY(`parent_id`, `kind`),
	FOREIGN KEY (`parent_id`) REFERENCES `parent`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `correction` (
	`id` text PRIMARY KEY NOT NULL,
	`target` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`reason` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` text NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`decision_note` text,
	`order_ref` text
);
--> statement-breakpoint
CREATE INDEX `correction_status` ON `correction` (`status`);--> statement-breakpoint
CREATE TABLE `course` (
	`id` text PRIMARY KEY NOT NULL,
	`year_id` text NOT NULL,
	`group_id` text NOT NULL,
	`subject_id` text NOT NULL,
	`teacher_id` text,
	`hours_per_week` real NOT NULL,
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `grp`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subject_id`) REFERENCES `subject`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`teacher_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `course_group` ON `course` (`group_id`);--> statement-breakpoint
CREATE INDEX `course_teacher` ON `course` (`teacher_id`);--> statement-breakpoint
CREATE TABLE `grp` (
	`id` text PRIMARY KEY NOT NULL,
	`year_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`class_id` text,
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_id`) REFERENCES `class`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `group_member` (
	`group_id` text NOT NULL,
	`student_id` text NOT NULL,
	PRIMARY KEY(`group_id`, `student_id`),
	FOREIGN KEY (`group_id`) REFERENCES `grp`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `group_member_student` ON `group_member` (`student_id`);--> statement-breakpoint
CREATE TABLE `holiday` (
	`id` text PRIMARY KEY NOT NULL,
	`year_id` text NOT NULL,
	`name` text NOT NULL,
	`starts` text NOT NULL,
	`ends` text NOT NULL,
	`grades` text,
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `individual_homework` (
	`lesson_id` text NOT NULL,
	`student_id` text NOT NULL,
	`text` text NOT NULL,
	PRIMARY KEY(`lesson_id`, `student_id`),
	FOREIGN KEY (`lesson_id`) REFERENCES `lesson`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `ktp` (
	`id` text PRIMARY KEY NOT NULL,
	`year_id` text NOT NULL,
	`subject_id` text NOT NULL,
	`grade` integer NOT NULL,
	`number` integer NOT NULL,
	`topic` text NOT NULL,
	`hours` integer NOT NULL,
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subject_id`) REFERENCES `subject`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ktp_subject_grade` ON `ktp` (`subject_id`,`grade`,`number`);--> statement-breakpoint
CREATE TABLE `lesson` (
	`id` text PRIMARY KEY NOT NULL,
	`course_id` text NOT NULL,
	`date` text NOT NULL,
	`number` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'planned' NOT NULL,
	`topic` text,
	`ktp_id` text,
	`homework` text,
	`work_type` text,
	`order_no` text,
	`form` text,
	`note` text,
	`moved_from` text,
	FOREIGN KEY (`course_id`) REFERENCES `course`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ktp_id`) REFERENCES `ktp`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lesson_course_date` ON `lesson` (`course_id`,`date`,`number`);--> statement-breakpoint
CREATE INDEX `lesson_date` ON `lesson` (`date`);--> statement-breakpoint
CREATE TABLE `level_scheme` (
	`year_id` text NOT NULL,
	`level` text NOT NULL,
	`scheme` text NOT NULL,
	PRIMARY KEY(`year_id`, `level`),
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `mark` (
	`lesson_id` text NOT NULL,
	`student_id` text NOT NULL,
	`col` text NOT NULL,
	`value` text NOT NULL,
	`work_type` text NOT NULL,
	`comment` text,
	`author` text NOT NULL,
	`at` text NOT NULL,
	PRIMARY KEY(`lesson_id`, `student_id`, `col`),
	FOREIGN KEY (`lesson_id`) REFERENCES `lesson`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `mark_student` ON `mark` (`student_id`);--> statement-breakpoint
CREATE TABLE `message` (
	`id` text PRIMARY KEY NOT NULL,
	`from_account` text NOT NULL,
	`to_account` text NOT NULL,
	`at` text NOT NULL,
	`body` text NOT NULL,
	`read_at` text,
	FOREIGN KEY (`to_account`) REFERENCES `account`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `message_to` ON `message` (`to_account`);--> statement-breakpoint
CREATE INDEX `message_from` ON `message` (`from_account`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `op_log` (
	`pos` integer PRIMARY KEY NOT NULL,
	`device` text NOT NULL,
	`seq` integer NOT NULL,
	`server_seq` integer,
	`author` text NOT NULL,
	`kind` text NOT NULL,
	`version` integer NOT NULL,
	`hlc` text NOT NULL,
	`payload` text NOT NULL,
	`scope` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `op_log_device_seq` ON `op_log` (`device`,`seq`);--> statement-breakpoint
CREATE INDEX `op_log_scope` ON `op_log` (`scope`) WHERE scope IS NOT NULL;--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `parent` (
	`id` text PRIMARY KEY NOT NULL,
	`last_name` text NOT NULL,
	`first_name` text NOT NULL,
	`middle_name` text,
	`phone` text,
	`email` text
);
--> statement-breakpoint
CREATE TABLE `parent_student` (
	`parent_id` text NOT NULL,
	`student_id` text NOT NULL,
	`relation` text,
	PRIMARY KEY(`parent_id`, `student_id`),
	FOREIGN KEY (`parent_id`) REFERENCES `parent`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `parent_student_student` ON `parent_student` (`student_id`);--> statement-breakpoint
CREATE TABLE `period` (
	`id` text PRIMARY KEY NOT NULL,
	`year_id` text NOT NULL,
	`scheme` text NOT NULL,
	`number` integer NOT NULL,
	`name` text NOT NULL,
	`starts` text NOT NULL,
	`ends` text NOT NULL,
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `period_year_scheme_number` ON `period` (`year_id`,`scheme`,`number`);--> statement-breakpoint
CREATE TABLE `period_mark` (
	`student_id` text NOT NULL,
	`subject_id` text NOT NULL,
	`year_id` text NOT NULL,
	`term` text NOT NULL,
	`value` text NOT NULL,
	`author` text NOT NULL,
	`at` text NOT NULL,
	PRIMARY KEY(`student_id`, `subject_id`, `year_id`, `term`),
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subject_id`) REFERENCES `subject`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `school` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`full_name` text,
	`address` text,
	`timezone` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `class` (
	`id` text PRIMARY KEY NOT NULL,
	`year_id` text NOT NULL,
	`grade` integer NOT NULL,
	`letter` text NOT NULL,
	`class_teacher_id` text,
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_teacher_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `class_year_name` ON `class` (`year_id`,`grade`,`letter`);--> statement-breakpoint
CREATE TABLE `setting` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `slot` (
	`id` text PRIMARY KEY NOT NULL,
	`course_id` text NOT NULL,
	`weekday` integer NOT NULL,
	`number` integer NOT NULL,
	`room` text,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`kind` text NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `course`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `slot_course` ON `slot` (`course_id`);--> statement-breakpoint
CREATE TABLE `staff` (
	`id` text PRIMARY KEY NOT NULL,
	`last_name` text NOT NULL,
	`first_name` text NOT NULL,
	`middle_name` text,
	`position` text,
	`left` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `student` (
	`id` text PRIMARY KEY NOT NULL,
	`last_name` text NOT NULL,
	`first_name` text NOT NULL,
	`middle_name` text,
	`birth_date` text,
	`class_id` text,
	`individual_plan` integer DEFAULT false NOT NULL,
	`home_schooling` integer DEFAULT false NOT NULL,
	`medical_group` text DEFAULT 'main' NOT NULL,
	`pe_exempt_until` text,
	`left` text,
	FOREIGN KEY (`class_id`) REFERENCES `class`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `student_class` ON `student` (`class_id`);--> statement-breakpoint
CREATE TABLE `subject` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`short` text NOT NULL,
	`code` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `substitution` (
	`lesson_id` text PRIMARY KEY NOT NULL,
	`teacher_id` text NOT NULL,
	`reason` text,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`lesson_id`) REFERENCES `lesson`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`teacher_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `year` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`starts` text NOT NULL,
	`ends` text NOT NULL,
	`closed` integer DEFAULT false NOT NULL
);
