CREATE TABLE `media` (
	`id` text PRIMARY KEY,
	`merchant_id` text NOT NULL,
	`uploaded_by_account_id` text NOT NULL,
	`hash` text NOT NULL,
	`content_type` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`bytes` integer NOT NULL,
	`display_key` text NOT NULL,
	`thumb_key` text NOT NULL,
	`created_at` text NOT NULL,
	CONSTRAINT `fk_media_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_media_uploaded_by_account_id_accounts_id_fk` FOREIGN KEY (`uploaded_by_account_id`) REFERENCES `accounts`(`id`)
);
--> statement-breakpoint
CREATE TABLE `campaign_links` (
	`id` text PRIMARY KEY,
	`campaign_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`url` text NOT NULL,
	`starts_at` text NOT NULL,
	`ends_at` text,
	`created_at` text NOT NULL,
	CONSTRAINT `fk_campaign_links_campaign_id_campaigns_id_fk` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`)
);
--> statement-breakpoint
CREATE TABLE `campaign_variant_assignments` (
	`campaign_id` text NOT NULL,
	`account_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`assigned_at` text NOT NULL,
	CONSTRAINT `campaign_variant_assignments_pk` PRIMARY KEY(`campaign_id`, `account_id`),
	CONSTRAINT `fk_campaign_variant_assignments_campaign_id_campaigns_id_fk` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`),
	CONSTRAINT `fk_campaign_variant_assignments_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`),
	CONSTRAINT `fk_campaign_variant_assignments_variant_id_campaign_variants_id_fk` FOREIGN KEY (`variant_id`) REFERENCES `campaign_variants`(`id`)
);
--> statement-breakpoint
CREATE TABLE `campaign_variants` (
	`id` text PRIMARY KEY,
	`campaign_id` text NOT NULL,
	`label` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`poster_media_id` text,
	`created_at` text NOT NULL,
	CONSTRAINT `fk_campaign_variants_campaign_id_campaigns_id_fk` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`),
	CONSTRAINT `fk_campaign_variants_poster_media_id_media_id_fk` FOREIGN KEY (`poster_media_id`) REFERENCES `media`(`id`)
);
--> statement-breakpoint
CREATE TABLE `share_channels` (
	`id` text PRIMARY KEY,
	`code` text NOT NULL UNIQUE,
	`merchant_id` text NOT NULL,
	`created_by_account_id` text NOT NULL,
	`offer_id` text,
	`campaign_id` text,
	`community_id` text,
	`variant_id` text,
	`label` text NOT NULL,
	`created_at` text NOT NULL,
	CONSTRAINT `fk_share_channels_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_share_channels_created_by_account_id_accounts_id_fk` FOREIGN KEY (`created_by_account_id`) REFERENCES `accounts`(`id`),
	CONSTRAINT `fk_share_channels_offer_id_offers_id_fk` FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`),
	CONSTRAINT `fk_share_channels_campaign_id_campaigns_id_fk` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`),
	CONSTRAINT `fk_share_channels_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`),
	CONSTRAINT `fk_share_channels_variant_id_campaign_variants_id_fk` FOREIGN KEY (`variant_id`) REFERENCES `campaign_variants`(`id`)
);
--> statement-breakpoint
CREATE TABLE `share_counts` (
	`channel_id` text NOT NULL,
	`day` text NOT NULL,
	`scans` integer DEFAULT 0 NOT NULL,
	`visits` integer DEFAULT 0 NOT NULL,
	CONSTRAINT `share_counts_pk` PRIMARY KEY(`channel_id`, `day`),
	CONSTRAINT `fk_share_counts_channel_id_share_channels_id_fk` FOREIGN KEY (`channel_id`) REFERENCES `share_channels`(`id`)
);
--> statement-breakpoint
ALTER TABLE `campaigns` ADD `poster_media_id` text REFERENCES media(id);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `variant_unit` text DEFAULT 'COMMUNITY' NOT NULL;--> statement-breakpoint
ALTER TABLE `offers` ADD `poster_media_id` text REFERENCES media(id);--> statement-breakpoint
CREATE INDEX `media_merchant_idx` ON `media` (`merchant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `campaign_links_campaign_idx` ON `campaign_links` (`campaign_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `campaign_variant_assignments_variant_idx` ON `campaign_variant_assignments` (`variant_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_variants_campaign_label_uq` ON `campaign_variants` (`campaign_id`,`label`);--> statement-breakpoint
CREATE INDEX `share_channels_campaign_idx` ON `share_channels` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `share_channels_offer_idx` ON `share_channels` (`offer_id`);--> statement-breakpoint
CREATE INDEX `share_channels_merchant_idx` ON `share_channels` (`merchant_id`,`created_at`);