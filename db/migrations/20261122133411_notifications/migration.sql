CREATE TABLE `notifications` (
	`id` text PRIMARY KEY,
	`event_id` text NOT NULL,
	`referral_id` text NOT NULL,
	`kind` text NOT NULL,
	`account_id` text,
	`merchant_id` text,
	`channel` text NOT NULL,
	`urgent` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error` text,
	`created_at` text NOT NULL,
	`delivered_at` text,
	`read_at` text,
	CONSTRAINT `fk_notifications_event_id_referral_events_id_fk` FOREIGN KEY (`event_id`) REFERENCES `referral_events`(`id`),
	CONSTRAINT `fk_notifications_referral_id_referral_requests_id_fk` FOREIGN KEY (`referral_id`) REFERENCES `referral_requests`(`id`),
	CONSTRAINT `fk_notifications_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`),
	CONSTRAINT `fk_notifications_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`)
);
--> statement-breakpoint
CREATE TABLE `referral_events` (
	`id` text PRIMARY KEY,
	`referral_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` text NOT NULL,
	`dispatched_at` text,
	CONSTRAINT `fk_referral_events_referral_id_referral_requests_id_fk` FOREIGN KEY (`referral_id`) REFERENCES `referral_requests`(`id`)
);
--> statement-breakpoint
CREATE INDEX `notifications_account_idx` ON `notifications` (`account_id`,`channel`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_merchant_idx` ON `notifications` (`merchant_id`,`channel`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_due_idx` ON `notifications` (`next_attempt_at`) WHERE "notifications"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX `referral_events_undispatched_idx` ON `referral_events` (`id`) WHERE "referral_events"."dispatched_at" is null;--> statement-breakpoint
CREATE INDEX `referral_events_referral_idx` ON `referral_events` (`referral_id`,`kind`);