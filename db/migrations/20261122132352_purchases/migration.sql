CREATE TABLE `purchases` (
	`id` text PRIMARY KEY,
	`customer_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`amount` integer NOT NULL,
	`at` text NOT NULL,
	CONSTRAINT `fk_purchases_customer_id_customers_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`),
	CONSTRAINT `fk_purchases_merchant_id_merchants_id_fk` FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`),
	CONSTRAINT "purchases_amount_ck" CHECK("amount" between 1 and 100000000)
);
--> statement-breakpoint
CREATE INDEX `purchases_merchant_customer_idx` ON `purchases` (`merchant_id`,`customer_id`,`at`);--> statement-breakpoint
CREATE INDEX `purchases_customer_idx` ON `purchases` (`customer_id`);