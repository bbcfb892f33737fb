CREATE TABLE `wallet_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`target` text NOT NULL,
	`pass_id` text,
	`template_id` text,
	`pass_version` integer,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` text,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wallet_deliveries_event_target` ON `wallet_deliveries` (`event_id`,`target`);--> statement-breakpoint
CREATE INDEX `wallet_deliveries_due` ON `wallet_deliveries` (`next_attempt_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`endpoint_id` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`last_status_code` integer,
	`delivered_at` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` text,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event_endpoint` ON `webhook_deliveries` (`event_id`,`endpoint_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint` ON `webhook_deliveries` (`endpoint_id`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due` ON `webhook_deliveries` (`next_attempt_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`business_id` text NOT NULL,
	`mode` text NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`description` text,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_secret_expires_at` text,
	`status` text DEFAULT 'enabled' NOT NULL,
	`disabled_reason` text,
	`failing_since` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_business` ON `webhook_endpoints` (`business_id`,`mode`,`status`);--> statement-breakpoint
DROP INDEX `events_undelivered`;--> statement-breakpoint
ALTER TABLE `events` DROP COLUMN `delivered_at`;--> statement-breakpoint
ALTER TABLE `events` ADD `template_id` text;--> statement-breakpoint
ALTER TABLE `events` ADD `dispatched_at` text;--> statement-breakpoint
CREATE INDEX `events_undispatched` ON `events` (`created_at`) WHERE dispatched_at IS NULL;--> statement-breakpoint
ALTER TABLE `passes` ADD `change_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `passes_change_seq` ON `passes` (`change_seq`);--> statement-breakpoint
-- Existing passes keep their order of change.
UPDATE `passes` SET `change_seq` = `seq`;
--> statement-breakpoint
-- Events from before the pipeline were handled when they happened: nothing to fan out again.
UPDATE `events` SET `dispatched_at` = `created_at`;
