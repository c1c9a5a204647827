CREATE TABLE "merchant_alerts" (
	"id" text PRIMARY KEY,
	"merchant_id" text NOT NULL,
	"kind" text NOT NULL,
	"staff_account_id" text,
	"count" integer NOT NULL,
	"window_start" text NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"cleared_at" text,
	"cleared_by_account_id" text,
	"cleared_reason" text
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "consent_collected_at" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "consent_collected_where" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "disowned_at" text;--> statement-breakpoint
ALTER TABLE "referral_requests" ADD COLUMN "delivered_at" text;--> statement-breakpoint
CREATE INDEX "customers_merchant_created_idx" ON "customers" ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "merchant_alerts_merchant_idx" ON "merchant_alerts" ("merchant_id","kind","created_at");--> statement-breakpoint
ALTER TABLE "merchant_alerts" ADD CONSTRAINT "merchant_alerts_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "merchant_alerts" ADD CONSTRAINT "merchant_alerts_staff_account_id_accounts_id_fkey" FOREIGN KEY ("staff_account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "merchant_alerts" ADD CONSTRAINT "merchant_alerts_cleared_by_account_id_accounts_id_fkey" FOREIGN KEY ("cleared_by_account_id") REFERENCES "accounts"("id");--> statement-breakpoint
-- Requests made before records could be held were all delivered when they were made.
UPDATE "referral_requests" SET "delivered_at" = "created_at";
