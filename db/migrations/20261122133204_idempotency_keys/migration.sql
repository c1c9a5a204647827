CREATE TABLE `idempotency_keys` (
	`account_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`response` text,
	`created_at` text NOT NULL,
	CONSTRAINT `idempotency_keys_pk` PRIMARY KEY(`account_id`, `key`)
);
