-- Data of a database migrated and used by Atrium at commit 44f65f0 (schema version 00037): the demo
-- organisation seeded by 'atrium seed --demo', three shoppers registered through the mini-program who signed
-- in and claimed coupons, stored-value cards issued and recharged, purchases with points and stored value,
-- and a refund (pg_dump --data-only --column-inserts). TestUpgrade... loads it into a schema at 00037 and
-- upgrades it. \\restrict lines (psql meta-commands) removed.
--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Data for Name: org_groups; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.org_groups (id, code, name, created_at) VALUES ('01a23373-975d-70a6-910d-c065b07f9161', 'DEMO', 'Demo Group', '2026-12-01 21:12:23.143282+00');


--
-- Data for Name: org_regions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: malls; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.malls (id, group_id, region_id, code, name, time_zone, created_at) VALUES ('01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23373-975d-70a6-910d-c065b07f9161', NULL, 'DEMO', 'Demo Plaza', 'Asia/Shanghai', '2026-12-01 21:12:23.21944+00');


--
-- Data for Name: devices; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: loyalty_tiers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_tiers (id, group_id, code, name, rank, threshold, discount_rate, points_multiplier) VALUES ('01a23373-cba0-74ef-837d-8358bcadf45e', '01a23373-975d-70a6-910d-c065b07f9161', 'silver', 'Silver', 1, 0.00, 1.0000, 1.00);
INSERT INTO public.loyalty_tiers (id, group_id, code, name, rank, threshold, discount_rate, points_multiplier) VALUES ('01a23373-cbc5-76da-9c1b-b1d652b0080c', '01a23373-975d-70a6-910d-c065b07f9161', 'gold', 'Gold', 2, 5000.00, 0.9800, 1.50);
INSERT INTO public.loyalty_tiers (id, group_id, code, name, rank, threshold, discount_rate, points_multiplier) VALUES ('01a23373-cbcf-771a-a9db-e397bd4f9f5b', '01a23373-975d-70a6-910d-c065b07f9161', 'diamond', 'Diamond', 3, 20000.00, 0.9500, 2.00);


--
-- Data for Name: members; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.members (id, group_id, openid, unionid, status, created_at, last_login_at, name, phone, gender, birthday, anniversary, photo_key, tags, source_channel, referrer_id, registered_at, registered_mall_id, tier_id, tier_since) VALUES ('01a23374-587d-734c-a85d-665de617202c', '01a23373-975d-70a6-910d-c065b07f9161', 'o26716848eae5d62a6d138d98e47', NULL, 'active', '2026-12-01 21:13:12.602419+00', '2026-12-01 21:13:12.64997+00', 'fx-phone-0', '13980820198', 'unknown', NULL, NULL, NULL, '{}', 'mini_program', NULL, '2026-12-01 21:13:12.743593+00', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23373-cba0-74ef-837d-8358bcadf45e', '2026-12-01 21:13:36.087477+00');
INSERT INTO public.members (id, group_id, openid, unionid, status, created_at, last_login_at, name, phone, gender, birthday, anniversary, photo_key, tags, source_channel, referrer_id, registered_at, registered_mall_id, tier_id, tier_since) VALUES ('01a23374-5cee-7759-8fe9-c4b8e36f88d2', '01a23373-975d-70a6-910d-c065b07f9161', 'od231b6b7d211e1b882d71756fd1', NULL, 'active', '2026-12-01 21:13:13.715222+00', '2026-12-01 21:13:13.743837+00', 'fx-phone-1', '13974189634', 'unknown', NULL, NULL, NULL, '{}', 'mini_program', NULL, '2026-12-01 21:13:13.802042+00', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23373-cba0-74ef-837d-8358bcadf45e', '2026-12-01 21:13:36.645602+00');
INSERT INTO public.members (id, group_id, openid, unionid, status, created_at, last_login_at, name, phone, gender, birthday, anniversary, photo_key, tags, source_channel, referrer_id, registered_at, registered_mall_id, tier_id, tier_since) VALUES ('01a23374-5f60-7447-a9f8-8966d63be6a1', '01a23373-975d-70a6-910d-c065b07f9161', 'oe0d5653475429b027b5d61b96d7', NULL, 'active', '2026-12-01 21:13:14.337812+00', '2026-12-01 21:13:14.347751+00', 'fx-phone-2', '13916080118', 'unknown', NULL, NULL, NULL, '{}', 'mini_program', NULL, '2026-12-01 21:13:14.362559+00', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23373-cba0-74ef-837d-8358bcadf45e', '2026-12-01 21:13:36.95936+00');


--
-- Data for Name: arrivals; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details) VALUES ('01a23373-cb45-77e0-b6fa-87021e2c43ed', '2026-12-01 21:12:36.421517+00', 'staff', '00000000-0000-0000-0000-000000000000', 'card_type.create', 'card_type', '01a23373-cb35-70e3-ae16-c4b9ae91870e', NULL, '', '{"code": "ECARD", "kind": "points"}');
INSERT INTO public.audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details) VALUES ('01a23373-cb69-7e39-bd66-d27ccc1d7490', '2026-12-01 21:12:36.457932+00', 'staff', '00000000-0000-0000-0000-000000000000', 'card_type.create', 'card_type', '01a23373-cb62-7dce-8d35-9c0bfafa2b6e', NULL, '', '{"code": "GOLD", "kind": "stored_value"}');
INSERT INTO public.audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details) VALUES ('01a23373-cb71-7da0-a53d-c8b6a611af99', '2026-12-01 21:12:36.465893+00', 'staff', '00000000-0000-0000-0000-000000000000', 'card_type.create', 'card_type', '01a23373-cb6d-7838-bfb0-983ccebbd0d7', NULL, '', '{"code": "PARK10", "kind": "count"}');
INSERT INTO public.audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details) VALUES ('01a23373-cb81-7b61-bf05-8b285c2fd2b6', '2026-12-01 21:12:36.481746+00', 'staff', '00000000-0000-0000-0000-000000000000', 'card_type.create', 'card_type', '01a23373-cb80-7daa-9288-7cc56025f1da', NULL, '', '{"code": "STAFF95", "kind": "discount"}');
INSERT INTO public.audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details) VALUES ('01a23374-5968-7edc-8012-694bc44f3562', '2026-12-01 21:13:12.808974+00', 'shopper', '01a23374-587d-734c-a85d-665de617202c', 'card.issue', 'card', '01a23374-593e-7c2f-a64a-1804d7eed712', NULL, 'issued on registration', '{"to": "active", "from": "", "number": "8951158621674890"}');
INSERT INTO public.audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details) VALUES ('01a23374-5d5c-7be7-ae6b-2ef4f6c2f887', '2026-12-01 21:13:13.82078+00', 'shopper', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', 'card.issue', 'card', '01a23374-5d4b-7578-bad8-1300e1a853c6', NULL, 'issued on registration', '{"to": "active", "from": "", "number": "8535355349067242"}');
INSERT INTO public.audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details) VALUES ('01a23374-5f95-7b44-ab53-9bef657064c9', '2026-12-01 21:13:14.389738+00', 'shopper', '01a23374-5f60-7447-a9f8-8966d63be6a1', 'card.issue', 'card', '01a23374-5f85-748d-bb44-17790d5930ee', NULL, 'issued on registration', '{"to": "active", "from": "", "number": "8078063437916709"}');
INSERT INTO public.audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details) VALUES ('01a23374-b353-752d-9a40-2bdd2a08eb5e', '2026-12-01 21:13:35.82734+00', 'staff', '01a23373-ad04-7a28-aae5-8ce15bdd75a4', 'card.issue', 'card', '01a23374-b348-7848-8b34-5cd82acfd588', NULL, '', '{"to": "active", "from": "", "number": "8147171687391680"}');
INSERT INTO public.audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details) VALUES ('01a23374-b5e4-718a-990b-de2938fac791', '2026-12-01 21:13:36.484101+00', 'staff', '01a23373-ad04-7a28-aae5-8ce15bdd75a4', 'card.issue', 'card', '01a23374-b5d4-7aac-ac41-89055ecd17fe', NULL, '', '{"to": "active", "from": "", "number": "8221731265807301"}');
INSERT INTO public.audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details) VALUES ('01a23374-b750-7531-bc94-830042dfac75', '2026-12-01 21:13:36.848341+00', 'staff', '01a23373-ad04-7a28-aae5-8ce15bdd75a4', 'card.issue', 'card', '01a23374-b745-7e52-a32a-59348a7d76e9', NULL, '', '{"to": "active", "from": "", "number": "8478182356487546"}');


--
-- Data for Name: booking_resources; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.booking_resources (id, mall_id, name, kind, free_cancel_hours, created_at, price_points, price_amount) VALUES ('01a23373-d15b-74ff-a9e2-936b0c2e4a65', '01a23373-979a-7a08-ad98-341fcd85ebb1', 'VIP lounge', 'lounge', 2, '2026-12-01 21:12:38.017917+00', 300, 30.00);


--
-- Data for Name: booking_slots; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d1cc-7451-9b9d-148217b70d31', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-02 02:00:00+00', '2026-12-02 04:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d205-7427-b8b7-5b00d877024f', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-02 04:00:00+00', '2026-12-02 06:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d227-7b39-96f9-5e4b6333a969', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-02 06:00:00+00', '2026-12-02 08:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d26a-7137-a198-b9fa0328ddb2', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-02 08:00:00+00', '2026-12-02 10:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d2a3-7d3c-95ff-7326f284ac02', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-02 10:00:00+00', '2026-12-02 12:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d31b-7dec-acf3-059f4b6e9be5', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-02 12:00:00+00', '2026-12-02 14:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d36f-7db8-952d-f85bc3530b3c', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-03 02:00:00+00', '2026-12-03 04:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d38f-7a8f-89e2-89b3ecbfcdd3', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-03 04:00:00+00', '2026-12-03 06:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d396-76ec-81f4-bd3ba3c2b840', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-03 06:00:00+00', '2026-12-03 08:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d39f-745e-9e84-3c93ec973467', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-03 08:00:00+00', '2026-12-03 10:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d3a3-7b0d-a156-931e07ce4d55', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-03 10:00:00+00', '2026-12-03 12:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d3a8-7218-9ee3-efd8062669dd', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-03 12:00:00+00', '2026-12-03 14:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d3ab-743a-b5fa-705959ae2d17', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-04 02:00:00+00', '2026-12-04 04:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d3b0-7625-903d-c9f0d659d6dd', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-04 04:00:00+00', '2026-12-04 06:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d3b7-76d9-9979-805d574036fb', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-04 06:00:00+00', '2026-12-04 08:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d3b9-7beb-af5e-c1f2683b6ba7', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-04 08:00:00+00', '2026-12-04 10:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d3d3-74fb-9f83-b80de00473da', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-04 10:00:00+00', '2026-12-04 12:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d3d7-7bf6-8f5a-5173f486c296', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-04 12:00:00+00', '2026-12-04 14:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d3f6-7437-96f4-1844db6b2812', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-05 02:00:00+00', '2026-12-05 04:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d44b-7ad8-9784-76350d982dab', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-05 04:00:00+00', '2026-12-05 06:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d473-7ba9-ad50-f73ed16628e4', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-05 06:00:00+00', '2026-12-05 08:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d4ee-72c6-9785-c3c095d82529', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-05 08:00:00+00', '2026-12-05 10:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d526-7052-b135-88e81e06d9ff', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-05 10:00:00+00', '2026-12-05 12:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d55f-7704-ad7f-c208c57a985c', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-05 12:00:00+00', '2026-12-05 14:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d5d9-7586-ab54-882f22aaf68c', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-06 02:00:00+00', '2026-12-06 04:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d5f3-733b-9ac7-7a6580ea33ee', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-06 04:00:00+00', '2026-12-06 06:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d60e-731b-91f4-4a3838ca5463', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-06 06:00:00+00', '2026-12-06 08:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d654-7ab9-9fcc-583ca4062880', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-06 08:00:00+00', '2026-12-06 10:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d685-7957-8327-c7c2c80027aa', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-06 10:00:00+00', '2026-12-06 12:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d6ce-7219-9588-9c2527beb149', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-06 12:00:00+00', '2026-12-06 14:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d70f-77b5-b517-8c1f419c62e1', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-07 02:00:00+00', '2026-12-07 04:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d75a-7bfd-824b-66486b5c8e48', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-07 04:00:00+00', '2026-12-07 06:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d782-7745-834f-2fe596e2c07d', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-07 06:00:00+00', '2026-12-07 08:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d7a2-79b4-a28a-97a2a7fe3cc2', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-07 08:00:00+00', '2026-12-07 10:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d7e7-77a7-bf59-5e32bd11d743', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-07 10:00:00+00', '2026-12-07 12:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d81c-7249-b724-194701f2aa85', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-07 12:00:00+00', '2026-12-07 14:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d887-74ba-810b-7c9085a846ca', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-08 02:00:00+00', '2026-12-08 04:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d889-7a5f-8233-99490dc93867', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-08 04:00:00+00', '2026-12-08 06:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d88a-7e38-8456-eb7508e8b3f0', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-08 06:00:00+00', '2026-12-08 08:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d88e-7c14-9229-b54186c62e65', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-08 08:00:00+00', '2026-12-08 10:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d8a3-7390-9b85-e19e47a73055', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-08 10:00:00+00', '2026-12-08 12:00:00+00', 8, 0);
INSERT INTO public.booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ('01a23373-d8aa-75c7-a91f-fb9c2b9c4498', '01a23373-d15b-74ff-a9e2-936b0c2e4a65', '2026-12-08 12:00:00+00', '2026-12-08 14:00:00+00', 8, 0);


