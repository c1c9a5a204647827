CREATE TABLE "campaign_links" (
	"id" text PRIMARY KEY,
	"campaign_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"url" text NOT NULL,
	"starts_at" text NOT NULL,
	"ends_at" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_variant_assignments" (
	"campaign_id" text,
	"account_id" text,
	"variant_id" text NOT NULL,
	"assigned_at" text NOT NULL,
	CONSTRAINT "campaign_variant_assignments_pkey" PRIMARY KEY("campaign_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_variants" (
	"id" text PRIMARY KEY,
	"campaign_id" text NOT NULL,
	"label" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"poster_media_id" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media" (
	"id" text PRIMARY KEY,
	"merchant_id" text NOT NULL,
	"uploaded_by_account_id" text NOT NULL,
	"hash" text NOT NULL,
	"content_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" integer NOT NULL,
	"display_key" text NOT NULL,
	"thumb_key" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_channels" (
	"id" text PRIMARY KEY,
	"code" text NOT NULL UNIQUE,
	"merchant_id" text NOT NULL,
	"created_by_account_id" text NOT NULL,
	"offer_id" text,
	"campaign_id" text,
	"community_id" text,
	"variant_id" text,
	"label" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_counts" (
	"channel_id" text,
	"day" text,
	"scans" integer DEFAULT 0 NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "share_counts_pkey" PRIMARY KEY("channel_id","day")
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "poster_media_id" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "variant_unit" text DEFAULT 'COMMUNITY' NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "poster_media_id" text;--> statement-breakpoint
CREATE INDEX "campaign_links_campaign_idx" ON "campaign_links" ("campaign_id","starts_at");--> statement-breakpoint
CREATE INDEX "campaign_variant_assignments_variant_idx" ON "campaign_variant_assignments" ("variant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_variants_campaign_label_uq" ON "campaign_variants" ("campaign_id","label");--> statement-breakpoint
CREATE INDEX "media_merchant_idx" ON "media" ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "share_channels_campaign_idx" ON "share_channels" ("campaign_id");--> statement-breakpoint
CREATE INDEX "share_channels_offer_idx" ON "share_channels" ("offer_id");--> statement-breakpoint
CREATE INDEX "share_channels_merchant_idx" ON "share_channels" ("merchant_id","created_at");--> statement-breakpoint
ALTER TABLE "campaign_links" ADD CONSTRAINT "campaign_links_campaign_id_campaigns_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id");--> statement-breakpoint
ALTER TABLE "campaign_variant_assignments" ADD CONSTRAINT "campaign_variant_assignments_campaign_id_campaigns_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id");--> statement-breakpoint
ALTER TABLE "campaign_variant_assignments" ADD CONSTRAINT "campaign_variant_assignments_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "campaign_variant_assignments" ADD CONSTRAINT "campaign_variant_assignments_g6CY25GIjEUn_fkey" FOREIGN KEY ("variant_id") REFERENCES "campaign_variants"("id");--> statement-breakpoint
ALTER TABLE "campaign_variants" ADD CONSTRAINT "campaign_variants_campaign_id_campaigns_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id");--> statement-breakpoint
ALTER TABLE "campaign_variants" ADD CONSTRAINT "campaign_variants_poster_media_id_media_id_fkey" FOREIGN KEY ("poster_media_id") REFERENCES "media"("id");--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_poster_media_id_media_id_fkey" FOREIGN KEY ("poster_media_id") REFERENCES "media"("id");--> statement-breakpoint
ALTER TABLE "media" ADD CONSTRAINT "media_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "media" ADD CONSTRAINT "media_uploaded_by_account_id_accounts_id_fkey" FOREIGN KEY ("uploaded_by_account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_poster_media_id_media_id_fkey" FOREIGN KEY ("poster_media_id") REFERENCES "media"("id");--> statement-breakpoint
ALTER TABLE "share_channels" ADD CONSTRAINT "share_channels_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "share_channels" ADD CONSTRAINT "share_channels_created_by_account_id_accounts_id_fkey" FOREIGN KEY ("created_by_account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "share_channels" ADD CONSTRAINT "share_channels_offer_id_offers_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offers"("id");--> statement-breakpoint
ALTER TABLE "share_channels" ADD CONSTRAINT "share_channels_campaign_id_campaigns_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id");--> statement-breakpoint
ALTER TABLE "share_channels" ADD CONSTRAINT "share_channels_community_id_communities_id_fkey" FOREIGN KEY ("community_id") REFERENCES "communities"("id");--> statement-breakpoint
ALTER TABLE "share_channels" ADD CONSTRAINT "share_channels_variant_id_campaign_variants_id_fkey" FOREIGN KEY ("variant_id") REFERENCES "campaign_variants"("id");--> statement-breakpoint
ALTER TABLE "share_counts" ADD CONSTRAINT "share_counts_channel_id_share_channels_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "share_channels"("id");