PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_mark` (
	`lesson_id` text NOT NULL,
	`student_id` text NOT NULL,
	`col` text NOT NULL,
	`value` text NOT NULL,
	`work_type` text,
	`comment` text,
	`author` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`lesson_id`, `student_id`, `col`),
	FOREIGN KEY (`lesson_id`) REFERENCES `lesson`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_mark`("lesson_id", "student_id", "col", "value", "work_type", "comment", "author", "at") SELECT "lesson_id", "student_id", "col", "value", "work_type", "comment", "author", CAST(round(unixepoch("at", 'subsec') * 1000) AS INTEGER) FROM `mark`;--> statement-breakpoint
DROP TABLE `mark`;--> statement-breakpoint
ALTER TABLE `__new_mark` RENAME TO `mark`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_attendance` (
	`lesson_id` text NOT NULL,
	`student_id` text NOT NULL,
	`reason` text,
	`author` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`lesson_id`, `student_id`),
	FOREIGN KEY (`lesson_id`) REFERENCES `lesson`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_attendance`("lesson_id", "student_id", "reason", "author", "at") SELECT "lesson_id", "student_id", "reason", "author", CAST(round(unixepoch("at", 'subsec') * 1000) AS INTEGER) FROM `attendance`;--> statement-breakpoint
DROP TABLE `attendance`;--> statement-breakpoint
ALTER TABLE `__new_attendance` RENAME TO `attendance`;--> statement-breakpoint
CREATE INDEX `attendance_student` ON `attendance` (`student_id`);--> statement-breakpoint
CREATE TABLE `__new_period_mark` (
	`student_id` text NOT NULL,
	`subject_id` text NOT NULL,
	`year_id` text NOT NULL,
	`term` text NOT NULL,
	`value` text NOT NULL,
	`author` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`student_id`, `subject_id`, `year_id`, `term`),
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subject_id`) REFERENCES `subject`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`year_id`) REFERENCES `year`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_period_mark`("student_id", "subject_id", "year_id", "term", "value", "author", "at") SELECT "student_id", "subject_id", "year_id", "term", "value", "author", CAST(round(unixepoch("at", 'subsec') * 1000) AS INTEGER) FROM `period_mark`;--> statement-breakpoint
DROP TABLE `period_mark`;--> statement-breakpoint
ALTER TABLE `__new_period_mark` RENAME TO `period_mark`;--> statement-breakpoint
-- State semantics changed (mark.work_type may be null, times are integers): re-fold the state from the op log on open.
INSERT INTO `meta` (`key`, `value`) VALUES ('refold', '0003') ON CONFLICT(`key`) DO UPDATE SET `value` = excluded.`value`;
