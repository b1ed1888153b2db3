package archtest

// owners maps every table to the one context that writes it: "service/<ctx>" packages
// by their context name, "storage" for the infrastructure tables. The README's table
// of owners must say the same (TestREADMEOwners).
var owners = map[string]string{
	// organisation
	"org_groups": "org", "org_regions": "org", "malls": "org", "merchants": "org", "staff": "org",
	"staff_roles": "org",
	// infrastructure
	"idempotency_keys": "storage", "audit_log": "audit",
	// members and cards
	"members": "members", "card_types": "members", "cards": "members", "card_events": "members",
	// value ledger
	"ledger_accounts": "ledger", "ledger_postings": "ledger", "ledger_entries": "ledger", "ledger_lots": "ledger",
	"ledger_lot_moves": "ledger",
	// loyalty programme
	"loyalty_programs": "loyalty", "loyalty_tiers": "loyalty", "loyalty_earn_rules": "loyalty",
	"loyalty_recharge_rules": "loyalty", "loyalty_purchases": "loyalty", "loyalty_refunds": "loyalty",
	"loyalty_referrals": "loyalty", "loyalty_points_earned": "loyalty", "loyalty_transfers": "loyalty",
	"loyalty_recharges": "loyalty", "loyalty_notifications": "loyalty", "loyalty_tier_reviews": "loyalty",
	// coupons
	"coupon_templates": "coupons", "coupon_member_claims": "coupons", "coupons": "coupons",
	"coupon_segment_runs": "coupons", "coupon_issue_counts": "coupons",
	// redemption
	"signing_keys": "redemption", "redemption_codes": "redemption", "redemptions": "redemption",
	"offline_scans": "redemption",
	// bookings
	"booking_resources": "bookings", "booking_slots": "bookings", "bookings": "bookings",
	// member events and surveys
	"mev_events": "memberevents", "mev_signups": "memberevents", "mev_scans": "memberevents",
	"mev_signins": "memberevents", "survey_surveys": "surveys", "survey_questions": "surveys",
	"survey_responses": "surveys", "survey_answers": "surveys",
	// campaigns
	"signin_campaigns": "campaigns", "signins": "campaigns", "lotteries": "campaigns", "lottery_prizes": "campaigns",
	"lottery_draws": "campaigns", "gifts": "campaigns", "gift_exchanges": "campaigns",
	// devices and IoT
	"devices": "devices", "iot_events": "devices", "iot_event_claims": "devices", "dead_letters": "devices", "device_alarms": "devices",
	"meter_readings": "meters", "meter_replacements": "meters",
	"mqtt_bridge_sessions": "devices",
	"patrol_checkpoints":   "patrol", "patrol_routes": "patrol", "patrol_route_points": "patrol",
	"patrol_scans": "patrol", "patrol_misses": "patrol", "patrol_plans": "patrol", "patrol_rounds": "patrol",
	"patrol_anomalies": "patrol",
	// arrivals (face recognition, VIP arrivals, visits)
	"member_faces": "arrivals", "arrivals": "arrivals", "vip_notices": "arrivals", "visits": "arrivals",
	"visit_awards": "arrivals", "face_consents": "arrivals",
	// brand library and 招商 pipeline
	"brands": "brands", "brand_contacts": "brands", "brand_attachments": "brands", "brand_prospects": "brands",
	"brand_prospect_stages": "brands", "brand_follow_ups": "brands",
	// leasing (units, contracts, approvals, frozen schedule lines)
	"leasing_units": "leasing", "leasing_contracts": "leasing", "leasing_contract_units": "leasing",
	"leasing_contract_versions": "leasing", "leasing_approvals": "leasing", "leasing_approval_limits": "leasing",
	"leasing_billed_lines": "leasing",
	// tenant sales and staff notices (issue 12)
	"tenant_sales": "sales", "tenant_sales_closings": "sales", "tenant_sales_settings": "sales",
	"staff_notices": "notices", "staff_notice_reads": "notices",
	// work orders (property services)
	"wo_calendars": "workorders", "wo_calendar_hours": "workorders", "wo_holidays": "workorders",
	"wo_sla_policies": "workorders", "wo_technicians": "workorders", "wo_counters": "workorders",
	"wo_orders": "workorders", "wo_events": "workorders", "wo_pauses": "workorders", "wo_escalations": "workorders",
	// billing (issue 13): bill runs, bills and their lines, one-off charges, VAT rates
	"billing_vat_rates": "billing", "billing_runs": "billing", "billing_run_items": "billing",
	"billing_bills": "billing", "billing_bill_lines": "billing", "billing_one_off_charges": "billing",
	// billing payments (issue 13): tenant payments, allocations, tenant credit, waterfalls, fapiao
	"billing_payments": "billing", "billing_allocations": "billing", "billing_tenant_credits": "billing",
	"billing_waterfalls": "billing", "billing_fapiao_requests": "billing",
	// payments (WeChat Pay orders, notifications, refunds)
	"payment_orders": "payments", "payment_refunds": "payments", "payment_notifications": "payments",
	// billing fees: energy tariffs and usage, late-fee state, line moves, approvals
	"billing_energy_tariffs": "billing", "billing_energy_usage": "billing", "billing_late_fee_state": "billing",
	"billing_line_moves": "billing", "billing_approvals": "billing",
	// workorders return visits, rosters
	"wo_return_visits": "workorders", "staff_shifts": "rosters",
	// gift warehouse (issue 15 point 5)
	"wh_categories": "warehouse", "wh_items": "warehouse", "wh_warehouses": "warehouse", "wh_suppliers": "warehouse",
	"wh_purchase_orders": "warehouse", "wh_po_lines": "warehouse", "wh_receipts": "warehouse",
	"wh_receipt_lines": "warehouse", "wh_stock": "warehouse", "wh_movements": "warehouse", "wh_issues": "warehouse",
	"wh_transfers": "warehouse", "wh_stocktakes": "warehouse", "wh_stocktake_lines": "warehouse",
	// fixed assets (issue 15): register, transfers, use, depreciation lines, stocktakes, maintenance plans
	"asset_categories": "assets", "assets": "assets", "asset_transfers": "assets", "asset_usage": "assets",
	"asset_depreciation_lines": "assets", "asset_stocktakes": "assets", "asset_stocktake_scans": "assets",
	"asset_maintenance_plans": "assets", "asset_maintenance_orders": "assets",
	// member fees and card products (issue 17): fees, their postings, waivers, sales, renewals, withdrawals, card groups, links
	"mfee_policies": "memberfees", "mfee_card_groups": "memberfees", "mfee_card_group_members": "memberfees",
	"mfee_links": "memberfees", "mfee_fees": "memberfees", "mfee_postings": "memberfees", "mfee_waivers": "memberfees",
	"mfee_sales": "memberfees", "mfee_renewals": "memberfees", "mfee_withdrawals": "memberfees",
	// Excel exports (issue 16)
	"exports": "exports",
	// notifications (issue 16): outbox, deliveries, grants, preferences, caps, inbox, group messages
	"notify_events": "notify", "notify_deliveries": "notify", "notify_grants": "notify", "notify_preferences": "notify",
	"notify_sms_daily": "notify", "notify_inbox": "notify", "notify_broadcasts": "notify",
	// reports (issue 16): watermarks and the rollups the incremental job keeps
	"report_watermarks": "reports", "report_card_months": "reports", "report_consumption_months": "reports",
	"report_points_months": "reports", "report_member_months": "reports", "report_points_expiry": "reports",
	// member programme (issue 17 points 3, 4, 9): alliance merchants, member exits, referral approvals, caller log
	"alliance_merchants": "alliance", "alliance_runs": "alliance", "alliance_rows": "alliance",
	"member_exits": "members", "member_exit_policies": "members",
	"loyalty_referral_policies": "loyalty", "loyalty_referral_decisions": "loyalty",
	"caller_calls": "callers",
	// issue 17 (member programme): purchase lines, staff commissions, shift handover
	"loyalty_purchase_lines": "loyalty",
	"comm_rules":             "commissions", "comm_lines": "commissions", "comm_closed_months": "commissions",
	"comm_settlements": "commissions",
	"shift_sessions":   "shifts", "shift_ops": "shifts", "shift_counts": "shifts", "shift_policies": "shifts",
}

