ALTER TABLE `memberships` ADD `invite_expires_at` text;--> statement-breakpoint
ALTER TABLE `refresh_tokens` ADD `session_id` text;--> statement-breakpoint
-- Invitations sent before they could expire get a week from now.
UPDATE `memberships` SET `invite_expires_at` = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+7 days') WHERE `user_id` IS NULL;
