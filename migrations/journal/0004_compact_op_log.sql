-- The op log, compact (docs/scaling.md): names as codes, the HLC as integers, payloads of old ops compressed in blocks (packLog).
-- Uses op_hlc_value / op_hlc_counter / op_hlc / op_block_payload, registered on every connection by openJournal (op-rows.ts).
CREATE TABLE `op_block` (
	`first_pos` integer PRIMARY KEY NOT NULL,
	`last_pos` integer NOT NULL,
	`data` blob NOT NULL
);
--> statement-breakpoint
CREATE TABLE `op_name` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `op_name_name` ON `op_name` (`name`);--> statement-breakpoint
CREATE TABLE `op_record` (
	`pos` integer PRIMARY KEY NOT NULL,
	`device` integer NOT NULL,
	`seq` integer NOT NULL,
	`server_seq` integer,
	`author` integer NOT NULL,
	`kind` integer NOT NULL,
	`version` integer NOT NULL,
	`hlc` numeric NOT NULL,
	`hlc_c` integer,
	`payload` blob,
	`scope` text
);
--> statement-breakpoint
INSERT INTO `op_name` (`name`) SELECT `device` FROM `op_log` UNION SELECT `author` FROM `op_log` UNION SELECT `kind` FROM `op_log` ORDER BY 1;--> statement-breakpoint
INSERT INTO `op_record` (`pos`, `device`, `seq`, `server_seq`, `author`, `kind`, `version`, `hlc`, `hlc_c`, `payload`, `scope`)
SELECT o.`pos`, d.`id`, o.`seq`, o.`server_seq`, a.`id`, k.`id`, o.`version`, op_hlc_value(o.`hlc`), op_hlc_counter(o.`hlc`), CAST(o.`payload` AS TEXT), o.`scope`
FROM `op_log` o JOIN `op_name` d ON d.`name` = o.`device` JOIN `op_name` a ON a.`name` = o.`author` JOIN `op_name` k ON k.`name` = o.`kind` ORDER BY o.`pos`;--> statement-breakpoint
DROP TABLE `op_log`;--> statement-breakpoint
CREATE UNIQUE INDEX `op_record_device_seq` ON `op_record` (`device`,`seq`);--> statement-breakpoint
CREATE INDEX `op_record_scope` ON `op_record` (`scope`) WHERE scope IS NOT NULL;--> statement-breakpoint
-- The log as it always read, for every reader of `op_log`. A packed payload is looked up only when
-- the column is read, and its block's bytes are handed over only when this connection has not
-- decompressed that block already (op_block_cached).
CREATE VIEW `op_log` AS
SELECT r.`pos` AS `pos`, d.`name` AS `device`, r.`seq` AS `seq`, r.`server_seq` AS `server_seq`, a.`name` AS `author`, k.`name` AS `kind`, r.`version` AS `version`,
  op_hlc(r.`hlc`, r.`hlc_c`) AS `hlc`,
  CASE WHEN r.`payload` IS NOT NULL THEN r.`payload` ELSE (
    SELECT op_block_payload(r.`pos`, b.`first_pos`, b.`last_pos`, CASE WHEN op_block_cached(b.`first_pos`, b.`last_pos`) THEN NULL ELSE b.`data` END)
    FROM `op_block` b WHERE b.`first_pos` <= r.`pos` ORDER BY b.`first_pos` DESC LIMIT 1) END AS `payload`,
  r.`scope` AS `scope`
FROM `op_record` r
LEFT JOIN `op_name` d ON d.`id` = r.`device`
LEFT JOIN `op_name` a ON a.`id` = r.`author`
LEFT JOIN `op_name` k ON k.`id` = r.`kind`;--> statement-breakpoint
-- Writes through the view keep working (new code uses insertLogged): an op is immutable except its server_seq.
CREATE TRIGGER `op_log_insert` INSTEAD OF INSERT ON `op_log` BEGIN
  INSERT OR IGNORE INTO `op_name` (`name`) VALUES (NEW.`device`), (NEW.`author`), (NEW.`kind`);
  INSERT INTO `op_record` (`pos`, `device`, `seq`, `server_seq`, `author`, `kind`, `version`, `hlc`, `hlc_c`, `payload`, `scope`) VALUES (
    NEW.`pos`, (SELECT `id` FROM `op_name` WHERE `name` = NEW.`device`), NEW.`seq`, NEW.`server_seq`,
    (SELECT `id` FROM `op_name` WHERE `name` = NEW.`author`), (SELECT `id` FROM `op_name` WHERE `name` = NEW.`kind`), NEW.`version`,
    op_hlc_value(NEW.`hlc`), op_hlc_counter(NEW.`hlc`), CAST(NEW.`payload` AS TEXT), NEW.`scope`);
END;--> statement-breakpoint
CREATE TRIGGER `op_log_update` INSTEAD OF UPDATE ON `op_log` BEGIN
  SELECT RAISE(ABORT, 'op_log: only server_seq of an op may change')
  WHERE NEW.`pos` IS NOT OLD.`pos` OR NEW.`device` IS NOT OLD.`device` OR NEW.`seq` IS NOT OLD.`seq` OR NEW.`author` IS NOT OLD.`author`
    OR NEW.`kind` IS NOT OLD.`kind` OR NEW.`version` IS NOT OLD.`version` OR NEW.`hlc` IS NOT OLD.`hlc` OR NEW.`scope` IS NOT OLD.`scope`;
  UPDATE `op_record` SET `server_seq` = NEW.`server_seq` WHERE `pos` = OLD.`pos`;
END;--> statement-breakpoint
CREATE TRIGGER `op_log_delete` INSTEAD OF DELETE ON `op_log` BEGIN
  DELETE FROM `op_record` WHERE `pos` = OLD.`pos`;
END;
