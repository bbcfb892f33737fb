CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`business_id` text NOT NULL,
	`mode` text NOT NULL,
	`pass_id` text,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`delivered_at` text
);
--> statement-breakpoint
CREATE INDEX `events_pass` ON `events` (`pass_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_business` ON `events` (`business_id`,`mode`,`id`);--> statement-breakpoint
CREATE INDEX `events_undelivered` ON `events` (`delivered_at`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`business_id` text NOT NULL,
	`mode` text NOT NULL,
	`pass_id` text NOT NULL,
	`kind` text NOT NULL,
	`delta` integer NOT NULL,
	`reason` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`pass_id`) REFERENCES `passes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ledger_pass` ON `ledger_entries` (`pass_id`,`id`);--> statement-breakpoint
CREATE TABLE `passes` (
	`id` text PRIMARY KEY NOT NULL,
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
	`expires_at` text,
	`checked_in_at` text,
	`redeemed_at` text,
	`voided_at` text,
	`reactivated_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`business_id`) REFERENCES `businesses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_id`) REFERENCES `templates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `passes_serial` ON `passes` (`serial_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `passes_external_id` ON `passes` (`business_id`,`mode`,`external_id`);--> statement-breakpoint
CREATE INDEX `passes_business_mode` ON `passes` (`business_id`,`mode`,`id`);--> statement-breakpoint
CREATE INDEX `passes_template` ON `passes` (`template_id`,`id`);--> statement-breakpoint
CREATE INDEX `passes_email` ON `passes` (`email_normalized`);--> statement-breakpoint
CREATE TABLE `templates` (
	`id` text PRIMARY KEY NOT NULL,
	`business_id` text NOT NULL,
	`mode` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`design` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`business_id`) REFERENCES `businesses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `templates_business` ON `templates` (`business_id`,`mode`,`status`);