// crossReads lists, per context, the tables of other contexts its queries still read
// (joins and filters), with why. A new cross-context read must be added here on
// purpose; a read that goes away must be removed (the test fails both ways), so the
// list stays the truth. Prefer calling the owner's service or its exported reads.
var crossReads = map[string]map[string]string{
	"reports": {
		"card_events": "the incremental roll-up reads card events after its watermark ((at, id) order, one set-based " +
			"statement adding them to the monthly card rollup); members exports no batch read in that order",
		"cards": "the same roll-up: each event's card type and holder",
		"members": "the same roll-up: the holder's registration mall and tier; the member roll-up reads members " +
			"registered after its watermark ((registered_at, id), index members_registered_at_idx) with their mall and tier",
		"member_exits": "the member roll-up reads approved exits after a watermark ((decided_at, id)) and restores " +
			"after another ((restored_at, id)), through partial indexes; members exports no batch read in that order",
		"malls": "the roll-ups bucket days and hours in each mall's time zone in the same statement",
		"loyalty_purchases": "the incremental roll-up reads purchases after its watermark ((created_at, id), index " +
			"loyalty_purchases_created_idx) into the daily consumption rollup; refunds join their purchase",
		"loyalty_refunds": "the incremental roll-up reads refunds after its watermark into the same rollup",
		"merchants":       "the consumption roll-up keeps each merchant's category; the report names merchants",
		"ledger_entries": "the incremental roll-up reads entries after its watermark (identity order) into the " +
			"monthly points rollup; the ledger exports no batch read",
		"ledger_postings": "the same roll-up: the posting's time (month, settle cut-off); a lot move's too",
		"ledger_accounts": "the same roll-up: card and card_pending points accounts and their group; the " +
			"group of a moved lot's account",
		"ledger_lot_moves": "the incremental roll-up reads lot moves after its watermark (identity order) into the " +
			"points-expiry rollup (every change of a lot's remaining is a move); the ledger exports no batch read",
		"ledger_lots":   "the same roll-up: each move's lot (its expiry month and account)",
		"card_types":    "the card report names card types",
		"loyalty_tiers": "the card and member reports name tiers",
	},
	"ledger": {"cards": "below members in the import graph (members' tests import ledger): checks cards exist and " +
		"share a group before locking their accounts, picks the card that holds the value (MemberCardTx, " +
		"joined with its balances) and follows reissues to the current card (CurrentCardTx)"},
	"loyalty": {
		"members": "a member's group and tier joined with loyalty_tiers (tier display, progress, purchase discount), " +
			"the referrer and the referee's phone/openid (referral dedupe, INSERT ... SELECT) and the day's " +
			"birthdays (set-based reminders job); members exports no plain read of these",
		"card_types": "the discount rate of a presented discount card's type (members.Card carries the kind only)",
		"cards":      "expiring-points reminders group all lots expiring soon by card holder in one set-based statement",
		"ledger_lots": "expiring-points reminders: lots expiring within the window, summed per member in one " +
			"set-based statement",
	},
	"arrivals": {
		"members": "consent changes and enrolments lock the member row (FOR NO KEY UPDATE, status and group) so one " +
			"member's run one at a time; a camera event joins the face to its member's status, group, tags and tier " +
			"in one indexed lookup",
		"loyalty_tiers": "a camera event decides VIP by the member's tier code in the same lookup as the face",
	},
	"devices": {"malls": "the bridge's batch lookup (DevicesByIDs) returns each device's mall code, the topic " +
		"segment every message must match, in the same query: one query a batch on the ingest path"},
	"members": {"org_regions": "grants → groups until org exports it", "malls": "grants → groups until org exports it",
		"merchants": "grants → groups until org exports it"},
	"coupons": {
		"members":           "segment issues select the group's members by status, tags, tier and last visit in one query",
		"loyalty_purchases": "segment issues filter members by their net spend in a window, a correlated sum in the same query",
		"merchants":         "a template's categories resolve to the mall's merchant ids when a coupon's code is issued (org exports no list by category)",
		"redemptions":       "a template's report counts voided staff redemptions of its coupons in its one aggregate query",
		"redemption_codes":  "the same report joins codes to redemptions to reach the template's coupons",
	},
}

// dynamicSQL lists hand-written Go files allowed to hold SQL, with why sqlc cannot
// hold it. The README repeats this list.
var dynamicSQL = map[string]string{
	"storage/storetest/storetest.go": "test databases: creating, dropping and renaming databases with generated names, and " +
		"advisory locks on the admin database, outside the application schema",
}