--
-- Data for Name: card_types; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.card_types (id, group_id, code, name, kind, service_name, discount_rate, created_at, issue_on_registration) VALUES ('01a23373-cb35-70e3-ae16-c4b9ae91870e', '01a23373-975d-70a6-910d-c065b07f9161', 'ECARD', 'Demo Plaza e-card', 'points', NULL, NULL, '2026-12-01 21:12:36.411304+00', true);
INSERT INTO public.card_types (id, group_id, code, name, kind, service_name, discount_rate, created_at, issue_on_registration) VALUES ('01a23373-cb62-7dce-8d35-9c0bfafa2b6e', '01a23373-975d-70a6-910d-c065b07f9161', 'GOLD', 'Gold stored-value card', 'stored_value', NULL, NULL, '2026-12-01 21:12:36.456768+00', false);
INSERT INTO public.card_types (id, group_id, code, name, kind, service_name, discount_rate, created_at, issue_on_registration) VALUES ('01a23373-cb6d-7838-bfb0-983ccebbd0d7', '01a23373-975d-70a6-910d-c065b07f9161', 'PARK10', 'Parking 10-visit card', 'count', 'parking', NULL, '2026-12-01 21:12:36.463168+00', false);
INSERT INTO public.card_types (id, group_id, code, name, kind, service_name, discount_rate, created_at, issue_on_registration) VALUES ('01a23373-cb80-7daa-9288-7cc56025f1da', '01a23373-975d-70a6-910d-c065b07f9161', 'STAFF95', 'Staff discount card', 'discount', NULL, 0.9500, '2026-12-01 21:12:36.480989+00', false);


