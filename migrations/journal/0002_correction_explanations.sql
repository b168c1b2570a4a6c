ALTER TABLE `correction` ADD `teacher_explanation` text;--> statement-breakpoint
ALTER TABLE `correction` ADD `deputy_explanation` text;