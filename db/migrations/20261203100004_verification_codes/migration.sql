CREATE TABLE `verification_codes` (
	`id` text PRIMARY KEY,
	`purpose` text NOT NULL,
	`subject` text NOT NULL,
	`target_index` text NOT NULL,
	`code_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `verification_codes_subject_idx` ON `verification_codes` (`purpose`,`subject`,`created_at`);--> statement-breakpoint
CREATE INDEX `verification_codes_expiry_idx` ON `verification_codes` (`expires_at`);