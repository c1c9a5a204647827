CREATE TABLE "access_log" (
	"id" text PRIMARY KEY,
	"at" text NOT NULL,
	"actor_account_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"merchant_id" text,
	"kind" text NOT NULL,
	"fields" text NOT NULL,
	"customer_id" text NOT NULL,
	"referral_id" text
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" text PRIMARY KEY,
	"kind" text NOT NULL,
	"email" text,
	"password_hash" text NOT NULL,
	"display_name" text NOT NULL,
	"token_version" integer DEFAULT 0 NOT NULL,
	"disabled_at" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alliance_members" (
	"id" text PRIMARY KEY,
	"alliance_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"role" text NOT NULL,
	"status" text NOT NULL,
	"message" text,
	"applied_at" text NOT NULL,
	"joined_at" text,
	"decided_at" text
);
--> statement-breakpoint
CREATE TABLE "alliances" (
	"id" text PRIMARY KEY,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"description" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_communities" (
	"campaign_id" text,
	"community_id" text,
	CONSTRAINT "campaign_communities_pkey" PRIMARY KEY("campaign_id","community_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_participants" (
	"id" text PRIMARY KEY,
	"campaign_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"status" text NOT NULL,
	"is_organizer" integer NOT NULL,
	"invited_at" text NOT NULL,
	"responded_at" text
);
--> statement-breakpoint
CREATE TABLE "campaign_spend" (
	"id" text PRIMARY KEY,
	"campaign_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"note" text,
	"recorded_by_account_id" text NOT NULL,
	"recorded_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY,
	"alliance_id" text NOT NULL,
	"organizer_merchant_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"starts_at" text NOT NULL,
	"ends_at" text NOT NULL,
	"status" text NOT NULL,
	"budget" bigint NOT NULL,
	"expected_responses" integer NOT NULL,
	"created_at" text NOT NULL,
	"published_at" text
);
--> statement-breakpoint
CREATE TABLE "communities" (
	"id" text PRIMARY KEY,
	"alliance_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"rules" text NOT NULL,
	"status" text NOT NULL,
	"post_limit_per_day" integer DEFAULT 5 NOT NULL,
	"created_at" text NOT NULL,
	"archived_at" text
);
--> statement-breakpoint
CREATE TABLE "community_members" (
	"id" text PRIMARY KEY,
	"community_id" text NOT NULL,
	"kind" text NOT NULL,
	"merchant_id" text,
	"account_id" text,
	"joined_at" text NOT NULL,
	"left_at" text,
	CONSTRAINT "community_members_one_member_ck" CHECK (("kind" = 'MERCHANT' and "merchant_id" is not null and "account_id" is null) or ("kind" = 'CUSTOMER' and "account_id" is not null and "merchant_id" is null))
);
--> statement-breakpoint
CREATE TABLE "consent_versions" (
	"id" text PRIMARY KEY,
	"subject_id" text NOT NULL,
	"version" integer NOT NULL,
	"settings" text NOT NULL,
	"changed_at" text NOT NULL,
	"changed_by" text NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "contact_grants" (
	"id" text PRIMARY KEY,
	"referral_id" text NOT NULL UNIQUE,
	"merchant_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"fields" text NOT NULL,
	"granted_at" text NOT NULL,
	"valid_until" text NOT NULL,
	"revoked_at" text
);
--> statement-breakpoint
CREATE TABLE "conversions" (
	"id" text PRIMARY KEY,
	"referral_id" text NOT NULL,
	"amount" integer NOT NULL,
	"at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_identities" (
	"customer_id" text PRIMARY KEY,
	"merchant_id" text NOT NULL,
	"name_sealed" text,
	"phone_sealed" text,
	"address_sealed" text,
	"wechat_sealed" text,
	"phone_index" text
);
--> statement-breakpoint
CREATE TABLE "customer_invites" (
	"id" text PRIMARY KEY,
	"customer_id" text NOT NULL,
	"code_hash" text NOT NULL UNIQUE,
	"code_sealed" text NOT NULL,
	"expires_at" text NOT NULL,
	"used_at" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text PRIMARY KEY,
	"merchant_id" text NOT NULL,
	"account_id" text,
	"tags" text NOT NULL,
	"consent_source" text NOT NULL,
	"created_at" text NOT NULL,
	"claimed_at" text,
	"erased_at" text
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"account_id" text,
	"key" text,
	"request_hash" text NOT NULL,
	"response" text,
	"created_at" text NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("account_id","key")
);
--> statement-breakpoint
CREATE TABLE "interests" (
	"id" text PRIMARY KEY,
	"offer_id" text NOT NULL,
	"offer_merchant_id" text NOT NULL,
	"account_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"origin_merchant_id" text NOT NULL,
	"note" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchant_staff" (
	"account_id" text PRIMARY KEY,
	"merchant_id" text NOT NULL,
	"role" text NOT NULL,
	"can_view_contacts" integer NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchants" (
	"id" text PRIMARY KEY,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"city" text NOT NULL,
	"public_contact" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "moderation_actions" (
	"id" text PRIMARY KEY,
	"alliance_id" text NOT NULL,
	"kind" text NOT NULL,
	"actor_account_id" text NOT NULL,
	"reason" text NOT NULL,
	"offer_id" text,
	"merchant_id" text,
	"community_id" text,
	"report_id" text,
	"at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" text PRIMARY KEY,
	"event_id" text NOT NULL,
	"referral_id" text NOT NULL,
	"kind" text NOT NULL,
	"account_id" text,
	"merchant_id" text,
	"channel" text NOT NULL,
	"urgent" integer NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" text,
	"last_error" text,
	"created_at" text NOT NULL,
	"delivered_at" text,
	"read_at" text
);
--> statement-breakpoint
CREATE TABLE "offer_placements" (
	"id" text PRIMARY KEY,
	"offer_id" text NOT NULL,
	"community_id" text NOT NULL,
	"alliance_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"campaign_id" text,
	"posted_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offer_reports" (
	"id" text PRIMARY KEY,
	"offer_id" text NOT NULL,
	"reporter_account_id" text NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"created_at" text NOT NULL,
	"closed_at" text
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" text PRIMARY KEY,
	"merchant_id" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"category" text NOT NULL,
	"starts_at" text NOT NULL,
	"ends_at" text NOT NULL,
	"status" text NOT NULL,
	"campaign_id" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "privacy_notices" (
	"id" text PRIMARY KEY,
	"merchant_id" text NOT NULL,
	"version" integer NOT NULL,
	"text" text NOT NULL,
	"published_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purchases" (
	"id" text PRIMARY KEY,
	"customer_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"amount" integer NOT NULL,
	"at" text NOT NULL,
	CONSTRAINT "purchases_amount_ck" CHECK ("amount" between 1 and 100000000)
);
--> statement-breakpoint
CREATE TABLE "referral_events" (
	"id" text PRIMARY KEY,
	"referral_id" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" text NOT NULL,
	"dispatched_at" text
);
--> statement-breakpoint
CREATE TABLE "referral_requests" (
	"id" text PRIMARY KEY,
	"status" text NOT NULL,
	"requester_merchant_id" text NOT NULL,
	"origin_merchant_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"initiated_by" text NOT NULL,
	"interest_id" text UNIQUE,
	"offer_id" text,
	"purpose" text NOT NULL,
	"requested_fields" text NOT NULL,
	"granted_fields" text NOT NULL,
	"retention_days" integer NOT NULL,
	"message" text,
	"requester_notice_id" text,
	"requester_notice_version" integer,
	"consent_receipt" text,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"decided_at" text
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" text PRIMARY KEY,
	"account_id" text NOT NULL,
	"session_id" text NOT NULL,
	"token_hash" text NOT NULL UNIQUE,
	"expires_at" text NOT NULL,
	"used_at" text,
	"revoked_at" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY,
	"account_id" text NOT NULL,
	"revoked_at" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_codes" (
	"id" text PRIMARY KEY,
	"purpose" text NOT NULL,
	"subject" text NOT NULL,
	"target_index" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" text NOT NULL,
	"used_at" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "access_log_customer_idx" ON "access_log" ("customer_id","id");--> statement-breakpoint
CREATE INDEX "access_log_merchant_idx" ON "access_log" ("merchant_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_email_uq" ON "accounts" ("email") WHERE "email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "alliance_members_alliance_merchant_uq" ON "alliance_members" ("alliance_id","merchant_id");--> statement-breakpoint
CREATE INDEX "alliance_members_alliance_status_idx" ON "alliance_members" ("alliance_id","status","id");--> statement-breakpoint
CREATE INDEX "alliance_members_merchant_idx" ON "alliance_members" ("merchant_id","status");--> statement-breakpoint
CREATE INDEX "alliances_city_idx" ON "alliances" ("city","id");--> statement-breakpoint
CREATE INDEX "campaign_communities_community_idx" ON "campaign_communities" ("community_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_participants_campaign_merchant_uq" ON "campaign_participants" ("campaign_id","merchant_id");--> statement-breakpoint
CREATE INDEX "campaign_participants_merchant_idx" ON "campaign_participants" ("merchant_id","status");--> statement-breakpoint
CREATE INDEX "campaign_spend_campaign_idx" ON "campaign_spend" ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaigns_alliance_idx" ON "campaigns" ("alliance_id","id");--> statement-breakpoint
CREATE INDEX "communities_alliance_idx" ON "communities" ("alliance_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "community_members_current_merchant_uq" ON "community_members" ("community_id","merchant_id") WHERE "left_at" is null and "merchant_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "community_members_current_account_uq" ON "community_members" ("community_id","account_id") WHERE "left_at" is null and "account_id" is not null;--> statement-breakpoint
CREATE INDEX "community_members_community_kind_idx" ON "community_members" ("community_id","kind","joined_at");--> statement-breakpoint
CREATE INDEX "community_members_merchant_idx" ON "community_members" ("merchant_id");--> statement-breakpoint
CREATE INDEX "community_members_account_idx" ON "community_members" ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "consent_versions_subject_version_uq" ON "consent_versions" ("subject_id","version");--> statement-breakpoint
CREATE INDEX "contact_grants_customer_idx" ON "contact_grants" ("customer_id");--> statement-breakpoint
CREATE INDEX "conversions_referral_idx" ON "conversions" ("referral_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_identities_merchant_phone_uq" ON "customer_identities" ("merchant_id","phone_index");--> statement-breakpoint
CREATE INDEX "customer_identities_phone_idx" ON "customer_identities" ("phone_index");--> statement-breakpoint
CREATE INDEX "customer_invites_customer_idx" ON "customer_invites" ("customer_id");--> statement-breakpoint
CREATE INDEX "customers_merchant_idx" ON "customers" ("merchant_id","id");--> statement-breakpoint
CREATE INDEX "customers_account_idx" ON "customers" ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "interests_offer_account_uq" ON "interests" ("offer_id","account_id");--> statement-breakpoint
CREATE INDEX "interests_offer_idx" ON "interests" ("offer_id","id");--> statement-breakpoint
CREATE INDEX "merchant_staff_merchant_idx" ON "merchant_staff" ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "moderation_actions_alliance_idx" ON "moderation_actions" ("alliance_id","at","id");--> statement-breakpoint
CREATE INDEX "notifications_account_idx" ON "notifications" ("account_id","channel","id");--> statement-breakpoint
CREATE INDEX "notifications_merchant_idx" ON "notifications" ("merchant_id","channel","id");--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" ("next_attempt_at") WHERE "status" = 'PENDING';--> statement-breakpoint
CREATE UNIQUE INDEX "offer_placements_offer_community_uq" ON "offer_placements" ("offer_id","community_id");--> statement-breakpoint
CREATE INDEX "offer_placements_feed_idx" ON "offer_placements" ("community_id","posted_at","id");--> statement-breakpoint
CREATE INDEX "offer_placements_rate_idx" ON "offer_placements" ("merchant_id","community_id","posted_at") WHERE "campaign_id" is null;--> statement-breakpoint
CREATE INDEX "offer_placements_alliance_idx" ON "offer_placements" ("alliance_id","offer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "offer_reports_open_uq" ON "offer_reports" ("offer_id","reporter_account_id") WHERE "status" = 'OPEN';--> statement-breakpoint
CREATE INDEX "offer_reports_offer_status_idx" ON "offer_reports" ("offer_id","status");--> statement-breakpoint
CREATE INDEX "offer_reports_status_idx" ON "offer_reports" ("status","id");--> statement-breakpoint
CREATE INDEX "offers_merchant_idx" ON "offers" ("merchant_id","id");--> statement-breakpoint
CREATE INDEX "offers_campaign_idx" ON "offers" ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "privacy_notices_merchant_version_uq" ON "privacy_notices" ("merchant_id","version");--> statement-breakpoint
CREATE INDEX "purchases_merchant_customer_idx" ON "purchases" ("merchant_id","customer_id","at");--> statement-breakpoint
CREATE INDEX "purchases_customer_idx" ON "purchases" ("customer_id");--> statement-breakpoint
CREATE INDEX "referral_events_undispatched_idx" ON "referral_events" ("id") WHERE "dispatched_at" is null;--> statement-breakpoint
CREATE INDEX "referral_events_referral_idx" ON "referral_events" ("referral_id","kind");--> statement-breakpoint
CREATE INDEX "referrals_customer_idx" ON "referral_requests" ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "referrals_requester_idx" ON "referral_requests" ("requester_merchant_id","id");--> statement-breakpoint
CREATE INDEX "referrals_origin_idx" ON "referral_requests" ("origin_merchant_id","id");--> statement-breakpoint
CREATE INDEX "referrals_status_expires_idx" ON "referral_requests" ("status","expires_at");--> statement-breakpoint
CREATE INDEX "refresh_tokens_session_idx" ON "refresh_tokens" ("session_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_account_idx" ON "refresh_tokens" ("account_id");--> statement-breakpoint
CREATE INDEX "sessions_account_idx" ON "sessions" ("account_id");--> statement-breakpoint
CREATE INDEX "verification_codes_subject_idx" ON "verification_codes" ("purpose","subject","created_at");--> statement-breakpoint
CREATE INDEX "verification_codes_expiry_idx" ON "verification_codes" ("expires_at");--> statement-breakpoint
ALTER TABLE "access_log" ADD CONSTRAINT "access_log_actor_account_id_accounts_id_fkey" FOREIGN KEY ("actor_account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "access_log" ADD CONSTRAINT "access_log_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "access_log" ADD CONSTRAINT "access_log_customer_id_customers_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");--> statement-breakpoint
ALTER TABLE "alliance_members" ADD CONSTRAINT "alliance_members_alliance_id_alliances_id_fkey" FOREIGN KEY ("alliance_id") REFERENCES "alliances"("id");--> statement-breakpoint
ALTER TABLE "alliance_members" ADD CONSTRAINT "alliance_members_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "campaign_communities" ADD CONSTRAINT "campaign_communities_campaign_id_campaigns_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id");--> statement-breakpoint
ALTER TABLE "campaign_communities" ADD CONSTRAINT "campaign_communities_community_id_communities_id_fkey" FOREIGN KEY ("community_id") REFERENCES "communities"("id");--> statement-breakpoint
ALTER TABLE "campaign_participants" ADD CONSTRAINT "campaign_participants_campaign_id_campaigns_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id");--> statement-breakpoint
ALTER TABLE "campaign_participants" ADD CONSTRAINT "campaign_participants_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "campaign_spend" ADD CONSTRAINT "campaign_spend_campaign_id_campaigns_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id");--> statement-breakpoint
ALTER TABLE "campaign_spend" ADD CONSTRAINT "campaign_spend_recorded_by_account_id_accounts_id_fkey" FOREIGN KEY ("recorded_by_account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_alliance_id_alliances_id_fkey" FOREIGN KEY ("alliance_id") REFERENCES "alliances"("id");--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_organizer_merchant_id_merchants_id_fkey" FOREIGN KEY ("organizer_merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "communities" ADD CONSTRAINT "communities_alliance_id_alliances_id_fkey" FOREIGN KEY ("alliance_id") REFERENCES "alliances"("id");--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_community_id_communities_id_fkey" FOREIGN KEY ("community_id") REFERENCES "communities"("id");--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "contact_grants" ADD CONSTRAINT "contact_grants_referral_id_referral_requests_id_fkey" FOREIGN KEY ("referral_id") REFERENCES "referral_requests"("id");--> statement-breakpoint
ALTER TABLE "contact_grants" ADD CONSTRAINT "contact_grants_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "contact_grants" ADD CONSTRAINT "contact_grants_customer_id_customers_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_referral_id_referral_requests_id_fkey" FOREIGN KEY ("referral_id") REFERENCES "referral_requests"("id");--> statement-breakpoint
ALTER TABLE "customer_identities" ADD CONSTRAINT "customer_identities_customer_id_customers_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");--> statement-breakpoint
ALTER TABLE "customer_identities" ADD CONSTRAINT "customer_identities_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "customer_invites" ADD CONSTRAINT "customer_invites_customer_id_customers_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "interests" ADD CONSTRAINT "interests_offer_id_offers_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offers"("id");--> statement-breakpoint
ALTER TABLE "interests" ADD CONSTRAINT "interests_offer_merchant_id_merchants_id_fkey" FOREIGN KEY ("offer_merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "interests" ADD CONSTRAINT "interests_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "interests" ADD CONSTRAINT "interests_customer_id_customers_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");--> statement-breakpoint
ALTER TABLE "interests" ADD CONSTRAINT "interests_origin_merchant_id_merchants_id_fkey" FOREIGN KEY ("origin_merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "merchant_staff" ADD CONSTRAINT "merchant_staff_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "merchant_staff" ADD CONSTRAINT "merchant_staff_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "moderation_actions" ADD CONSTRAINT "moderation_actions_alliance_id_alliances_id_fkey" FOREIGN KEY ("alliance_id") REFERENCES "alliances"("id");--> statement-breakpoint
ALTER TABLE "moderation_actions" ADD CONSTRAINT "moderation_actions_actor_account_id_accounts_id_fkey" FOREIGN KEY ("actor_account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "moderation_actions" ADD CONSTRAINT "moderation_actions_offer_id_offers_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offers"("id");--> statement-breakpoint
ALTER TABLE "moderation_actions" ADD CONSTRAINT "moderation_actions_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "moderation_actions" ADD CONSTRAINT "moderation_actions_community_id_communities_id_fkey" FOREIGN KEY ("community_id") REFERENCES "communities"("id");--> statement-breakpoint
ALTER TABLE "moderation_actions" ADD CONSTRAINT "moderation_actions_report_id_offer_reports_id_fkey" FOREIGN KEY ("report_id") REFERENCES "offer_reports"("id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_event_id_referral_events_id_fkey" FOREIGN KEY ("event_id") REFERENCES "referral_events"("id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_referral_id_referral_requests_id_fkey" FOREIGN KEY ("referral_id") REFERENCES "referral_requests"("id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "offer_placements" ADD CONSTRAINT "offer_placements_offer_id_offers_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offers"("id");--> statement-breakpoint
ALTER TABLE "offer_placements" ADD CONSTRAINT "offer_placements_community_id_communities_id_fkey" FOREIGN KEY ("community_id") REFERENCES "communities"("id");--> statement-breakpoint
ALTER TABLE "offer_placements" ADD CONSTRAINT "offer_placements_alliance_id_alliances_id_fkey" FOREIGN KEY ("alliance_id") REFERENCES "alliances"("id");--> statement-breakpoint
ALTER TABLE "offer_placements" ADD CONSTRAINT "offer_placements_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "offer_placements" ADD CONSTRAINT "offer_placements_campaign_id_campaigns_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id");--> statement-breakpoint
ALTER TABLE "offer_reports" ADD CONSTRAINT "offer_reports_offer_id_offers_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offers"("id");--> statement-breakpoint
ALTER TABLE "offer_reports" ADD CONSTRAINT "offer_reports_reporter_account_id_accounts_id_fkey" FOREIGN KEY ("reporter_account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_campaign_id_campaigns_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id");--> statement-breakpoint
ALTER TABLE "privacy_notices" ADD CONSTRAINT "privacy_notices_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_customer_id_customers_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_merchant_id_merchants_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "referral_events" ADD CONSTRAINT "referral_events_referral_id_referral_requests_id_fkey" FOREIGN KEY ("referral_id") REFERENCES "referral_requests"("id");--> statement-breakpoint
ALTER TABLE "referral_requests" ADD CONSTRAINT "referral_requests_requester_merchant_id_merchants_id_fkey" FOREIGN KEY ("requester_merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "referral_requests" ADD CONSTRAINT "referral_requests_origin_merchant_id_merchants_id_fkey" FOREIGN KEY ("origin_merchant_id") REFERENCES "merchants"("id");--> statement-breakpoint
ALTER TABLE "referral_requests" ADD CONSTRAINT "referral_requests_customer_id_customers_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");--> statement-breakpoint
ALTER TABLE "referral_requests" ADD CONSTRAINT "referral_requests_interest_id_interests_id_fkey" FOREIGN KEY ("interest_id") REFERENCES "interests"("id");--> statement-breakpoint
ALTER TABLE "referral_requests" ADD CONSTRAINT "referral_requests_offer_id_offers_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offers"("id");--> statement-breakpoint
ALTER TABLE "referral_requests" ADD CONSTRAINT "referral_requests_requester_notice_id_privacy_notices_id_fkey" FOREIGN KEY ("requester_notice_id") REFERENCES "privacy_notices"("id");--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_session_id_sessions_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id");--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_account_id_accounts_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id");