CREATE TABLE `apple_devices` (
	`device_library_id` text NOT NULL,
	`pass_type_id` text NOT NULL,
	`shard` text NOT NULL,
	PRIMARY KEY(`device_library_id`, `pass_type_id`, `shard`)
);--> statement-breakpoint
CREATE TABLE `customer_emails` (
	`email_hash` text NOT NULL,
	`business_id` text NOT NULL,
	PRIMARY KEY(`email_hash`, `business_id`)
);
--> statement-breakpoint
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_passes` (
	`id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`business_id` text NOT NULL,
	`mode` text NOT NULL,
	`template_id` text NOT NULL,
	`serial_number` text NOT NULL,
	`external_id` text,
	`customer_name` text,
	`customer_email` text,
	`email_normalized` text,
	`status` text DEFAULT 'active' NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`stamps` integer DEFAULT 0 NOT NULL,
	`balance_minor` integer,
	`currency` text,
	`barcode_data` text,
	`nfc_data` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`download_token` text NOT NULL,
	`auth_token` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`barcode_key_version` integer DEFAULT 1 NOT NULL,
	`expires_at` text,
	`checked_in_at` text,
	`redeemed_at` text,
	`voided_at` text,
	`reactivated_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`template_id`) REFERENCES `templates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_passes`("id", "seq", "business_id", "mode", "template_id", "serial_number", "external_id", "customer_name", "customer_email", "email_normalized", "status", "points", "stamps", "balance_minor", "currency", "barcode_data", "nfc_data", "metadata", "download_token", "auth_token", "version", "barcode_key_version", "expires_at", "checked_in_at", "redeemed_at", "voided_at", "reactivated_at", "created_at", "updated_at") SELECT "id", rowid, "business_id", "mode", "template_id", "serial_number", "external_id", "customer_name", "customer_email", "email_normalized", "status", "points", "stamps", "balance_minor", "currency", "barcode_data", "nfc_data", "metadata", "download_token", "auth_token", "version", "barcode_key_version", "expires_at", "checked_in_at", "redeemed_at", "voided_at", "reactivated_at", "created_at", "updated_at" FROM `passes` ORDER BY rowid;--> statement-breakpoint
DROP TABLE `passes`;--> statement-breakpoint
ALTER TABLE `__new_passes` RENAME TO `passes`;--> statement-breakpoint

CREATE UNIQUE INDEX `passes_serial` ON `passes` (`serial_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `passes_seq` ON `passes` (`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `passes_external_id` ON `passes` (`business_id`,`mode`,`external_id`);--> statement-breakpoint
CREATE INDEX `passes_business_mode` ON `passes` (`business_id`,`mode`,`id`);--> statement-breakpoint
CREATE INDEX `passes_status` ON `passes` (`business_id`,`mode`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `passes_template` ON `passes` (`template_id`,`id`);--> statement-breakpoint
CREATE INDEX `passes_email` ON `passes` (`business_id`,`mode`,`email_normalized`,`id`);--> statement-breakpoint
CREATE INDEX `passes_updated` ON `passes` (`business_id`,`mode`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `passes_expires` ON `passes` (`business_id`,`mode`,`expires_at`,`id`);--> statement-breakpoint
CREATE TABLE `__new_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`business_id` text NOT NULL,
	`mode` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`design` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_templates`("id", "business_id", "mode", "name", "type", "status", "design", "created_at", "updated_at") SELECT "id", "business_id", "mode", "name", "type", "status", "design", "created_at", "updated_at" FROM `templates`;--> statement-breakpoint
DROP TABLE `templates`;--> statement-breakpoint
ALTER TABLE `__new_templates` RENAME TO `templates`;--> statement-breakpoint
CREATE INDEX `templates_business` ON `templates` (`business_id`,`mode`,`status`);--> statement-breakpoint
ALTER TABLE `businesses` ADD `shard` text DEFAULT 'DB' NOT NULL;--> statement-breakpoint
ALTER TABLE `businesses` ADD `serial_prefix` text;--> statement-breakpoint
CREATE UNIQUE INDEX `businesses_serial_prefix` ON `businesses` (`serial_prefix`);--> statement-breakpoint
PRAGMA defer_foreign_keys = off;--> statement-breakpoint
UPDATE `businesses` SET `serial_prefix` = substr(upper(hex(randomblob(4))), 1, 5) WHERE `serial_prefix` IS NULL;--> statement-breakpoint
-- Substring search over name, email, external_id and serial: a trigram index kept in step by triggers,
-- so every write to passes updates it in the same statement (and batch).
CREATE VIRTUAL TABLE `passes_fts` USING fts5(`customer_name`, `email_normalized`, `external_id`, `serial_number`, content='passes', content_rowid='seq', tokenize='trigram');--> statement-breakpoint
INSERT INTO `passes_fts`(`passes_fts`) VALUES ('rebuild');--> statement-breakpoint
CREATE TRIGGER `passes_fts_insert` AFTER INSERT ON `passes` BEGIN
  INSERT INTO `passes_fts`(rowid, `customer_name`, `email_normalized`, `external_id`, `serial_number`) VALUES (new.`seq`, new.`customer_name`, new.`email_normalized`, new.`external_id`, new.`serial_number`);
END;--> statement-breakpoint
CREATE TRIGGER `passes_fts_update` AFTER UPDATE OF `customer_name`, `email_normalized`, `external_id` ON `passes` BEGIN
  INSERT INTO `passes_fts`(`passes_fts`, rowid, `customer_name`, `email_normalized`, `external_id`, `serial_number`) VALUES ('delete', old.`seq`, old.`customer_name`, old.`email_normalized`, old.`external_id`, old.`serial_number`);
  INSERT INTO `passes_fts`(rowid, `customer_name`, `email_normalized`, `external_id`, `serial_number`) VALUES (new.`seq`, new.`customer_name`, new.`email_normalized`, new.`external_id`, new.`serial_number`);
END;--> statement-breakpoint
CREATE TRIGGER `passes_fts_delete` AFTER DELETE ON `passes` BEGIN
  INSERT INTO `passes_fts`(`passes_fts`, rowid, `customer_name`, `email_normalized`, `external_id`, `serial_number`) VALUES ('delete', old.`seq`, old.`customer_name`, old.`email_normalized`, old.`external_id`, old.`serial_number`);
END;
