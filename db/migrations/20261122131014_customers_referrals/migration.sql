CREATE TABLE `access_log` (
	`id` text PRIMARY KEY,
	`at` text NOT NULL,
	`actor_account_id` text NOT NULL,
	`actor_name` text NOT NULL,
	`merchant_id` text,
	`kind` text NOT NULL,
	`fields` text NOT NULL,
	`customer_id` text NOT NULL,
	`referral_id` text,
	CONSTRAINT `fk_access_log_actor_account_id_accounts_id_fk` FOREIGN KEY (`actor_account_id`) REFERENCES `accounts`(`id`),
	CONSTRAINT `fk_access_log_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_access_log_customer_id_customers_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`)
);
--> statement-breakpoint
CREATE TABLE `consent_versions` (
	`id` text PRIMARY KEY,
	`subject_id` text NOT NULL,
	`version` integer NOT NULL,
	`settings` text NOT NULL,
	`changed_at` text NOT NULL,
	`changed_by` text NOT NULL,
	`reason` text
);
--> statement-breakpoint
CREATE TABLE `customer_identities` (
	`customer_id` text PRIMARY KEY,
	`merchant_id` text NOT NULL,
	`name_sealed` text,
	`phone_sealed` text,
	`address_sealed` text,
	`wechat_sealed` text,
	`phone_index` text,
	CONSTRAINT `fk_customer_identities_customer_id_customers_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`),
	CONSTRAINT `fk_customer_identities_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`)
);
--> statement-breakpoint
CREATE TABLE `customer_invites` (
	`id` text PRIMARY KEY,
	`customer_id` text NOT NULL,
	`code_hash` text NOT NULL UNIQUE,
	`code_sealed` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`created_at` text NOT NULL,
	CONSTRAINT `fk_customer_invites_customer_id_customers_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`)
);
--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY,
	`merchant_id` text NOT NULL,
	`account_id` text,
	`tags` text NOT NULL,
	`consent_source` text NOT NULL,
	`created_at` text NOT NULL,
	`claimed_at` text,
	`erased_at` text,
	CONSTRAINT `fk_customers_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_customers_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`)
);
--> statement-breakpoint
CREATE TABLE `contact_grants` (
	`id` text PRIMARY KEY,
	`referral_id` text NOT NULL UNIQUE,
	`merchant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`fields` text NOT NULL,
	`granted_at` text NOT NULL,
	`valid_until` text NOT NULL,
	`revoked_at` text,
	CONSTRAINT `fk_contact_grants_referral_id_referral_requests_id_fk` FOREIGN KEY (`referral_id`) REFERENCES `referral_requests`(`id`),
	CONSTRAINT `fk_contact_grants_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_contact_grants_customer_id_customers_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`)
);
--> statement-breakpoint
CREATE TABLE `conversions` (
	`id` text PRIMARY KEY,
	`referral_id` text NOT NULL,
	`amount` integer NOT NULL,
	`at` text NOT NULL,
	CONSTRAINT `fk_conversions_referral_id_referral_requests_id_fk` FOREIGN KEY (`referral_id`) REFERENCES `referral_requests`(`id`)
);
--> statement-breakpoint
CREATE TABLE `interests` (
	`id` text PRIMARY KEY,
	`offer_id` text NOT NULL,
	`offer_merchant_id` text NOT NULL,
	`account_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`origin_merchant_id` text NOT NULL,
	`note` text,
	`created_at` text NOT NULL,
	CONSTRAINT `fk_interests_offer_id_offers_id_fk` FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`),
	CONSTRAINT `fk_interests_offer_merchant_id_merchants_id_fk` FOREIGN KEY (`offer_merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_interests_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`),
	CONSTRAINT `fk_interests_customer_id_customers_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`),
	CONSTRAINT `fk_interests_origin_merchant_id_merchants_id_fk` FOREIGN KEY (`origin_merchant_id`) REFERENCES `merchants`(`id`)
);
--> statement-breakpoint
CREATE TABLE `referral_requests` (
	`id` text PRIMARY KEY,
	`status` text NOT NULL,
	`requester_merchant_id` text NOT NULL,
	`origin_merchant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`initiated_by` text NOT NULL,
	`interest_id` text UNIQUE,
	`offer_id` text,
	`purpose` text NOT NULL,
	`requested_fields` text NOT NULL,
	`granted_fields` text NOT NULL,
	`retention_days` integer NOT NULL,
	`message` text,
	`requester_notice_id` text,
	`requester_notice_version` integer,
	`consent_receipt` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`decided_at` text,
	CONSTRAINT `fk_referral_requests_requester_merchant_id_merchants_id_fk` FOREIGN KEY (`requester_merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_referral_requests_origin_merchant_id_merchants_id_fk` FOREIGN KEY (`origin_merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT `fk_referral_requests_customer_id_customers_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`),
	CONSTRAINT `fk_referral_requests_interest_id_interests_id_fk` FOREIGN KEY (`interest_id`) REFERENCES `interests`(`id`),
	CONSTRAINT `fk_referral_requests_offer_id_offers_id_fk` FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`),
	CONSTRAINT `fk_referral_requests_requester_notice_id_privacy_notices_id_fk` FOREIGN KEY (`requester_notice_id`) REFERENCES `privacy_notices`(`id`)
);
--> statement-breakpoint
CREATE INDEX `access_log_customer_idx` ON `access_log` (`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `access_log_merchant_idx` ON `access_log` (`merchant_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `consent_versions_subject_version_uq` ON `consent_versions` (`subject_id`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `customer_identities_merchant_phone_uq` ON `customer_identities` (`merchant_id`,`phone_index`);--> statement-breakpoint
CREATE INDEX `customer_identities_phone_idx` ON `customer_identities` (`phone_index`);--> statement-breakpoint
CREATE INDEX `customer_invites_customer_idx` ON `customer_invites` (`customer_id`);--> statement-breakpoint
CREATE INDEX `customers_merchant_idx` ON `customers` (`merchant_id`,`id`);--> statement-breakpoint
CREATE INDEX `customers_account_idx` ON `customers` (`account_id`);--> statement-breakpoint
CREATE INDEX `contact_grants_customer_idx` ON `contact_grants` (`customer_id`);--> statement-breakpoint
CREATE INDEX `conversions_referral_idx` ON `conversions` (`referral_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `interests_offer_account_uq` ON `interests` (`offer_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `interests_offer_idx` ON `interests` (`offer_id`,`id`);--> statement-breakpoint
CREATE INDEX `referrals_customer_idx` ON `referral_requests` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `referrals_requester_idx` ON `referral_requests` (`requester_merchant_id`,`id`);--> statement-breakpoint
CREATE INDEX `referrals_origin_idx` ON `referral_requests` (`origin_merchant_id`,`id`);--> statement-breakpoint
CREATE INDEX `referrals_status_expires_idx` ON `referral_requests` (`status`,`expires_at`);