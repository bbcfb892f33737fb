CREATE TABLE `scans` (
	`id` text PRIMARY KEY NOT NULL,
	`business_id` text NOT NULL,
	`mode` text NOT NULL,
	`pass_id` text NOT NULL,
	`action` text NOT NULL,
	`result` text NOT NULL,
	`reason` text,
	`code` text,
	`api_key_id` text,
	`user_id` text,
	`device` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`pass_id`) REFERENCES `passes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `scans_pass` ON `scans` (`pass_id`,`id`);--> statement-breakpoint
ALTER TABLE `passes` ADD `first_checked_in_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `passes_barcode_data` ON `passes` (`business_id`,`mode`,`barcode_data`);--> statement-breakpoint
-- Passes checked in before this column existed keep their one-time cooldown spent.
UPDATE `passes` SET `first_checked_in_at` = `checked_in_at` WHERE `checked_in_at` IS NOT NULL;
