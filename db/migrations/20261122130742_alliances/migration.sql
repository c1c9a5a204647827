CREATE TABLE `alliance_members` (
	`id` text PRIMARY KEY,
	`alliance_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`role` text NOT NULL,
	`status` text NOT NULL,
	`message` text,
	`applied_at` text NOT NULL,
	`joined_at` text,
	`decided_at` text,
	CONSTRAINT `fk_alliance_members_alliance_id_alliances_id_fk` FOREIGN KEY (`alliance_id`) REFERENCES `alliances`(`id`),
	CONSTRAINT `fk_alliance_members_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`)
);
--> statement-breakpoint
CREATE TABLE `alliances` (
	`id` text PRIMARY KEY,
	`name` text NOT NULL,
	`city` text NOT NULL,
	`description` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `communities` (
	`id` text PRIMARY KEY,
	`alliance_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`rules` text NOT NULL,
	`status` text NOT NULL,
	`post_limit_per_day` integer DEFAULT 5 NOT NULL,
	`created_at` text NOT NULL,
	`archived_at` text,
	CONSTRAINT `fk_communities_alliance_id_alliances_id_fk` FOREIGN KEY (`alliance_id`) REFERENCES `alliances`(`id`)
);
--> statement-breakpoint
CREATE TABLE `community_members` (
	`id` text PRIMARY KEY,
	`community_id` text NOT NULL,
	`kind` text NOT NULL,
	`merchant_id` text,
	`account_id` text,
	`joined_at` text NOT NULL,
	`left_at` text,
	CONSTRAINT `fk_community_members_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`),
	CONSTRAINT `fk_community_members_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_community_members_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`),
	CONSTRAINT "community_members_one_member_ck" CHECK(("kind" = 'MERCHANT' and "merchant_id" is not null and "account_id" is null) or ("kind" = 'CUSTOMER' and "account_id" is not null and "merchant_id" is null))
);
--> statement-breakpoint
CREATE TABLE `campaign_communities` (
	`campaign_id` text NOT NULL,
	`community_id` text NOT NULL,
	CONSTRAINT `campaign_communities_pk` PRIMARY KEY(`campaign_id`, `community_id`),
	CONSTRAINT `fk_campaign_communities_campaign_id_campaigns_id_fk` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`),
	CONSTRAINT `fk_campaign_communities_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`)
);
--> statement-breakpoint
CREATE TABLE `campaign_participants` (
	`id` text PRIMARY KEY,
	`campaign_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`status` text NOT NULL,
	`is_organizer` integer NOT NULL,
	`invited_at` text NOT NULL,
	`responded_at` text,
	CONSTRAINT `fk_campaign_participants_campaign_id_campaigns_id_fk` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`),
	CONSTRAINT `fk_campaign_participants_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`)
);
--> statement-breakpoint
CREATE TABLE `campaign_spend` (
	`id` text PRIMARY KEY,
	`campaign_id` text NOT NULL,
	`amount` integer NOT NULL,
	`note` text,
	`recorded_by_account_id` text NOT NULL,
	`recorded_at` text NOT NULL,
	CONSTRAINT `fk_campaign_spend_campaign_id_campaigns_id_fk` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`),
	CONSTRAINT `fk_campaign_spend_recorded_by_account_id_accounts_id_fk` FOREIGN KEY (`recorded_by_account_id`) REFERENCES `accounts`(`id`)
);
--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY,
	`alliance_id` text NOT NULL,
	`organizer_merchant_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`starts_at` text NOT NULL,
	`ends_at` text NOT NULL,
	`status` text NOT NULL,
	`budget` integer NOT NULL,
	`expected_responses` integer NOT NULL,
	`created_at` text NOT NULL,
	`published_at` text,
	CONSTRAINT `fk_campaigns_alliance_id_alliances_id_fk` FOREIGN KEY (`alliance_id`) REFERENCES `alliances`(`id`),
	CONSTRAINT `fk_campaigns_organizer_merchant_id_merchants_id_fk` FOREIGN KEY (`organizer_merchant_id`) REFERENCES `merchants`(`id`)
);
--> statement-breakpoint
CREATE TABLE `offer_placements` (
	`id` text PRIMARY KEY,
	`offer_id` text NOT NULL,
	`community_id` text NOT NULL,
	`alliance_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`campaign_id` text,
	`posted_at` text NOT NULL,
	CONSTRAINT `fk_offer_placements_offer_id_offers_id_fk` FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`),
	CONSTRAINT `fk_offer_placements_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`),
	CONSTRAINT `fk_offer_placements_alliance_id_alliances_id_fk` FOREIGN KEY (`alliance_id`) REFERENCES `alliances`(`id`),
	CONSTRAINT `fk_offer_placements_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_offer_placements_campaign_id_campaigns_id_fk` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`)
);
--> statement-breakpoint
CREATE TABLE `offers` (
	`id` text PRIMARY KEY,
	`merchant_id` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`category` text NOT NULL,
	`starts_at` text NOT NULL,
	`ends_at` text NOT NULL,
	`status` text NOT NULL,
	`campaign_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT `fk_offers_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_offers_campaign_id_campaigns_id_fk` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`)
);
--> statement-breakpoint
CREATE TABLE `moderation_actions` (
	`id` text PRIMARY KEY,
	`alliance_id` text NOT NULL,
	`kind` text NOT NULL,
	`actor_account_id` text NOT NULL,
	`reason` text NOT NULL,
	`offer_id` text,
	`merchant_id` text,
	`community_id` text,
	`report_id` text,
	`at` text NOT NULL,
	CONSTRAINT `fk_moderation_actions_alliance_id_alliances_id_fk` FOREIGN KEY (`alliance_id`) REFERENCES `alliances`(`id`),
	CONSTRAINT `fk_moderation_actions_actor_account_id_accounts_id_fk` FOREIGN KEY (`actor_account_id`) REFERENCES `accounts`(`id`),
	CONSTRAINT `fk_moderation_actions_offer_id_offers_id_fk` FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`),
	CONSTRAINT `fk_moderation_actions_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_moderation_actions_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`),
	CONSTRAINT `fk_moderation_actions_report_id_offer_reports_id_fk` FOREIGN KEY (`report_id`) REFERENCES `offer_reports`(`id`)
);
--> statement-breakpoint
CREATE TABLE `offer_reports` (
	`id` text PRIMARY KEY,
	`offer_id` text NOT NULL,
	`reporter_account_id` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`closed_at` text,
	CONSTRAINT `fk_offer_reports_offer_id_offers_id_fk` FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`),
	CONSTRAINT `fk_offer_reports_reporter_account_id_accounts_id_fk` FOREIGN KEY (`reporter_account_id`) REFERENCES `accounts`(`id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alliance_members_alliance_merchant_uq` ON `alliance_members` (`alliance_id`,`merchant_id`);--> statement-breakpoint
CREATE INDEX `alliance_members_alliance_status_idx` ON `alliance_members` (`alliance_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `alliance_members_merchant_idx` ON `alliance_members` (`merchant_id`,`status`);--> statement-breakpoint
CREATE INDEX `alliances_city_idx` ON `alliances` (`city`,`id`);--> statement-breakpoint
CREATE INDEX `communities_alliance_idx` ON `communities` (`alliance_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `community_members_current_merchant_uq` ON `community_members` (`community_id`,`merchant_id`) WHERE "community_members"."left_at" is null and "community_members"."merchant_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `community_members_current_account_uq` ON `community_members` (`community_id`,`account_id`) WHERE "community_members"."left_at" is null and "community_members"."account_id" is not null;--> statement-breakpoint
CREATE INDEX `community_members_community_kind_idx` ON `community_members` (`community_id`,`kind`,`joined_at`);--> statement-breakpoint
CREATE INDEX `community_members_merchant_idx` ON `community_members` (`merchant_id`);--> statement-breakpoint
CREATE INDEX `community_members_account_idx` ON `community_members` (`account_id`);--> statement-breakpoint
CREATE INDEX `campaign_communities_community_idx` ON `campaign_communities` (`community_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_participants_campaign_merchant_uq` ON `campaign_participants` (`campaign_id`,`merchant_id`);--> statement-breakpoint
CREATE INDEX `campaign_participants_merchant_idx` ON `campaign_participants` (`merchant_id`,`status`);--> statement-breakpoint
CREATE INDEX `campaign_spend_campaign_idx` ON `campaign_spend` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `campaigns_alliance_idx` ON `campaigns` (`alliance_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `offer_placements_offer_community_uq` ON `offer_placements` (`offer_id`,`community_id`);--> statement-breakpoint
CREATE INDEX `offer_placements_feed_idx` ON `offer_placements` (`community_id`,`posted_at`,`id`);--> statement-breakpoint
CREATE INDEX `offer_placements_rate_idx` ON `offer_placements` (`merchant_id`,`community_id`,`posted_at`) WHERE "offer_placements"."campaign_id" is null;--> statement-breakpoint
CREATE INDEX `offer_placements_alliance_idx` ON `offer_placements` (`alliance_id`,`offer_id`);--> statement-breakpoint
CREATE INDEX `offers_merchant_idx` ON `offers` (`merchant_id`,`id`);--> statement-breakpoint
CREATE INDEX `offers_campaign_idx` ON `offers` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `moderation_actions_alliance_idx` ON `moderation_actions` (`alliance_id`,`at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `offer_reports_open_uq` ON `offer_reports` (`offer_id`,`reporter_account_id`) WHERE "offer_reports"."status" = 'OPEN';--> statement-breakpoint
CREATE INDEX `offer_reports_offer_status_idx` ON `offer_reports` (`offer_id`,`status`);--> statement-breakpoint
CREATE INDEX `offer_reports_status_idx` ON `offer_reports` (`status`,`id`);