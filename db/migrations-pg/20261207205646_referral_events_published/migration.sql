ALTER TABLE "referral_events" ADD COLUMN "published_at" text;--> statement-breakpoint
CREATE INDEX "referral_events_unpublished_idx" ON "referral_events" ("id") WHERE "published_at" is null;--> statement-breakpoint
CREATE INDEX "referral_events_published_idx" ON "referral_events" ("published_at");--> statement-breakpoint
-- Events fanned out before live updates were stamped were handed out then: not again.
UPDATE "referral_events" SET "published_at" = "dispatched_at";
