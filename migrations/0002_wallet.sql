CREATE TABLE `apple_device_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`message` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `apple_registrations` (
	`id` text PRIMARY KEY NOT NULL,
	`device_library_id` text NOT NULL,
	`pass_type_id` text NOT NULL,
	`pass_id` text NOT NULL,
	`push_token` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`pass_id`) REFERENCES `passes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `apple_registrations_device_pass` ON `apple_registrations` (`device_library_id`,`pass_type_id`,`pass_id`);--> statement-breakpoint
CREATE INDEX `apple_registrations_pass` ON `apple_registrations` (`pass_id`);--> statement-breakpoint
CREATE TABLE `google_callback_nonces` (
	`nonce` text PRIMARY KEY NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `passes` ADD `barcode_key_version` integer DEFAULT 1 NOT NULL;