--
-- Data for Name: cards; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.cards (id, group_id, member_id, card_type_id, number, uid, status, primary_card_id, spend_limit, issued_at, expires_at, replaced_by) VALUES ('01a23374-593e-7c2f-a64a-1804d7eed712', '01a23373-975d-70a6-910d-c065b07f9161', '01a23374-587d-734c-a85d-665de617202c', '01a23373-cb35-70e3-ae16-c4b9ae91870e', '8951158621674890', NULL, 'active', NULL, NULL, '2026-12-01 21:13:12.779504+00', NULL, NULL);
INSERT INTO public.cards (id, group_id, member_id, card_type_id, number, uid, status, primary_card_id, spend_limit, issued_at, expires_at, replaced_by) VALUES ('01a23374-5d4b-7578-bad8-1300e1a853c6', '01a23373-975d-70a6-910d-c065b07f9161', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', '01a23373-cb35-70e3-ae16-c4b9ae91870e', '8535355349067242', NULL, 'active', NULL, NULL, '2026-12-01 21:13:13.810048+00', NULL, NULL);
INSERT INTO public.cards (id, group_id, member_id, card_type_id, number, uid, status, primary_card_id, spend_limit, issued_at, expires_at, replaced_by) VALUES ('01a23374-5f85-748d-bb44-17790d5930ee', '01a23373-975d-70a6-910d-c065b07f9161', '01a23374-5f60-7447-a9f8-8966d63be6a1', '01a23373-cb35-70e3-ae16-c4b9ae91870e', '8078063437916709', NULL, 'active', NULL, NULL, '2026-12-01 21:13:14.384057+00', NULL, NULL);
INSERT INTO public.cards (id, group_id, member_id, card_type_id, number, uid, status, primary_card_id, spend_limit, issued_at, expires_at, replaced_by) VALUES ('01a23374-b348-7848-8b34-5cd82acfd588', '01a23373-975d-70a6-910d-c065b07f9161', '01a23374-587d-734c-a85d-665de617202c', '01a23373-cb62-7dce-8d35-9c0bfafa2b6e', '8147171687391680', NULL, 'active', NULL, NULL, '2026-12-01 21:13:35.816635+00', NULL, NULL);
INSERT INTO public.cards (id, group_id, member_id, card_type_id, number, uid, status, primary_card_id, spend_limit, issued_at, expires_at, replaced_by) VALUES ('01a23374-b5d4-7aac-ac41-89055ecd17fe', '01a23373-975d-70a6-910d-c065b07f9161', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', '01a23373-cb62-7dce-8d35-9c0bfafa2b6e', '8221731265807301', NULL, 'active', NULL, NULL, '2026-12-01 21:13:36.468802+00', NULL, NULL);
INSERT INTO public.cards (id, group_id, member_id, card_type_id, number, uid, status, primary_card_id, spend_limit, issued_at, expires_at, replaced_by) VALUES ('01a23374-b745-7e52-a32a-59348a7d76e9', '01a23373-975d-70a6-910d-c065b07f9161', '01a23374-5f60-7447-a9f8-8966d63be6a1', '01a23373-cb62-7dce-8d35-9c0bfafa2b6e', '8478182356487546', NULL, 'active', NULL, NULL, '2026-12-01 21:13:36.840021+00', NULL, NULL);


--
-- Data for Name: bookings; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: card_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.card_events (id, card_id, group_id, action, from_status, to_status, operator_kind, operator_id, reason, details, at) VALUES ('01a23374-595c-79c3-9421-0bca2bddd6e3', '01a23374-593e-7c2f-a64a-1804d7eed712', '01a23373-975d-70a6-910d-c065b07f9161', 'issue', NULL, 'active', 'shopper', '01a23374-587d-734c-a85d-665de617202c', 'issued on registration', '{"number": "8951158621674890"}', '2026-12-01 21:13:12.79664+00');
INSERT INTO public.card_events (id, card_id, group_id, action, from_status, to_status, operator_kind, operator_id, reason, details, at) VALUES ('01a23374-5d5c-75c5-a032-160e5436e23b', '01a23374-5d4b-7578-bad8-1300e1a853c6', '01a23373-975d-70a6-910d-c065b07f9161', 'issue', NULL, 'active', 'shopper', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', 'issued on registration', '{"number": "8535355349067242"}', '2026-12-01 21:13:13.820378+00');
INSERT INTO public.card_events (id, card_id, group_id, action, from_status, to_status, operator_kind, operator_id, reason, details, at) VALUES ('01a23374-5f91-7b3b-981e-dbe48140dd40', '01a23374-5f85-748d-bb44-17790d5930ee', '01a23373-975d-70a6-910d-c065b07f9161', 'issue', NULL, 'active', 'shopper', '01a23374-5f60-7447-a9f8-8966d63be6a1', 'issued on registration', '{"number": "8078063437916709"}', '2026-12-01 21:13:14.385736+00');
INSERT INTO public.card_events (id, card_id, group_id, action, from_status, to_status, operator_kind, operator_id, reason, details, at) VALUES ('01a23374-b350-74cd-a186-55839df03897', '01a23374-b348-7848-8b34-5cd82acfd588', '01a23373-975d-70a6-910d-c065b07f9161', 'issue', NULL, 'active', 'staff', '01a23373-ad04-7a28-aae5-8ce15bdd75a4', '', '{"number": "8147171687391680"}', '2026-12-01 21:13:35.824315+00');
INSERT INTO public.card_events (id, card_id, group_id, action, from_status, to_status, operator_kind, operator_id, reason, details, at) VALUES ('01a23374-b5e0-7060-bb31-2d7e467d6323', '01a23374-b5d4-7aac-ac41-89055ecd17fe', '01a23373-975d-70a6-910d-c065b07f9161', 'issue', NULL, 'active', 'staff', '01a23373-ad04-7a28-aae5-8ce15bdd75a4', '', '{"number": "8221731265807301"}', '2026-12-01 21:13:36.480025+00');
INSERT INTO public.card_events (id, card_id, group_id, action, from_status, to_status, operator_kind, operator_id, reason, details, at) VALUES ('01a23374-b74b-7340-83db-09830a2ef469', '01a23374-b745-7e52-a32a-59348a7d76e9', '01a23373-975d-70a6-910d-c065b07f9161', 'issue', NULL, 'active', 'staff', '01a23373-ad04-7a28-aae5-8ce15bdd75a4', '', '{"number": "8478182356487546"}', '2026-12-01 21:13:36.843213+00');


--
-- Data for Name: coupon_templates; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.coupon_templates (id, mall_id, name, kind, face_value, percent_off, parking_hours, min_spend, merchant_ids, categories, valid_from, valid_until, valid_days, windows, total_stock, per_member, budget_cap, stacking, funder, status, claimed_count, budget_used, redeemed_count, gate_epoch, created_at) VALUES ('01a23373-cbec-7e1e-8420-92340f059046', '01a23373-979a-7a08-ad98-341fcd85ebb1', '¥20 off ¥100', 'cash', 20.00, NULL, NULL, 100.00, '{}', '{}', NULL, NULL, 30, '[]', 1000, 1, NULL, 'exclusive', 'mall', 'active', 0, 0.00, 0, 1, '2026-12-01 21:12:36.59123+00');
INSERT INTO public.coupon_templates (id, mall_id, name, kind, face_value, percent_off, parking_hours, min_spend, merchant_ids, categories, valid_from, valid_until, valid_days, windows, total_stock, per_member, budget_cap, stacking, funder, status, claimed_count, budget_used, redeemed_count, gate_epoch, created_at) VALUES ('01a23373-cc73-749d-8ba2-e6ca3372b1c9', '01a23373-979a-7a08-ad98-341fcd85ebb1', 'Flash sale: ¥50 off ¥200', 'cash', 50.00, NULL, NULL, 200.00, '{}', '{}', NULL, NULL, 30, '[]', 100, 1, NULL, 'exclusive', 'merchant', 'active', 0, 0.00, 0, 1, '2026-12-01 21:12:36.733258+00');
INSERT INTO public.coupon_templates (id, mall_id, name, kind, face_value, percent_off, parking_hours, min_spend, merchant_ids, categories, valid_from, valid_until, valid_days, windows, total_stock, per_member, budget_cap, stacking, funder, status, claimed_count, budget_used, redeemed_count, gate_epoch, created_at) VALUES ('01a23373-cd2e-7628-ae5f-41075a7f9ff2', '01a23373-979a-7a08-ad98-341fcd85ebb1', '10% off food', 'percent', 30.00, 10.00, NULL, 0.00, '{}', '{food}', NULL, NULL, 30, '[]', 500, 2, NULL, 'stackable', 'mall', 'active', 0, 0.00, 0, 1, '2026-12-01 21:12:36.912991+00');
INSERT INTO public.coupon_templates (id, mall_id, name, kind, face_value, percent_off, parking_hours, min_spend, merchant_ids, categories, valid_from, valid_until, valid_days, windows, total_stock, per_member, budget_cap, stacking, funder, status, claimed_count, budget_used, redeemed_count, gate_epoch, created_at) VALUES ('01a23373-cea3-7d86-bb0f-c84ab4b5381a', '01a23373-979a-7a08-ad98-341fcd85ebb1', 'Free coffee', 'gift', 25.00, NULL, NULL, 0.00, '{}', '{}', NULL, NULL, 30, '[]', 300, 1, NULL, 'exclusive', 'mall', 'active', 3, 75.00, 0, 1, '2026-12-01 21:12:37.283961+00');
INSERT INTO public.coupon_templates (id, mall_id, name, kind, face_value, percent_off, parking_hours, min_spend, merchant_ids, categories, valid_from, valid_until, valid_days, windows, total_stock, per_member, budget_cap, stacking, funder, status, claimed_count, budget_used, redeemed_count, gate_epoch, created_at) VALUES ('01a23373-cdd7-7049-a3e2-9307c3be9e33', '01a23373-979a-7a08-ad98-341fcd85ebb1', '2 hours free parking', 'parking', 0.00, NULL, 2, 0.00, '{}', '{}', NULL, NULL, 30, '[]', 2000, 4, NULL, 'exclusive', 'mall', 'active', 3, 0.00, 0, 1, '2026-12-01 21:12:37.081592+00');


--
-- Data for Name: coupon_member_claims; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.coupon_member_claims (template_id, member_id, claimed) VALUES ('01a23373-cea3-7d86-bb0f-c84ab4b5381a', '01a23374-587d-734c-a85d-665de617202c', 1);
INSERT INTO public.coupon_member_claims (template_id, member_id, claimed) VALUES ('01a23373-cdd7-7049-a3e2-9307c3be9e33', '01a23374-587d-734c-a85d-665de617202c', 1);
INSERT INTO public.coupon_member_claims (template_id, member_id, claimed) VALUES ('01a23373-cea3-7d86-bb0f-c84ab4b5381a', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', 1);
INSERT INTO public.coupon_member_claims (template_id, member_id, claimed) VALUES ('01a23373-cdd7-7049-a3e2-9307c3be9e33', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', 1);
INSERT INTO public.coupon_member_claims (template_id, member_id, claimed) VALUES ('01a23373-cea3-7d86-bb0f-c84ab4b5381a', '01a23374-5f60-7447-a9f8-8966d63be6a1', 1);
INSERT INTO public.coupon_member_claims (template_id, member_id, claimed) VALUES ('01a23373-cdd7-7049-a3e2-9307c3be9e33', '01a23374-5f60-7447-a9f8-8966d63be6a1', 1);


--
-- Data for Name: coupon_segment_runs; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: coupons; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.coupons (id, template_id, member_id, seq, source, status, valid_from, valid_until, used_at, used_ref, created_at, discount, funder) VALUES ('01a23374-5b44-7c44-b396-14a623cdab61', '01a23373-cea3-7d86-bb0f-c84ab4b5381a', '01a23374-587d-734c-a85d-665de617202c', 1, 'claim', 'issued', '2026-12-01 21:13:13+00', '2026-12-31 21:13:13+00', NULL, NULL, '2026-12-01 21:13:13.256046+00', NULL, NULL);
INSERT INTO public.coupons (id, template_id, member_id, seq, source, status, valid_from, valid_until, used_at, used_ref, created_at, discount, funder) VALUES ('01a23374-5c26-7cab-a848-024765f22be4', '01a23373-cdd7-7049-a3e2-9307c3be9e33', '01a23374-587d-734c-a85d-665de617202c', 1, 'claim', 'issued', '2026-12-01 21:13:13+00', '2026-12-31 21:13:13+00', NULL, NULL, '2026-12-01 21:13:13.508224+00', NULL, NULL);
INSERT INTO public.coupons (id, template_id, member_id, seq, source, status, valid_from, valid_until, used_at, used_ref, created_at, discount, funder) VALUES ('01a23374-5e2d-7648-9409-a455b5e8ab7f', '01a23373-cea3-7d86-bb0f-c84ab4b5381a', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', 1, 'claim', 'issued', '2026-12-01 21:13:14+00', '2026-12-31 21:13:14+00', NULL, NULL, '2026-12-01 21:13:14.010192+00', NULL, NULL);
INSERT INTO public.coupons (id, template_id, member_id, seq, source, status, valid_from, valid_until, used_at, used_ref, created_at, discount, funder) VALUES ('01a23374-5eb7-79b3-9b63-c7f041501d5b', '01a23373-cdd7-7049-a3e2-9307c3be9e33', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', 1, 'claim', 'issued', '2026-12-01 21:13:14+00', '2026-12-31 21:13:14+00', NULL, NULL, '2026-12-01 21:13:14.163635+00', NULL, NULL);
INSERT INTO public.coupons (id, template_id, member_id, seq, source, status, valid_from, valid_until, used_at, used_ref, created_at, discount, funder) VALUES ('01a23374-60df-7010-a340-985dbdafb5ee', '01a23373-cea3-7d86-bb0f-c84ab4b5381a', '01a23374-5f60-7447-a9f8-8966d63be6a1', 1, 'claim', 'issued', '2026-12-01 21:13:14+00', '2026-12-31 21:13:14+00', NULL, NULL, '2026-12-01 21:13:14.708826+00', NULL, NULL);
INSERT INTO public.coupons (id, template_id, member_id, seq, source, status, valid_from, valid_until, used_at, used_ref, created_at, discount, funder) VALUES ('01a23374-6154-775d-b31f-a05fa7f92f19', '01a23373-cdd7-7049-a3e2-9307c3be9e33', '01a23374-5f60-7447-a9f8-8966d63be6a1', 1, 'claim', 'issued', '2026-12-01 21:13:14+00', '2026-12-31 21:13:14+00', NULL, NULL, '2026-12-01 21:13:14.825397+00', NULL, NULL);


--
-- Data for Name: dead_letters; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: device_alarms; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: face_consents; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: gifts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.gifts (id, mall_id, name, points_cost, stock, exchanged, template_id) VALUES ('01a23373-d0df-782a-b7b9-e0f709e72404', '01a23373-979a-7a08-ad98-341fcd85ebb1', 'Atrium tote bag', 800, 50, 0, NULL);


--
-- Data for Name: gift_exchanges; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('coupons.claim:01a23374-587d-734c-a85d-665de617202c', 'fx-claim-0-0', '\x75e9ab25840ad7e5434680ee4c0a87a8d4fba48de7460a245f8206e38aec71d3', '{"ID": "01a23374-5b44-7c44-b396-14a623cdab61", "Seq": 1, "Token": "AQAAAAEBAaIzdFt4eLSPL30g7Ag86AGiM3RYfXNMqF1mXeYXICxrDzhpazbFaY3HLDet2bCr7LyhCb_nmy5VXBQU6VgCwvWymfC575qhNNWCBBLmkq8S7ZMDqqalGAzczfwipl91pBjlPRNsFlW9pQo5TtsYCQ", "CodeID": "01a23374-5b78-78b4-8f2f-7d20ec083ce8", "Source": "claim", "Status": "issued", "UsedAt": null, "Numeric": "706138453065", "MemberID": "01a23374-587d-734c-a85d-665de617202c", "ValidFrom": "2026-12-01T21:13:13Z", "TemplateID": "01a23373-cea3-7d86-bb0f-c84ab4b5381a", "ValidUntil": "2026-12-31T21:13:13Z"}', '2026-12-01 21:13:13.256046+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('coupons.claim:01a23374-587d-734c-a85d-665de617202c', 'fx-claim-0-1', '\xfe842d219d59eb3f888dea6c785014de808ac54b63fee432a7a92c0a4e74e2b5', '{"ID": "01a23374-5c26-7cab-a848-024765f22be4", "Seq": 1, "Token": "AQAAAAEBAaIzdFwrc9Gu3FIB7jcyiQGiM3RYfXNMqF1mXeYXICxrDzhpazbFaW9kg0qek68KJXiINN_O1iyN1bJOWrqgY6LcgtiE5i6XHD471RfYqxdWgTrOPUcvgtY1VL5XqeMf0OqpsYg6sS1zFa4U-3VIDg", "CodeID": "01a23374-5c2b-73d1-aedc-5201ee373289", "Source": "claim", "Status": "issued", "UsedAt": null, "Numeric": "848590232239", "MemberID": "01a23374-587d-734c-a85d-665de617202c", "ValidFrom": "2026-12-01T21:13:13Z", "TemplateID": "01a23373-cdd7-7049-a3e2-9307c3be9e33", "ValidUntil": "2026-12-31T21:13:13Z"}', '2026-12-01 21:13:13.508224+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('coupons.claim:01a23374-5cee-7759-8fe9-c4b8e36f88d2', 'fx-claim-1-0', '\x75e9ab25840ad7e5434680ee4c0a87a8d4fba48de7460a245f8206e38aec71d3', '{"ID": "01a23374-5e2d-7648-9409-a455b5e8ab7f", "Seq": 1, "Token": "AQAAAAEBAaIzdF4vfMmCfi0-UB6LCgGiM3Rc7ndZj-nEuONviNJrDzhqazbFavf3cGeDjbZp86Ues_YJgh9zpdHlezy7fAZiSOp4bSKkyUS0QrC5M5B4BJ4LVEAmvybKpMw5M3GxcNJ842cfU4GQYl0zDWYIAg", "CodeID": "01a23374-5e2f-7cc9-827e-2d3e501e8b0a", "Source": "claim", "Status": "issued", "UsedAt": null, "Numeric": "571914813373", "MemberID": "01a23374-5cee-7759-8fe9-c4b8e36f88d2", "ValidFrom": "2026-12-01T21:13:14Z", "TemplateID": "01a23373-cea3-7d86-bb0f-c84ab4b5381a", "ValidUntil": "2026-12-31T21:13:14Z"}', '2026-12-01 21:13:14.010192+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('coupons.claim:01a23374-5cee-7759-8fe9-c4b8e36f88d2', 'fx-claim-1-1', '\xfe842d219d59eb3f888dea6c785014de808ac54b63fee432a7a92c0a4e74e2b5', '{"ID": "01a23374-5eb7-79b3-9b63-c7f041501d5b", "Seq": 1, "Token": "AQAAAAEBAaIzdF68fvSgG06UqB_q7wGiM3Rc7ndZj-nEuONviNJrDzhqazbFarz_j4hSw90HrzOkEscYPXVuQmDLiGa7hCyET7GYYCqH4FWrQsaP3PIcFhCQ3CX5nGbUm8fs5Ag60D7_xsM47_Y8FZtItwyaAw", "CodeID": "01a23374-5ebc-7ef4-a01b-4e94a81feaef", "Source": "claim", "Status": "issued", "UsedAt": null, "Numeric": "786627415015", "MemberID": "01a23374-5cee-7759-8fe9-c4b8e36f88d2", "ValidFrom": "2026-12-01T21:13:14Z", "TemplateID": "01a23373-cdd7-7049-a3e2-9307c3be9e33", "ValidUntil": "2026-12-31T21:13:14Z"}', '2026-12-01 21:13:14.163635+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('coupons.claim:01a23374-5f60-7447-a9f8-8966d63be6a1', 'fx-claim-2-0', '\x75e9ab25840ad7e5434680ee4c0a87a8d4fba48de7460a245f8206e38aec71d3', '{"ID": "01a23374-60df-7010-a340-985dbdafb5ee", "Seq": 1, "Token": "AQAAAAEBAaIzdGDsdza0jdDmFg0spAGiM3RfYHRHqfiJZtY75qFrDzhqazbFajQUuRpU-IWh7Z_ov1-iCw2PVuQdl4aopCEnPFZs5VwBuClAlAHRB-1T1CVzffwoVkrk6aExy7zhFSv8CezxEvP4-mtbs5J6Bg", "CodeID": "01a23374-60ec-7736-b48d-d0e6160d2ca4", "Source": "claim", "Status": "issued", "UsedAt": null, "Numeric": "026867926631", "MemberID": "01a23374-5f60-7447-a9f8-8966d63be6a1", "ValidFrom": "2026-12-01T21:13:14Z", "TemplateID": "01a23373-cea3-7d86-bb0f-c84ab4b5381a", "ValidUntil": "2026-12-31T21:13:14Z"}', '2026-12-01 21:13:14.708826+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('coupons.claim:01a23374-5f60-7447-a9f8-8966d63be6a1', 'fx-claim-2-1', '\xfe842d219d59eb3f888dea6c785014de808ac54b63fee432a7a92c0a4e74e2b5', '{"ID": "01a23374-6154-775d-b31f-a05fa7f92f19", "Seq": 1, "Token": "AQAAAAEBAaIzdGFoc9Ok_yoM99gYhgGiM3RfYHRHqfiJZtY75qFrDzhqazbFamAdpseJ22dBYMGosJd5C8Ety676nAXeDkwazKKy_qear29PHja5YZ-fEST0vjjsRdzfYVHjFoNaot23Tc6puRzhQIs0Ms9gDQ", "CodeID": "01a23374-6168-73d3-a4ff-2a0cf7d81886", "Source": "claim", "Status": "issued", "UsedAt": null, "Numeric": "577392953029", "MemberID": "01a23374-5f60-7447-a9f8-8966d63be6a1", "ValidFrom": "2026-12-01T21:13:14Z", "TemplateID": "01a23373-cdd7-7049-a3e2-9307c3be9e33", "ValidUntil": "2026-12-31T21:13:14Z"}', '2026-12-01 21:13:14.825397+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('loyalty.recharge:01a23373-979a-7a08-ad98-341fcd85ebb1', 'fx-rc-0', '\xa71da9a5aae017207677da4009c27831f0f72ce306f4f8a23ce191c24c8a0d44', '{"id": "01a23374-b3d8-78a6-b45e-4fbbbc8bc97e", "bonus": "0", "amount": "500", "cardId": "01a23374-b348-7848-8b34-5cd82acfd588", "balance": "500"}', '2026-12-01 21:13:35.902078+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('loyalty.purchase:01a23373-97d0-752c-85b4-09498d591210', 'fx-p-0', '\x6bdaf792f8826bf27ffb254d857600e5c581e452a002de85a3d93cd07f23b4c6', '{"id": "01a23374-b47e-756d-b53a-2fff4e60dd28", "cash": "188.5", "amount": "188.5", "cardId": "01a23374-593e-7c2f-a64a-1804d7eed712", "mallId": "01a23373-979a-7a08-ad98-341fcd85ebb1", "tierId": "01a23373-cba0-74ef-837d-8358bcadf45e", "payable": "188.5", "memberId": "01a23374-587d-734c-a85d-665de617202c", "upgraded": true, "couponIds": null, "createdAt": "2026-12-01T21:13:36.087477657Z", "payCardId": "01a23374-593e-7c2f-a64a-1804d7eed712", "receiptNo": "FX-R-0", "mallFunded": "0", "merchantId": "01a23373-97d0-752c-85b4-09498d591210", "pointsUsed": "0", "pointsValue": "0", "storedValue": "0", "discountRate": "1", "pointsEarned": "188", "couponDiscount": "0"}', '2026-12-01 21:13:36.079183+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('loyalty.purchase:01a23373-97d0-752c-85b4-09498d591210', 'fx-s-0', '\x21d60d257d03ca9ee922dd4bdbd991ad07e057a255bd85fa6b7317ffba507e95', '{"id": "01a23374-b560-730a-bc9b-163cadd77ee7", "cash": "20", "amount": "120", "cardId": "01a23374-b348-7848-8b34-5cd82acfd588", "mallId": "01a23373-979a-7a08-ad98-341fcd85ebb1", "tierId": "01a23373-cba0-74ef-837d-8358bcadf45e", "payable": "120", "memberId": "01a23374-587d-734c-a85d-665de617202c", "upgraded": false, "couponIds": null, "createdAt": "2026-12-01T21:13:36.331510301Z", "payCardId": "01a23374-b348-7848-8b34-5cd82acfd588", "receiptNo": "FX-S-0", "mallFunded": "0", "merchantId": "01a23373-97d0-752c-85b4-09498d591210", "pointsUsed": "0", "pointsValue": "0", "storedValue": "100", "discountRate": "1", "pointsEarned": "120", "couponDiscount": "0"}', '2026-12-01 21:13:36.323442+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('loyalty.recharge:01a23373-979a-7a08-ad98-341fcd85ebb1', 'fx-rc-1', '\x807331c16dbb36f141ad1f471d52848474c9d51979ccbca9b0a658d13d4dae52', '{"id": "01a23374-b636-727e-bc37-4ef899e09115", "bonus": "0", "amount": "500", "cardId": "01a23374-b5d4-7aac-ac41-89055ecd17fe", "balance": "500"}', '2026-12-01 21:13:36.544807+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('loyalty.purchase:01a23373-97d0-752c-85b4-09498d591210', 'fx-p-1', '\x912dc7fb3a2350ebcc1bcf5902d309c0722a8354e11d80cddbca08f69c5d399d', '{"id": "01a23374-b6a0-76f1-b8cb-6a9bfd422a4a", "cash": "188.5", "amount": "188.5", "cardId": "01a23374-5d4b-7578-bad8-1300e1a853c6", "mallId": "01a23373-979a-7a08-ad98-341fcd85ebb1", "tierId": "01a23373-cba0-74ef-837d-8358bcadf45e", "payable": "188.5", "memberId": "01a23374-5cee-7759-8fe9-c4b8e36f88d2", "upgraded": true, "couponIds": null, "createdAt": "2026-12-01T21:13:36.645602482Z", "payCardId": "01a23374-5d4b-7578-bad8-1300e1a853c6", "receiptNo": "FX-R-1", "mallFunded": "0", "merchantId": "01a23373-97d0-752c-85b4-09498d591210", "pointsUsed": "0", "pointsValue": "0", "storedValue": "0", "discountRate": "1", "pointsEarned": "188", "couponDiscount": "0"}', '2026-12-01 21:13:36.644682+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('loyalty.purchase:01a23373-97d0-752c-85b4-09498d591210', 'fx-s-1', '\xdb0ef3648094436803263a4fdf7f1b697c4ba3913971c4d936a35b0d515eeaad', '{"id": "01a23374-b706-72cf-9783-53788882aa84", "cash": "20", "amount": "120", "cardId": "01a23374-b5d4-7aac-ac41-89055ecd17fe", "mallId": "01a23373-979a-7a08-ad98-341fcd85ebb1", "tierId": "01a23373-cba0-74ef-837d-8358bcadf45e", "payable": "120", "memberId": "01a23374-5cee-7759-8fe9-c4b8e36f88d2", "upgraded": false, "couponIds": null, "createdAt": "2026-12-01T21:13:36.748192499Z", "payCardId": "01a23374-b5d4-7aac-ac41-89055ecd17fe", "receiptNo": "FX-S-1", "mallFunded": "0", "merchantId": "01a23373-97d0-752c-85b4-09498d591210", "pointsUsed": "0", "pointsValue": "0", "storedValue": "100", "discountRate": "1", "pointsEarned": "120", "couponDiscount": "0"}', '2026-12-01 21:13:36.746646+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('loyalty.recharge:01a23373-979a-7a08-ad98-341fcd85ebb1', 'fx-rc-2', '\xbe25dab2d68afe0b53f104bcc36dda1b8fcde8058806b617d3c871fbdd5b3af5', '{"id": "01a23374-b79d-7e28-9a49-61fe80327f94", "bonus": "0", "amount": "500", "cardId": "01a23374-b745-7e52-a32a-59348a7d76e9", "balance": "500"}', '2026-12-01 21:13:36.923381+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('loyalty.purchase:01a23373-97d0-752c-85b4-09498d591210', 'fx-p-2', '\x28073199d83dfaedf5ce97b4804fedab2e1a90a71f753b7a69b3ad6be9519b7d', '{"id": "01a23374-b7c1-78ac-abde-aa0520d73e08", "cash": "188.5", "amount": "188.5", "cardId": "01a23374-5f85-748d-bb44-17790d5930ee", "mallId": "01a23373-979a-7a08-ad98-341fcd85ebb1", "tierId": "01a23373-cba0-74ef-837d-8358bcadf45e", "payable": "188.5", "memberId": "01a23374-5f60-7447-a9f8-8966d63be6a1", "upgraded": true, "couponIds": null, "createdAt": "2026-12-01T21:13:36.959360962Z", "payCardId": "01a23374-5f85-748d-bb44-17790d5930ee", "receiptNo": "FX-R-2", "mallFunded": "0", "merchantId": "01a23373-97d0-752c-85b4-09498d591210", "pointsUsed": "0", "pointsValue": "0", "storedValue": "0", "discountRate": "1", "pointsEarned": "188", "couponDiscount": "0"}', '2026-12-01 21:13:36.957936+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('loyalty.purchase:01a23373-97d0-752c-85b4-09498d591210', 'fx-s-2', '\x794b348218f7605f9706131d6a9dceff72e61fb6aac08d0964ca7782648fe752', '{"id": "01a23374-b808-7a99-acd8-35f4c2245663", "cash": "20", "amount": "120", "cardId": "01a23374-b745-7e52-a32a-59348a7d76e9", "mallId": "01a23373-979a-7a08-ad98-341fcd85ebb1", "tierId": "01a23373-cba0-74ef-837d-8358bcadf45e", "payable": "120", "memberId": "01a23374-5f60-7447-a9f8-8966d63be6a1", "upgraded": false, "couponIds": null, "createdAt": "2026-12-01T21:13:37.022165552Z", "payCardId": "01a23374-b745-7e52-a32a-59348a7d76e9", "receiptNo": "FX-S-2", "mallFunded": "0", "merchantId": "01a23373-97d0-752c-85b4-09498d591210", "pointsUsed": "0", "pointsValue": "0", "storedValue": "100", "discountRate": "1", "pointsEarned": "120", "couponDiscount": "0"}', '2026-12-01 21:13:37.021238+00');
INSERT INTO public.idempotency_keys (scope, key, request_hash, response, created_at) VALUES ('loyalty.refund:01a23373-97d0-752c-85b4-09498d591210', 'fx-ref-0', '\xcc801d6650315ea81e677ac75a694c91d9277b7f698c0c61486a0e9379725978', '{"id": "01a23374-b858-7d61-bc74-c254e98b5d56", "cash": "1.67", "amount": "10", "pointsBack": "0", "purchaseId": "01a23374-b560-730a-bc9b-163cadd77ee7", "storedValue": "8.33", "pointsClawed": "10", "couponFunding": "0", "couponsRestored": null}', '2026-12-01 21:13:37.097752+00');


--
-- Data for Name: iot_events; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: ledger_accounts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-5a28-743a-a47f-d13bcce5211d', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-593e-7c2f-a64a-1804d7eed712', 'cny', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-5a28-7440-86a3-df3310d2234c', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-593e-7c2f-a64a-1804d7eed712', 'uses', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-5a60-74fd-b9bb-4b4c08b45c98', '01a23373-975d-70a6-910d-c065b07f9161', 'issuance', '00000000-0000-0000-0000-000000000000', 'points', false, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-5a28-7434-a2c9-98dd250a916b', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-593e-7c2f-a64a-1804d7eed712', 'points', true, 5.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-5db7-7aee-9c2f-c128b6b0535e', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-5d4b-7578-bad8-1300e1a853c6', 'cny', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-5db7-7b02-a862-a7fbf4215f23', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-5d4b-7578-bad8-1300e1a853c6', 'uses', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-5db7-7ae9-9062-ca5eea9a0124', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-5d4b-7578-bad8-1300e1a853c6', 'points', true, 5.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-604c-7604-89eb-3e29e072ce80', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-5f85-748d-bb44-17790d5930ee', 'cny', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-604c-760b-a91b-f8ae9c3396bf', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-5f85-748d-bb44-17790d5930ee', 'uses', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-604c-75fe-b810-4c19a13be124', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-5f85-748d-bb44-17790d5930ee', 'points', true, 5.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b3be-7136-8cd8-066d1d6efdb4', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-b348-7848-8b34-5cd82acfd588', 'points', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b3be-7145-abfd-5a56e755da94', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-b348-7848-8b34-5cd82acfd588', 'uses', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b3e2-742a-a569-7234780529e9', '01a23373-975d-70a6-910d-c065b07f9161', 'outside', '00000000-0000-0000-0000-000000000000', 'cny', false, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-5a28-7441-8b30-09ae78c436c8', '01a23373-975d-70a6-910d-c065b07f9161', 'card_pending', '01a23374-593e-7c2f-a64a-1804d7eed712', 'points', true, 188.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b560-7af8-a10c-cd20c35f39fd', '01a23373-975d-70a6-910d-c065b07f9161', 'merchant', '01a23373-97d0-752c-85b4-09498d591210', 'cny', false, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b62d-7850-9805-63d21d57e39b', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-b5d4-7aac-ac41-89055ecd17fe', 'points', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b62d-785f-ba21-970c65b279d8', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-b5d4-7aac-ac41-89055ecd17fe', 'uses', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-5db7-7b03-848a-643b6cf9e562', '01a23373-975d-70a6-910d-c065b07f9161', 'card_pending', '01a23374-5d4b-7578-bad8-1300e1a853c6', 'points', true, 188.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b62d-7858-b569-7a9ace84bf7c', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-b5d4-7aac-ac41-89055ecd17fe', 'cny', true, 400.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b62d-7860-afe2-533a8c76b341', '01a23373-975d-70a6-910d-c065b07f9161', 'card_pending', '01a23374-b5d4-7aac-ac41-89055ecd17fe', 'points', true, 120.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b79c-79f6-ad31-46ec090dd338', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-b745-7e52-a32a-59348a7d76e9', 'points', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b79c-79ff-88ec-3f980b8a37d2', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-b745-7e52-a32a-59348a7d76e9', 'uses', true, 0.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-604c-760c-ada1-035a3fb0ff0f', '01a23373-975d-70a6-910d-c065b07f9161', 'card_pending', '01a23374-5f85-748d-bb44-17790d5930ee', 'points', true, 188.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b79c-79fa-b496-8a688c5509a7', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-b745-7e52-a32a-59348a7d76e9', 'cny', true, 400.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b79c-7a01-8943-faa9ca016688', '01a23373-975d-70a6-910d-c065b07f9161', 'card_pending', '01a23374-b745-7e52-a32a-59348a7d76e9', 'points', true, 120.00);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b3be-713e-9ad2-0805ff099208', '01a23373-975d-70a6-910d-c065b07f9161', 'card', '01a23374-b348-7848-8b34-5cd82acfd588', 'cny', true, 408.33);
INSERT INTO public.ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance) VALUES ('01a23374-b3be-7159-9706-1b8ab131dcaa', '01a23373-975d-70a6-910d-c065b07f9161', 'card_pending', '01a23374-b348-7848-8b34-5cd82acfd588', 'points', true, 110.00);


--
-- Data for Name: ledger_postings; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-5a3a-78ef-9e7f-d4d466cd479b', '01a23373-975d-70a6-910d-c065b07f9161', 'signin', 'signin:01a23373-cfc1-7a0f-9ee6-017369a4a31d:01a23374-587d-734c-a85d-665de617202c:2026-12-02', '', '2026-12-01 21:13:13.018688+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-5db8-7b32-a04e-b8ea87cf2aae', '01a23373-975d-70a6-910d-c065b07f9161', 'signin', 'signin:01a23373-cfc1-7a0f-9ee6-017369a4a31d:01a23374-5cee-7759-8fe9-c4b8e36f88d2:2026-12-02', '', '2026-12-01 21:13:13.912743+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-6054-7d49-a35f-4ad97cb568f3', '01a23373-975d-70a6-910d-c065b07f9161', 'signin', 'signin:01a23373-cfc1-7a0f-9ee6-017369a4a31d:01a23374-5f60-7447-a9f8-8966d63be6a1:2026-12-02', '', '2026-12-01 21:13:14.580881+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b3d8-78ec-baed-bfd37ac333d8', '01a23373-975d-70a6-910d-c065b07f9161', 'recharge', 'recharge:01a23374-b3d8-78a6-b45e-4fbbbc8bc97e', '', '2026-12-01 21:13:35.960595+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b48d-7b6c-9fac-88f2b3d123a8', '01a23373-975d-70a6-910d-c065b07f9161', 'earn', 'earn:01a23374-b47e-756d-b53a-2fff4e60dd28', 'FX-R-0', '2026-12-01 21:13:36.141753+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b560-732c-8e40-1d1febb26c1a', '01a23373-975d-70a6-910d-c065b07f9161', 'purchase', 'purchase:01a23374-b560-730a-bc9b-163cadd77ee7', 'FX-S-0', '2026-12-01 21:13:36.352212+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b568-72fd-97bb-3a629fcf359b', '01a23373-975d-70a6-910d-c065b07f9161', 'earn', 'earn:01a23374-b560-730a-bc9b-163cadd77ee7', 'FX-S-0', '2026-12-01 21:13:36.3602+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b636-728e-8e0d-0da6181e5ca6', '01a23373-975d-70a6-910d-c065b07f9161', 'recharge', 'recharge:01a23374-b636-727e-bc37-4ef899e09115', '', '2026-12-01 21:13:36.566175+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b6a3-7a03-9c42-dd29e1661d9a', '01a23373-975d-70a6-910d-c065b07f9161', 'earn', 'earn:01a23374-b6a0-76f1-b8cb-6a9bfd422a4a', 'FX-R-1', '2026-12-01 21:13:36.675662+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b706-731f-bf69-83caac82df90', '01a23373-975d-70a6-910d-c065b07f9161', 'purchase', 'purchase:01a23374-b706-72cf-9783-53788882aa84', 'FX-S-1', '2026-12-01 21:13:36.774209+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b714-7cff-9205-22510178a726', '01a23373-975d-70a6-910d-c065b07f9161', 'earn', 'earn:01a23374-b706-72cf-9783-53788882aa84', 'FX-S-1', '2026-12-01 21:13:36.788872+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b79d-7e35-9bdd-6b4f2ac6db44', '01a23373-975d-70a6-910d-c065b07f9161', 'recharge', 'recharge:01a23374-b79d-7e28-9a49-61fe80327f94', '', '2026-12-01 21:13:36.925938+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b7c3-7bd1-9d67-b6fe63f9b5ed', '01a23373-975d-70a6-910d-c065b07f9161', 'earn', 'earn:01a23374-b7c1-78ac-abde-aa0520d73e08', 'FX-R-2', '2026-12-01 21:13:36.96378+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b808-7ac2-bb23-f220f023ae93', '01a23373-975d-70a6-910d-c065b07f9161', 'purchase', 'purchase:01a23374-b808-7a99-acd8-35f4c2245663', 'FX-S-2', '2026-12-01 21:13:37.03271+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b80a-72f6-901b-d998dbeef258', '01a23373-975d-70a6-910d-c065b07f9161', 'earn', 'earn:01a23374-b808-7a99-acd8-35f4c2245663', 'FX-S-2', '2026-12-01 21:13:37.034197+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b858-7df9-9319-6c32d87c2857', '01a23373-975d-70a6-910d-c065b07f9161', 'refund', 'refund:01a23374-b858-7d61-bc74-c254e98b5d56', '', '2026-12-01 21:13:37.112919+00');
INSERT INTO public.ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ('01a23374-b866-761d-8cd4-f4248c928ae6', '01a23373-975d-70a6-910d-c065b07f9161', 'clawback', 'clawback:01a23374-b858-7d61-bc74-c254e98b5d56', 'FX-S-0', '2026-12-01 21:13:37.126415+00');


--
-- Data for Name: ledger_entries; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (1, '01a23374-5a3a-78ef-9e7f-d4d466cd479b', '01a23374-5a60-74fd-b9bb-4b4c08b45c98', 'points', -5.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (2, '01a23374-5a3a-78ef-9e7f-d4d466cd479b', '01a23374-5a28-7434-a2c9-98dd250a916b', 'points', 5.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (3, '01a23374-5db8-7b32-a04e-b8ea87cf2aae', '01a23374-5a60-74fd-b9bb-4b4c08b45c98', 'points', -5.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (4, '01a23374-5db8-7b32-a04e-b8ea87cf2aae', '01a23374-5db7-7ae9-9062-ca5eea9a0124', 'points', 5.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (5, '01a23374-6054-7d49-a35f-4ad97cb568f3', '01a23374-5a60-74fd-b9bb-4b4c08b45c98', 'points', -5.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (6, '01a23374-6054-7d49-a35f-4ad97cb568f3', '01a23374-604c-75fe-b810-4c19a13be124', 'points', 5.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (7, '01a23374-b3d8-78ec-baed-bfd37ac333d8', '01a23374-b3e2-742a-a569-7234780529e9', 'cny', -500.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (8, '01a23374-b3d8-78ec-baed-bfd37ac333d8', '01a23374-b3be-713e-9ad2-0805ff099208', 'cny', 500.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (9, '01a23374-b48d-7b6c-9fac-88f2b3d123a8', '01a23374-5a60-74fd-b9bb-4b4c08b45c98', 'points', -188.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (10, '01a23374-b48d-7b6c-9fac-88f2b3d123a8', '01a23374-5a28-7441-8b30-09ae78c436c8', 'points', 188.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (11, '01a23374-b560-732c-8e40-1d1febb26c1a', '01a23374-b3be-713e-9ad2-0805ff099208', 'cny', -100.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (12, '01a23374-b560-732c-8e40-1d1febb26c1a', '01a23374-b560-7af8-a10c-cd20c35f39fd', 'cny', 100.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (13, '01a23374-b568-72fd-97bb-3a629fcf359b', '01a23374-5a60-74fd-b9bb-4b4c08b45c98', 'points', -120.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (14, '01a23374-b568-72fd-97bb-3a629fcf359b', '01a23374-b3be-7159-9706-1b8ab131dcaa', 'points', 120.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (15, '01a23374-b636-728e-8e0d-0da6181e5ca6', '01a23374-b3e2-742a-a569-7234780529e9', 'cny', -500.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (16, '01a23374-b636-728e-8e0d-0da6181e5ca6', '01a23374-b62d-7858-b569-7a9ace84bf7c', 'cny', 500.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (17, '01a23374-b6a3-7a03-9c42-dd29e1661d9a', '01a23374-5a60-74fd-b9bb-4b4c08b45c98', 'points', -188.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (18, '01a23374-b6a3-7a03-9c42-dd29e1661d9a', '01a23374-5db7-7b03-848a-643b6cf9e562', 'points', 188.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (19, '01a23374-b706-731f-bf69-83caac82df90', '01a23374-b62d-7858-b569-7a9ace84bf7c', 'cny', -100.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (20, '01a23374-b706-731f-bf69-83caac82df90', '01a23374-b560-7af8-a10c-cd20c35f39fd', 'cny', 100.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (21, '01a23374-b714-7cff-9205-22510178a726', '01a23374-5a60-74fd-b9bb-4b4c08b45c98', 'points', -120.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (22, '01a23374-b714-7cff-9205-22510178a726', '01a23374-b62d-7860-afe2-533a8c76b341', 'points', 120.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (23, '01a23374-b79d-7e35-9bdd-6b4f2ac6db44', '01a23374-b3e2-742a-a569-7234780529e9', 'cny', -500.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (24, '01a23374-b79d-7e35-9bdd-6b4f2ac6db44', '01a23374-b79c-79fa-b496-8a688c5509a7', 'cny', 500.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (25, '01a23374-b7c3-7bd1-9d67-b6fe63f9b5ed', '01a23374-5a60-74fd-b9bb-4b4c08b45c98', 'points', -188.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (26, '01a23374-b7c3-7bd1-9d67-b6fe63f9b5ed', '01a23374-604c-760c-ada1-035a3fb0ff0f', 'points', 188.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (27, '01a23374-b808-7ac2-bb23-f220f023ae93', '01a23374-b79c-79fa-b496-8a688c5509a7', 'cny', -100.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (28, '01a23374-b808-7ac2-bb23-f220f023ae93', '01a23374-b560-7af8-a10c-cd20c35f39fd', 'cny', 100.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (29, '01a23374-b80a-72f6-901b-d998dbeef258', '01a23374-5a60-74fd-b9bb-4b4c08b45c98', 'points', -120.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (30, '01a23374-b80a-72f6-901b-d998dbeef258', '01a23374-b79c-7a01-8943-faa9ca016688', 'points', 120.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (31, '01a23374-b858-7df9-9319-6c32d87c2857', '01a23374-b560-7af8-a10c-cd20c35f39fd', 'cny', -8.33);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (32, '01a23374-b858-7df9-9319-6c32d87c2857', '01a23374-b3be-713e-9ad2-0805ff099208', 'cny', 8.33);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (33, '01a23374-b866-761d-8cd4-f4248c928ae6', '01a23374-5a60-74fd-b9bb-4b4c08b45c98', 'points', 10.00);
INSERT INTO public.ledger_entries (id, posting_id, account_id, asset, amount) OVERRIDING SYSTEM VALUE VALUES (34, '01a23374-b866-761d-8cd4-f4248c928ae6', '01a23374-b3be-7159-9706-1b8ab131dcaa', 'points', -10.00);


--
-- Data for Name: ledger_lots; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at) VALUES ('01a23374-5a7e-752c-ab12-95730fffb370', '01a23374-5a28-7434-a2c9-98dd250a916b', '01a23374-593e-7c2f-a64a-1804d7eed712', 'available', 5.00, 5.00, '2026-12-01 21:13:13.018547+00', '2027-12-01 21:13:13.018547+00', '01a23374-5a3a-78ef-9e7f-d4d466cd479b', '2026-12-01 21:13:13.018551+00');
INSERT INTO public.ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at) VALUES ('01a23374-5dbb-7887-b0b0-82b8236240b7', '01a23374-5db7-7ae9-9062-ca5eea9a0124', '01a23374-5d4b-7578-bad8-1300e1a853c6', 'available', 5.00, 5.00, '2026-12-01 21:13:13.912726+00', '2027-12-01 21:13:13.912726+00', '01a23374-5db8-7b32-a04e-b8ea87cf2aae', '2026-12-01 21:13:13.91273+00');
INSERT INTO public.ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at) VALUES ('01a23374-606b-7f09-bded-4a6cd3e3d2de', '01a23374-604c-75fe-b810-4c19a13be124', '01a23374-5f85-748d-bb44-17790d5930ee', 'available', 5.00, 5.00, '2026-12-01 21:13:14.580858+00', '2027-12-01 21:13:14.580858+00', '01a23374-6054-7d49-a35f-4ad97cb568f3', '2026-12-01 21:13:14.580863+00');
INSERT INTO public.ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at) VALUES ('01a23374-b490-7d6d-8ee6-ce1ed3e031dd', '01a23374-5a28-7434-a2c9-98dd250a916b', '01a23374-593e-7c2f-a64a-1804d7eed712', 'pending', 188.00, 188.00, '2026-12-08 21:13:36.087477+00', '2027-12-02 16:00:00+00', '01a23374-b48d-7b6c-9fac-88f2b3d123a8', '2026-12-01 21:13:36.141738+00');
INSERT INTO public.ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at) VALUES ('01a23374-b6a9-7ab8-8a12-d4ba27b5913a', '01a23374-5db7-7ae9-9062-ca5eea9a0124', '01a23374-5d4b-7578-bad8-1300e1a853c6', 'pending', 188.00, 188.00, '2026-12-08 21:13:36.645602+00', '2027-12-02 16:00:00+00', '01a23374-b6a3-7a03-9c42-dd29e1661d9a', '2026-12-01 21:13:36.675651+00');
INSERT INTO public.ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at) VALUES ('01a23374-b71a-7800-8f25-5e50335113c7', '01a23374-b62d-7850-9805-63d21d57e39b', '01a23374-b5d4-7aac-ac41-89055ecd17fe', 'pending', 120.00, 120.00, '2026-12-08 21:13:36.748192+00', '2027-12-02 16:00:00+00', '01a23374-b714-7cff-9205-22510178a726', '2026-12-01 21:13:36.788843+00');
INSERT INTO public.ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at) VALUES ('01a23374-b7cf-78ba-982c-d6a8c0eb6a5b', '01a23374-604c-75fe-b810-4c19a13be124', '01a23374-5f85-748d-bb44-17790d5930ee', 'pending', 188.00, 188.00, '2026-12-08 21:13:36.95936+00', '2027-12-02 16:00:00+00', '01a23374-b7c3-7bd1-9d67-b6fe63f9b5ed', '2026-12-01 21:13:36.96377+00');
INSERT INTO public.ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at) VALUES ('01a23374-b80b-7059-86e0-7d109b63bbf5', '01a23374-b79c-79f6-ad31-46ec090dd338', '01a23374-b745-7e52-a32a-59348a7d76e9', 'pending', 120.00, 120.00, '2026-12-08 21:13:37.022165+00', '2027-12-02 16:00:00+00', '01a23374-b80a-72f6-901b-d998dbeef258', '2026-12-01 21:13:37.034191+00');
INSERT INTO public.ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at) VALUES ('01a23374-b56f-726d-abaf-98ccaa43efca', '01a23374-b3be-7136-8cd8-066d1d6efdb4', '01a23374-b348-7848-8b34-5cd82acfd588', 'pending', 120.00, 110.00, '2026-12-08 21:13:36.33151+00', '2027-12-02 16:00:00+00', '01a23374-b568-72fd-97bb-3a629fcf359b', '2026-12-01 21:13:36.360192+00');


--
-- Data for Name: ledger_lot_moves; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ledger_lot_moves (id, lot_id, posting_id, amount) OVERRIDING SYSTEM VALUE VALUES (1, '01a23374-5a7e-752c-ab12-95730fffb370', '01a23374-5a3a-78ef-9e7f-d4d466cd479b', 5.00);
INSERT INTO public.ledger_lot_moves (id, lot_id, posting_id, amount) OVERRIDING SYSTEM VALUE VALUES (2, '01a23374-5dbb-7887-b0b0-82b8236240b7', '01a23374-5db8-7b32-a04e-b8ea87cf2aae', 5.00);
INSERT INTO public.ledger_lot_moves (id, lot_id, posting_id, amount) OVERRIDING SYSTEM VALUE VALUES (3, '01a23374-606b-7f09-bded-4a6cd3e3d2de', '01a23374-6054-7d49-a35f-4ad97cb568f3', 5.00);
INSERT INTO public.ledger_lot_moves (id, lot_id, posting_id, amount) OVERRIDING SYSTEM VALUE VALUES (4, '01a23374-b490-7d6d-8ee6-ce1ed3e031dd', '01a23374-b48d-7b6c-9fac-88f2b3d123a8', 188.00);
INSERT INTO public.ledger_lot_moves (id, lot_id, posting_id, amount) OVERRIDING SYSTEM VALUE VALUES (5, '01a23374-b56f-726d-abaf-98ccaa43efca', '01a23374-b568-72fd-97bb-3a629fcf359b', 120.00);
INSERT INTO public.ledger_lot_moves (id, lot_id, posting_id, amount) OVERRIDING SYSTEM VALUE VALUES (6, '01a23374-b6a9-7ab8-8a12-d4ba27b5913a', '01a23374-b6a3-7a03-9c42-dd29e1661d9a', 188.00);
INSERT INTO public.ledger_lot_moves (id, lot_id, posting_id, amount) OVERRIDING SYSTEM VALUE VALUES (7, '01a23374-b71a-7800-8f25-5e50335113c7', '01a23374-b714-7cff-9205-22510178a726', 120.00);
INSERT INTO public.ledger_lot_moves (id, lot_id, posting_id, amount) OVERRIDING SYSTEM VALUE VALUES (8, '01a23374-b7cf-78ba-982c-d6a8c0eb6a5b', '01a23374-b7c3-7bd1-9d67-b6fe63f9b5ed', 188.00);
INSERT INTO public.ledger_lot_moves (id, lot_id, posting_id, amount) OVERRIDING SYSTEM VALUE VALUES (9, '01a23374-b80b-7059-86e0-7d109b63bbf5', '01a23374-b80a-72f6-901b-d998dbeef258', 120.00);
INSERT INTO public.ledger_lot_moves (id, lot_id, posting_id, amount) OVERRIDING SYSTEM VALUE VALUES (10, '01a23374-b56f-726d-abaf-98ccaa43efca', '01a23374-b866-761d-8cd4-f4248c928ae6', -10.00);


--
-- Data for Name: lotteries; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.lotteries (id, mall_id, name, cost_points, active, created_at) VALUES ('01a23373-d067-770a-a330-1a59748f5f28', '01a23373-979a-7a08-ad98-341fcd85ebb1', 'Lucky draw', 50, true, '2026-12-01 21:12:37.735726+00');


--
-- Data for Name: lottery_prizes; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.lottery_prizes (id, lottery_id, name, odds, stock, won, points, template_id) VALUES ('01a23373-d06e-732b-b63e-90e414f80f18', '01a23373-d067-770a-a330-1a59748f5f28', '500 points', 0.050000, 20, 0, 500, NULL);
INSERT INTO public.lottery_prizes (id, lottery_id, name, odds, stock, won, points, template_id) VALUES ('01a23373-d09b-75af-9877-77d1da911bd1', '01a23373-d067-770a-a330-1a59748f5f28', 'Free coffee', 0.200000, 100, 0, 0, '01a23373-cea3-7d86-bb0f-c84ab4b5381a');


--
-- Data for Name: lottery_draws; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: merchants; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.merchants (id, mall_id, code, name, category, kind, status, created_at) VALUES ('01a23373-97d0-752c-85b4-09498d591210', '01a23373-979a-7a08-ad98-341fcd85ebb1', 'COFFEE', 'Harbour Coffee', 'food', 'tenant', 'active', '2026-12-01 21:12:23.277142+00');
INSERT INTO public.merchants (id, mall_id, code, name, category, kind, status, created_at) VALUES ('01a23373-980f-7b34-ab07-b4ece9fae0f9', '01a23373-979a-7a08-ad98-341fcd85ebb1', 'BOOKS', 'Paper Lantern Books', 'books', 'tenant', 'active', '2026-12-01 21:12:23.311827+00');
INSERT INTO public.merchants (id, mall_id, code, name, category, kind, status, created_at) VALUES ('01a23373-982f-7794-a1c2-e5749ea69ecc', '01a23373-979a-7a08-ad98-341fcd85ebb1', 'FASHION', 'Silk Road Fashion', 'fashion', 'tenant', 'active', '2026-12-01 21:12:23.346869+00');
INSERT INTO public.merchants (id, mall_id, code, name, category, kind, status, created_at) VALUES ('01a23373-9854-7c7d-9baf-b4dba5513ea6', '01a23373-979a-7a08-ad98-341fcd85ebb1', 'TEAHOUSE', 'Old Town Teahouse', 'food', 'alliance', 'active', '2026-12-01 21:12:23.381046+00');


--
-- Data for Name: loyalty_earn_rules; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_earn_rules (id, group_id, merchant_id, category, points_per_yuan, cap_per_purchase) VALUES ('01a23373-cbd8-7516-a0b3-b370a57d49c6', '01a23373-975d-70a6-910d-c065b07f9161', NULL, NULL, 1.0000, NULL);


--
-- Data for Name: loyalty_notifications; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: loyalty_points_earned; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_points_earned (id, mall_id, member_id, month, points, created_at) VALUES ('01a23374-b4ab-7c97-a664-fdb9e2511dfe', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23374-587d-734c-a85d-665de617202c', '2026-12-01', 188.00, '2026-12-01 21:13:36.087477+00');
INSERT INTO public.loyalty_points_earned (id, mall_id, member_id, month, points, created_at) VALUES ('01a23374-b570-71e9-bdae-009458105033', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23374-587d-734c-a85d-665de617202c', '2026-12-01', 120.00, '2026-12-01 21:13:36.33151+00');
INSERT INTO public.loyalty_points_earned (id, mall_id, member_id, month, points, created_at) VALUES ('01a23374-b6af-7e43-a2ea-d18aa56023fd', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', '2026-12-01', 188.00, '2026-12-01 21:13:36.645602+00');
INSERT INTO public.loyalty_points_earned (id, mall_id, member_id, month, points, created_at) VALUES ('01a23374-b71e-72df-af01-363ce0ec90f1', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', '2026-12-01', 120.00, '2026-12-01 21:13:36.748192+00');
INSERT INTO public.loyalty_points_earned (id, mall_id, member_id, month, points, created_at) VALUES ('01a23374-b7d0-7829-a955-9c1ad115a4fe', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23374-5f60-7447-a9f8-8966d63be6a1', '2026-12-01', 188.00, '2026-12-01 21:13:36.95936+00');
INSERT INTO public.loyalty_points_earned (id, mall_id, member_id, month, points, created_at) VALUES ('01a23374-b80f-73f1-bc2d-76ddac2e80d8', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23374-5f60-7447-a9f8-8966d63be6a1', '2026-12-01', 120.00, '2026-12-01 21:13:37.022165+00');
INSERT INTO public.loyalty_points_earned (id, mall_id, member_id, month, points, created_at) VALUES ('01a23374-b89e-7d0e-a0ee-623f11035c26', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23374-587d-734c-a85d-665de617202c', '2026-12-01', -10.00, '2026-12-01 21:13:37.182846+00');


--
-- Data for Name: loyalty_programs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_programs (group_id, tier_basis, tier_window_days, points_expiry_days, return_window_days, point_value, transfer_max, transfer_daily_max, referral_points, referral_min_amount) VALUES ('01a23373-975d-70a6-910d-c065b07f9161', 'spend', 365, 365, 7, 0.0100, 5000, 20000, 200, 100.00);


--
-- Data for Name: loyalty_purchases; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id, pay_card_id, amount, discount_rate, payable, stored_value, points_used, points_value, points_pieces, cash, points_earned, earn_lot_id, refunded, created_at, coupon_discount, coupon_ids, mall_funded, refund_complete) VALUES ('01a23374-b47e-756d-b53a-2fff4e60dd28', '01a23373-975d-70a6-910d-c065b07f9161', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23373-97d0-752c-85b4-09498d591210', 'FX-R-0', '01a23374-587d-734c-a85d-665de617202c', '01a23374-593e-7c2f-a64a-1804d7eed712', '01a23374-593e-7c2f-a64a-1804d7eed712', 188.50, 1.0000, 188.50, 0.00, 0.00, 0.00, 'null', 188.50, 188.00, '01a23374-b490-7d6d-8ee6-ce1ed3e031dd', 0.00, '2026-12-01 21:13:36.087477+00', 0.00, '{}', 0.00, false);
INSERT INTO public.loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id, pay_card_id, amount, discount_rate, payable, stored_value, points_used, points_value, points_pieces, cash, points_earned, earn_lot_id, refunded, created_at, coupon_discount, coupon_ids, mall_funded, refund_complete) VALUES ('01a23374-b6a0-76f1-b8cb-6a9bfd422a4a', '01a23373-975d-70a6-910d-c065b07f9161', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23373-97d0-752c-85b4-09498d591210', 'FX-R-1', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', '01a23374-5d4b-7578-bad8-1300e1a853c6', '01a23374-5d4b-7578-bad8-1300e1a853c6', 188.50, 1.0000, 188.50, 0.00, 0.00, 0.00, 'null', 188.50, 188.00, '01a23374-b6a9-7ab8-8a12-d4ba27b5913a', 0.00, '2026-12-01 21:13:36.645602+00', 0.00, '{}', 0.00, false);
INSERT INTO public.loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id, pay_card_id, amount, discount_rate, payable, stored_value, points_used, points_value, points_pieces, cash, points_earned, earn_lot_id, refunded, created_at, coupon_discount, coupon_ids, mall_funded, refund_complete) VALUES ('01a23374-b706-72cf-9783-53788882aa84', '01a23373-975d-70a6-910d-c065b07f9161', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23373-97d0-752c-85b4-09498d591210', 'FX-S-1', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', '01a23374-b5d4-7aac-ac41-89055ecd17fe', '01a23374-b5d4-7aac-ac41-89055ecd17fe', 120.00, 1.0000, 120.00, 100.00, 0.00, 0.00, 'null', 20.00, 120.00, '01a23374-b71a-7800-8f25-5e50335113c7', 0.00, '2026-12-01 21:13:36.748192+00', 0.00, '{}', 0.00, false);
INSERT INTO public.loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id, pay_card_id, amount, discount_rate, payable, stored_value, points_used, points_value, points_pieces, cash, points_earned, earn_lot_id, refunded, created_at, coupon_discount, coupon_ids, mall_funded, refund_complete) VALUES ('01a23374-b7c1-78ac-abde-aa0520d73e08', '01a23373-975d-70a6-910d-c065b07f9161', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23373-97d0-752c-85b4-09498d591210', 'FX-R-2', '01a23374-5f60-7447-a9f8-8966d63be6a1', '01a23374-5f85-748d-bb44-17790d5930ee', '01a23374-5f85-748d-bb44-17790d5930ee', 188.50, 1.0000, 188.50, 0.00, 0.00, 0.00, 'null', 188.50, 188.00, '01a23374-b7cf-78ba-982c-d6a8c0eb6a5b', 0.00, '2026-12-01 21:13:36.95936+00', 0.00, '{}', 0.00, false);
INSERT INTO public.loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id, pay_card_id, amount, discount_rate, payable, stored_value, points_used, points_value, points_pieces, cash, points_earned, earn_lot_id, refunded, created_at, coupon_discount, coupon_ids, mall_funded, refund_complete) VALUES ('01a23374-b808-7a99-acd8-35f4c2245663', '01a23373-975d-70a6-910d-c065b07f9161', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23373-97d0-752c-85b4-09498d591210', 'FX-S-2', '01a23374-5f60-7447-a9f8-8966d63be6a1', '01a23374-b745-7e52-a32a-59348a7d76e9', '01a23374-b745-7e52-a32a-59348a7d76e9', 120.00, 1.0000, 120.00, 100.00, 0.00, 0.00, 'null', 20.00, 120.00, '01a23374-b80b-7059-86e0-7d109b63bbf5', 0.00, '2026-12-01 21:13:37.022165+00', 0.00, '{}', 0.00, false);
INSERT INTO public.loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id, pay_card_id, amount, discount_rate, payable, stored_value, points_used, points_value, points_pieces, cash, points_earned, earn_lot_id, refunded, created_at, coupon_discount, coupon_ids, mall_funded, refund_complete) VALUES ('01a23374-b560-730a-bc9b-163cadd77ee7', '01a23373-975d-70a6-910d-c065b07f9161', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23373-97d0-752c-85b4-09498d591210', 'FX-S-0', '01a23374-587d-734c-a85d-665de617202c', '01a23374-b348-7848-8b34-5cd82acfd588', '01a23374-b348-7848-8b34-5cd82acfd588', 120.00, 1.0000, 120.00, 100.00, 0.00, 0.00, 'null', 20.00, 120.00, '01a23374-b56f-726d-abaf-98ccaa43efca', 10.00, '2026-12-01 21:13:36.33151+00', 0.00, '{}', 0.00, false);


--
-- Data for Name: loyalty_recharge_rules; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: loyalty_recharges; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_recharges (id, group_id, mall_id, card_id, amount, bonus, staff_id, created_at) VALUES ('01a23374-b3d8-78a6-b45e-4fbbbc8bc97e', '01a23373-975d-70a6-910d-c065b07f9161', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23374-b348-7848-8b34-5cd82acfd588', 500.00, 0.00, '01a23373-ad04-7a28-aae5-8ce15bdd75a4', '2026-12-01 21:13:35.980892+00');
INSERT INTO public.loyalty_recharges (id, group_id, mall_id, card_id, amount, bonus, staff_id, created_at) VALUES ('01a23374-b636-727e-bc37-4ef899e09115', '01a23373-975d-70a6-910d-c065b07f9161', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23374-b5d4-7aac-ac41-89055ecd17fe', 500.00, 0.00, '01a23373-ad04-7a28-aae5-8ce15bdd75a4', '2026-12-01 21:13:36.584848+00');
INSERT INTO public.loyalty_recharges (id, group_id, mall_id, card_id, amount, bonus, staff_id, created_at) VALUES ('01a23374-b79d-7e28-9a49-61fe80327f94', '01a23373-975d-70a6-910d-c065b07f9161', '01a23373-979a-7a08-ad98-341fcd85ebb1', '01a23374-b745-7e52-a32a-59348a7d76e9', 500.00, 0.00, '01a23373-ad04-7a28-aae5-8ce15bdd75a4', '2026-12-01 21:13:36.933444+00');


--
-- Data for Name: loyalty_referrals; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: loyalty_refunds; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_refunds (id, purchase_id, amount, stored_value, points_back, points_clawed, cash, created_at, coupon_funding) VALUES ('01a23374-b858-7d61-bc74-c254e98b5d56', '01a23374-b560-730a-bc9b-163cadd77ee7', 10.00, 8.33, 0.00, 10.00, 1.67, '2026-12-01 21:13:37.184721+00', 0.00);


--
-- Data for Name: loyalty_transfers; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: member_faces; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202501; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202502; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202503; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202504; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202505; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202506; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202507; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202508; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202509; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202510; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202511; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202512; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202601; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202602; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202603; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202604; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202605; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202606; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202607; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202608; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202609; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202610; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202611; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202612; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202701; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202702; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202703; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202704; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202705; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202706; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202707; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202708; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202709; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202710; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202711; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202712; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202801; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202802; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202803; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202804; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202805; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202806; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202807; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202808; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202809; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202810; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202811; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202812; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202901; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202902; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202903; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202904; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202905; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202906; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202907; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202908; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202909; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202910; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202911; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_202912; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203001; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203002; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203003; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203004; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203005; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203006; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203007; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203008; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203009; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203010; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203011; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_203012; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_readings_default; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_replacements; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: signing_keys; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.signing_keys (id, public_key, private_key, active, created_at, sealed) VALUES (1, '\xbba8d878601ebd96124cb17bffcce298ef78b4dd2d2a74a869bddce48fde7099', '\x01865c148ab638d9c59a98631d967cb17dcb3b4c88977e6e5163afdc5137786ece9ba031db33b5109a634bddc0835b7f92efeeec1e01fd2bcec5f229be40cd3d62214164c8dd81d73564606a3c7c313db1053e625989e623af98452872', true, '2026-12-01 21:13:13.256046+00', true);


--
-- Data for Name: redemption_codes; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.redemption_codes (id, kind, subject_id, member_id, mall_id, merchant_ids, numeric_code, nonce, key_id, valid_from, valid_until, status, change_seq, created_at) VALUES ('01a23374-5b78-78b4-8f2f-7d20ec083ce8', 'coupon', '01a23374-5b44-7c44-b396-14a623cdab61', '01a23374-587d-734c-a85d-665de617202c', '01a23373-979a-7a08-ad98-341fcd85ebb1', '{}', '706138453065', '\x8dc72c37add9b0ab', 1, '2026-12-01 21:13:13+00', '2026-12-31 21:13:13+00', 'issued', 0, '2026-12-01 21:13:13.256046+00');
INSERT INTO public.redemption_codes (id, kind, subject_id, member_id, mall_id, merchant_ids, numeric_code, nonce, key_id, valid_from, valid_until, status, change_seq, created_at) VALUES ('01a23374-5c2b-73d1-aedc-5201ee373289', 'coupon', '01a23374-5c26-7cab-a848-024765f22be4', '01a23374-587d-734c-a85d-665de617202c', '01a23373-979a-7a08-ad98-341fcd85ebb1', '{}', '848590232239', '\x6f64834a9e93af0a', 1, '2026-12-01 21:13:13+00', '2026-12-31 21:13:13+00', 'issued', 0, '2026-12-01 21:13:13.508224+00');
INSERT INTO public.redemption_codes (id, kind, subject_id, member_id, mall_id, merchant_ids, numeric_code, nonce, key_id, valid_from, valid_until, status, change_seq, created_at) VALUES ('01a23374-5e2f-7cc9-827e-2d3e501e8b0a', 'coupon', '01a23374-5e2d-7648-9409-a455b5e8ab7f', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', '01a23373-979a-7a08-ad98-341fcd85ebb1', '{}', '571914813373', '\xf7f77067838db669', 1, '2026-12-01 21:13:14+00', '2026-12-31 21:13:14+00', 'issued', 0, '2026-12-01 21:13:14.010192+00');
INSERT INTO public.redemption_codes (id, kind, subject_id, member_id, mall_id, merchant_ids, numeric_code, nonce, key_id, valid_from, valid_until, status, change_seq, created_at) VALUES ('01a23374-5ebc-7ef4-a01b-4e94a81feaef', 'coupon', '01a23374-5eb7-79b3-9b63-c7f041501d5b', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', '01a23373-979a-7a08-ad98-341fcd85ebb1', '{}', '786627415015', '\xbcff8f8852c3dd07', 1, '2026-12-01 21:13:14+00', '2026-12-31 21:13:14+00', 'issued', 0, '2026-12-01 21:13:14.163635+00');
INSERT INTO public.redemption_codes (id, kind, subject_id, member_id, mall_id, merchant_ids, numeric_code, nonce, key_id, valid_from, valid_until, status, change_seq, created_at) VALUES ('01a23374-60ec-7736-b48d-d0e6160d2ca4', 'coupon', '01a23374-60df-7010-a340-985dbdafb5ee', '01a23374-5f60-7447-a9f8-8966d63be6a1', '01a23373-979a-7a08-ad98-341fcd85ebb1', '{}', '026867926631', '\x3414b91a54f885a1', 1, '2026-12-01 21:13:14+00', '2026-12-31 21:13:14+00', 'issued', 0, '2026-12-01 21:13:14.708826+00');
INSERT INTO public.redemption_codes (id, kind, subject_id, member_id, mall_id, merchant_ids, numeric_code, nonce, key_id, valid_from, valid_until, status, change_seq, created_at) VALUES ('01a23374-6168-73d3-a4ff-2a0cf7d81886', 'coupon', '01a23374-6154-775d-b31f-a05fa7f92f19', '01a23374-5f60-7447-a9f8-8966d63be6a1', '01a23373-979a-7a08-ad98-341fcd85ebb1', '{}', '577392953029', '\x601da6c789db6741', 1, '2026-12-01 21:13:14+00', '2026-12-31 21:13:14+00', 'issued', 0, '2026-12-01 21:13:14.825397+00');


--
-- Data for Name: offline_scans; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: patrol_checkpoints; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: patrol_routes; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: patrol_misses; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: patrol_route_points; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: patrol_scans; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: redemptions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: signin_campaigns; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.signin_campaigns (id, mall_id, name, daily_points, rewards, active, created_at) VALUES ('01a23373-cfc1-7a0f-9ee6-017369a4a31d', '01a23373-979a-7a08-ad98-341fcd85ebb1', 'Daily sign-in', 5, '[{"day": 3, "points": 20}, {"day": 7, "templateId": "01a23373-cdd7-7049-a3e2-9307c3be9e33"}]', true, '2026-12-01 21:12:37.582888+00');


--
-- Data for Name: signins; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.signins (campaign_id, member_id, day, streak, points, coupon_id, created_at) VALUES ('01a23373-cfc1-7a0f-9ee6-017369a4a31d', '01a23374-587d-734c-a85d-665de617202c', '2026-12-02', 1, 5, NULL, '2026-12-01 21:13:12.927223+00');
INSERT INTO public.signins (campaign_id, member_id, day, streak, points, coupon_id, created_at) VALUES ('01a23373-cfc1-7a0f-9ee6-017369a4a31d', '01a23374-5cee-7759-8fe9-c4b8e36f88d2', '2026-12-02', 1, 5, NULL, '2026-12-01 21:13:13.892264+00');
INSERT INTO public.signins (campaign_id, member_id, day, streak, points, coupon_id, created_at) VALUES ('01a23373-cfc1-7a0f-9ee6-017369a4a31d', '01a23374-5f60-7447-a9f8-8966d63be6a1', '2026-12-02', 1, 5, NULL, '2026-12-01 21:13:14.534787+00');


--
-- Data for Name: staff; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.staff (id, username, display_name, password_hash, status, created_at, last_login_at) VALUES ('01a23373-b604-7176-b03b-fc66290dcde4', 'ops', 'ops', '$2a$11$/UGx5e2/5i3lzAFprxPPt.STmyOcocSEmzebDPwAJBTfwgMYPTIZG', 'active', '2026-12-01 21:12:31.004147+00', NULL);
INSERT INTO public.staff (id, username, display_name, password_hash, status, created_at, last_login_at) VALUES ('01a23373-c11d-70ac-a45a-919599c06cab', 'guard', 'guard', '$2a$11$BOsvdFnt7LZa7rOF/YzL5ehTuHbNHGTg4o.6Gw56MRRYrySZRVKTO', 'active', '2026-12-01 21:12:33.875229+00', NULL);
INSERT INTO public.staff (id, username, display_name, password_hash, status, created_at, last_login_at) VALUES ('01a23373-a08c-7d56-b303-2c01fcaf4870', 'admin', 'admin', '$2a$11$yR6ouDFeCT1/ETAmosqcB.XfXyxGoRaPu3cuGtXN5LzSvvpZJdVxu', 'active', '2026-12-01 21:12:25.521857+00', '2026-12-01 21:13:33.506391+00');
INSERT INTO public.staff (id, username, display_name, password_hash, status, created_at, last_login_at) VALUES ('01a23373-ad04-7a28-aae5-8ce15bdd75a4', 'desk', 'desk', '$2a$11$cwT/z1VbVeHnOf3SCHKhEeH0I43u6Lxa1OGZcJOEpPxnzQ.jdVqOm', 'active', '2026-12-01 21:12:28.682027+00', '2026-12-01 21:13:34.379785+00');
INSERT INTO public.staff (id, username, display_name, password_hash, status, created_at, last_login_at) VALUES ('01a23373-cae1-7ac4-ade1-930a97b62233', 'coffee.cashier', 'coffee.cashier', '$2a$11$Li1IOi1TemXUp7xLR7a25uL2pR4cd3QF3.JPhVMey5FZlDzi5h8um', 'active', '2026-12-01 21:12:36.361469+00', '2026-12-01 21:13:35.4192+00');


--
-- Data for Name: staff_roles; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.staff_roles (staff_id, role, scope_level, scope_id) VALUES ('01a23373-a08c-7d56-b303-2c01fcaf4870', 'admin', 'group', '01a23373-975d-70a6-910d-c065b07f9161');
INSERT INTO public.staff_roles (staff_id, role, scope_level, scope_id) VALUES ('01a23373-ad04-7a28-aae5-8ce15bdd75a4', 'service_desk', 'mall', '01a23373-979a-7a08-ad98-341fcd85ebb1');
INSERT INTO public.staff_roles (staff_id, role, scope_level, scope_id) VALUES ('01a23373-b604-7176-b03b-fc66290dcde4', 'member_ops', 'mall', '01a23373-979a-7a08-ad98-341fcd85ebb1');
INSERT INTO public.staff_roles (staff_id, role, scope_level, scope_id) VALUES ('01a23373-c11d-70ac-a45a-919599c06cab', 'security', 'mall', '01a23373-979a-7a08-ad98-341fcd85ebb1');
INSERT INTO public.staff_roles (staff_id, role, scope_level, scope_id) VALUES ('01a23373-cae1-7ac4-ade1-930a97b62233', 'merchant_staff', 'merchant', '01a23373-97d0-752c-85b4-09498d591210');


--
-- Data for Name: vip_notices; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: visits; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: visit_awards; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: ledger_entries_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ledger_entries_id_seq', 34, true);


--
-- Name: ledger_lot_moves_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ledger_lot_moves_id_seq', 10, true);


--
-- Name: redemption_code_changes; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.redemption_code_changes', 1, false);


--
-- PostgreSQL database dump complete
--


