-- Marks and absences, compact (docs/scaling.md): stored WITHOUT ROWID in mark_cell / attendance_cell with the
-- main column as '' and authors, work types and absence reasons as name_code ids; read through the views
-- `mark` and `attendance`, which give back the columns every reader knows. Written only by the fold (apply.ts).
CREATE TABLE `attendance_cell` (
	`lesson_id` text NOT NULL,
	`student_id` text NOT NULL,
	`reason` integer,
	`author` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`lesson_id`, `student_id`),
	FOREIGN KEY (`lesson_id`) REFERENCES `lesson`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `attendance_cell_student` ON `attendance_cell` (`student_id`);--> statement-breakpoint
CREATE TABLE `mark_cell` (
	`lesson_id` text NOT NULL,
	`student_id` text NOT NULL,
	`col` text NOT NULL,
	`value` text NOT NULL,
	`work_type` integer,
	`comment` text,
	`author` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`lesson_id`, `student_id`, `col`),
	FOREIGN KEY (`lesson_id`) REFERENCES `lesson`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `student`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `name_code` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `name_code_name` ON `name_code` (`name`);--> statement-breakpoint
INSERT INTO `name_code` (`name`) SELECT `author` FROM `mark` UNION SELECT `work_type` FROM `mark` WHERE `work_type` IS NOT NULL
  UNION SELECT `author` FROM `attendance` UNION SELECT `reason` FROM `attendance` WHERE `reason` IS NOT NULL ORDER BY 1;--> statement-breakpoint
INSERT INTO `mark_cell` (`lesson_id`, `student_id`, `col`, `value`, `work_type`, `comment`, `author`, `at`)
SELECT m.`lesson_id`, m.`student_id`, CASE m.`col` WHEN 'main' THEN '' ELSE m.`col` END, m.`value`, w.`id`, m.`comment`, a.`id`, m.`at`
FROM `mark` m JOIN `name_code` a ON a.`name` = m.`author` LEFT JOIN `name_code` w ON w.`name` = m.`work_type`;--> statement-breakpoint
INSERT INTO `attendance_cell` (`lesson_id`, `student_id`, `reason`, `author`, `at`)
SELECT t.`lesson_id`, t.`student_id`, r.`id`, a.`id`, t.`at`
FROM `attendance` t JOIN `name_code` a ON a.`name` = t.`author` LEFT JOIN `name_code` r ON r.`name` = t.`reason`;--> statement-breakpoint
DROP TABLE `attendance`;--> statement-breakpoint
DROP TABLE `mark`;--> statement-breakpoint
-- A name is looked up only when its column is read; the keys pass through, so lookups by lesson and
-- student use the primary key ('main' compared after it).
CREATE VIEW `mark` AS
SELECT m.`lesson_id` AS `lesson_id`, m.`student_id` AS `student_id`, CASE m.`col` WHEN '' THEN 'main' ELSE m.`col` END AS `col`, m.`value` AS `value`,
  (SELECT w.`name` FROM `name_code` w WHERE w.`id` = m.`work_type`) AS `work_type`, m.`comment` AS `comment`,
  (SELECT a.`name` FROM `name_code` a WHERE a.`id` = m.`author`) AS `author`, m.`at` AS `at`
FROM `mark_cell` m;--> statement-breakpoint
CREATE VIEW `attendance` AS
SELECT t.`lesson_id` AS `lesson_id`, t.`student_id` AS `student_id`, (SELECT r.`name` FROM `name_code` r WHERE r.`id` = t.`reason`) AS `reason`,
  (SELECT a.`name` FROM `name_code` a WHERE a.`id` = t.`author`) AS `author`, t.`at` AS `at`
FROM `attendance_cell` t;--> statement-breakpoint
-- Lessons are found by course and date (lesson_course_date); no query looks them up by date alone.
DROP INDEX `lesson_date`;--> statement-breakpoint
-- The outbox as runs of consecutive seqs (outbox.ts writes them; the view reads one seq a row).
CREATE TABLE `outbox_range` (
	`first` integer PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_range_last` ON `outbox_range` (`last`);--> statement-breakpoint
INSERT INTO `outbox_range` (`first`, `last`) SELECT min(`seq`), max(`seq`) FROM (SELECT `seq`, `seq` - row_number() OVER (ORDER BY `seq`) AS `run` FROM `outbox`) GROUP BY `run`;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
CREATE VIEW `outbox` AS
WITH RECURSIVE `pending`(`seq`, `last`) AS (SELECT `first`, `last` FROM `outbox_range` UNION ALL SELECT `seq` + 1, `last` FROM `pending` WHERE `seq` < `last`)
SELECT `seq` FROM `pending`;--> statement-breakpoint
-- State semantics changed (codes; lesson topics equal to their КТП entry's are not stored twice): re-fold the state from the op log on open.
INSERT INTO `meta` (`key`, `value`) VALUES ('refold', '0005') ON CONFLICT(`key`) DO UPDATE SET `value` = excluded.`value`;