CREATE TABLE `accounts` (
	`id` text PRIMARY KEY,
	`kind` text NOT NULL,
	`email` text,
	`password_hash` text NOT NULL,
	`display_name` text NOT NULL,
	`token_version` integer DEFAULT 0 NOT NULL,
	`disabled_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `merchant_staff` (
	`account_id` text PRIMARY KEY,
	`merchant_id` text NOT NULL,
	`role` text NOT NULL,
	`can_view_contacts` integer NOT NULL,
	`created_at` text NOT NULL,
	CONSTRAINT `fk_merchant_staff_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`),
	CONSTRAINT `fk_merchant_staff_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`)
);
--> statement-breakpoint
CREATE TABLE `merchants` (
	`id` text PRIMARY KEY,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`city` text NOT NULL,
	`public_contact` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `privacy_notices` (
	`id` text PRIMARY KEY,
	`merchant_id` text NOT NULL,
	`version` integer NOT NULL,
	`text` text NOT NULL,
	`published_at` text NOT NULL,
	CONSTRAINT `fk_privacy_notices_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`)
);
--> statement-breakpoint
CREATE TABLE `refresh_tokens` (
	`id` text PRIMARY KEY,
	`account_id` text NOT NULL,
	`session_id` text NOT NULL,
	`token_hash` text NOT NULL UNIQUE,
	`expires_at` text NOT NULL,
	`used_at` text,
	`revoked_at` text,
	`created_at` text NOT NULL,
	CONSTRAINT `fk_refresh_tokens_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`),
	CONSTRAINT `fk_refresh_tokens_session_id_sessions_id_fk` FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY,
	`account_id` text NOT NULL,
	`revoked_at` text,
	`created_at` text NOT NULL,
	CONSTRAINT `fk_sessions_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_email_uq` ON `accounts` (`email`) WHERE "accounts"."email" is not null;--> statement-breakpoint
CREATE INDEX `merchant_staff_merchant_idx` ON `merchant_staff` (`merchant_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `privacy_notices_merchant_version_uq` ON `privacy_notices` (`merchant_id`,`version`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_session_idx` ON `refresh_tokens` (`session_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_account_idx` ON `refresh_tokens` (`account_id`);--> statement-breakpoint
CREATE INDEX `sessions_account_idx` ON `sessions` (`account_id`);