package sla_test

import (
	"time"

	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// slaCases are worked out by hand against the office calendar (Mon–Fri 09–12 and
// 13–18, 8 h a day) unless a case says otherwise; normal is 2 h response / 8 h
// resolution, low 4 h / 24 h, urgent 5 min / 2 h around the clock. 2026-03-03 is a
// Tuesday, 2026-03-06 a Friday, 2026-03-09 a Monday.
func slaCases() []slaCase {
	var all []slaCase
	for _, group := range [][]slaCase{hoursCases(), daysOffCases(), pauseCases(), priorityCases(), reopenCases(), stateCases()} {
		all = append(all, group...)
	}
	return all
}

func hoursCases() []slaCase {
	return []slaCase{
		{name: "inside hours: opened Tuesday 09:30", tl: normal(sh("2026-03-03 09:30")), now: sh("2026-03-03 10:00"),
			// response 09:30+2h = 11:30; resolution 09:30–12 2.5h, 13–18 5h (7.5h), Wed 09:00+0.5h.
			// next: response warning at 96 min = 11:06.
			want: want{respDeadline: sh("2026-03-03 11:30"), resDeadline: sh("2026-03-04 09:30"),
				respState: sla.OK, resElapsed: 30 * time.Minute, resPercent: 6, next: sh("2026-03-03 11:06")}},
		{name: "opened before opening starts at 09:00", tl: normal(sh("2026-03-03 07:15")), now: sh("2026-03-03 07:30"),
			// starts 09:00: response 11:00; resolution 09–12 3h + 13–18 5h = 8h, ends at closing 18:00.
			// nothing elapsed yet; next: response warning 09:00+96 min = 10:36.
			want: want{respDeadline: sh("2026-03-03 11:00"), resDeadline: sh("2026-03-03 18:00"),
				resState: sla.OK, next: sh("2026-03-03 10:36")}},
		{name: "opened during the lunch break starts at 13:00", tl: normal(sh("2026-03-03 12:20")), now: sh("2026-03-03 12:30"),
			// response 13:00+2h = 15:00; resolution 13–18 5h, Wed 09:00+3h = 12:00.
			want: want{respDeadline: sh("2026-03-03 15:00"), resDeadline: sh("2026-03-04 12:00")}},
		{name: "opened after closing starts next morning", tl: normal(sh("2026-03-03 19:00")), now: sh("2026-03-03 19:00"),
			// Wed 09:00 start: response 11:00, resolution the whole Wednesday, 18:00.
			want: want{respDeadline: sh("2026-03-04 11:00"), resDeadline: sh("2026-03-04 18:00")}},
		{name: "split-day hours skip the lunch break", tl: normal(sh("2026-03-03 11:00")), now: sh("2026-03-03 11:00"),
			// response 11–12 1h, 13:00+1h = 14:00; resolution 11–12 1h, 13–18 5h (6h), Wed 09:00+2h = 11:00.
			want: want{respDeadline: sh("2026-03-03 14:00"), resDeadline: sh("2026-03-04 11:00")}},
		{name: "deadline exactly at closing time is that evening, not next morning", tl: normal(sh("2026-03-03 16:00")), now: sh("2026-03-03 16:00"),
			// response 16–18 exactly fills the day: Tue 18:00 (not Wed 09:00);
			// resolution 2h Tue, Wed 09–12 3h, 13:00+3h = 16:00.
			want: want{respDeadline: sh("2026-03-03 18:00"), resDeadline: sh("2026-03-04 16:00")}},
		{name: "over a weekend: Friday 17:00 is due Monday", tl: normal(sh("2026-03-06 17:00")), now: sh("2026-03-06 17:30"),
			// response Fri 17–18 1h + Mon 09–10 = Mon 10:00; resolution 1h Fri + Mon 09–12 3h + 13–17 4h = Mon 17:00.
			want: want{respDeadline: sh("2026-03-09 10:00"), resDeadline: sh("2026-03-09 17:00")}},
		{name: "opened on a Saturday starts Monday", tl: normal(sh("2026-03-07 10:00")), now: sh("2026-03-07 10:00"),
			want: want{respDeadline: sh("2026-03-09 11:00"), resDeadline: sh("2026-03-09 18:00"), resElapsed: 0}},
		{name: "opened Friday at closing time 18:00 starts Monday", tl: normal(sh("2026-03-06 18:00")), now: sh("2026-03-06 18:00"),
			want: want{respDeadline: sh("2026-03-09 11:00"), resDeadline: sh("2026-03-09 18:00")}},
		{name: "mall service desk 10:00-22:00 every day works Sunday", cal: &desk, tl: normal(sh("2026-03-07 21:00")), now: sh("2026-03-07 21:00"),
			// Sat 21–22 1h, Sun 10:00: response +1h = 11:00, resolution +7h = 17:00.
			want: want{respDeadline: sh("2026-03-08 11:00"), resDeadline: sh("2026-03-08 17:00")}},
		{name: "DST zone: New York business hours over the spring-forward weekend", cal: &nyOffice,
			tl: normal(wall("2026-03-06 16:00", newYork)), now: wall("2026-03-06 16:00", newYork),
			// Fri 16–17 EST 1h, clocks spring forward Sun 8 March; Mon 09:00 EDT +1h = 10:00 EDT (14:00 UTC),
			// resolution 1h Fri + 7h Mon = Mon 16:00 EDT (20:00 UTC). 24-hour stepping would say 09:00 EDT.
			want: want{respDeadline: time.Date(2026, 3, 9, 14, 0, 0, 0, time.UTC), resDeadline: time.Date(2026, 3, 9, 20, 0, 0, 0, time.UTC)}},
		{name: "DST zone: Berlin business hours over the fall-back weekend", cal: &berlinOffice,
			tl: normal(wall("2026-10-23 16:00", berlin)), now: wall("2026-10-23 16:00", berlin),
			// Fri 16–17 CEST (14–15 UTC) 1h; Sun 25 Oct falls back; Mon 09:00 CET (08:00 UTC) +1h = 09:00 UTC.
			want: want{respDeadline: time.Date(2026, 10, 26, 9, 0, 0, 0, time.UTC), resDeadline: time.Date(2026, 10, 26, 15, 0, 0, 0, time.UTC)}},
	}
}

func daysOffCases() []slaCase {
	return []slaCase{
		{name: "opened on a statutory holiday (Spring Festival Monday) starts after it", tl: normal(sh("2026-02-16 10:00")), now: sh("2026-02-16 10:00"),
			// 15–23 Feb off (lunar-go 2026); Tue 24 Feb 09:00: response 11:00, resolution 18:00.
			want: want{respDeadline: sh("2026-02-24 11:00"), resDeadline: sh("2026-02-24 18:00"), resElapsed: 0}},
		{name: "make-up Saturday (14 Feb 2026) is open", tl: normal(sh("2026-02-13 16:00")), now: sh("2026-02-13 16:00"),
			// Fri 16–18 2h: response Fri 18:00; resolution 2h Fri + Sat 14 Feb 09–12 3h + 13–16 3h = Sat 16:00.
			want: want{respDeadline: sh("2026-02-13 18:00"), resDeadline: sh("2026-02-14 16:00")}},
		{name: "make-up Saturday evening then the whole holiday is closed", tl: normal(sh("2026-02-14 17:00")), now: sh("2026-02-14 17:00"),
			// Sat 17–18 1h, 15–23 Feb off, Tue 24 Feb 09:00 +1h = 10:00; resolution 1h + 7h = Tue 17:00.
			want: want{respDeadline: sh("2026-02-24 10:00"), resDeadline: sh("2026-02-24 17:00")}},
		{name: "a holiday week in the middle (National Day 2026)", tl: normal(sh("2026-09-30 17:00")), now: sh("2026-09-30 17:00"),
			// Wed 17–18 1h; 1–7 Oct off; Thu 8 Oct 09:00 +1h = 10:00; resolution 1h + 7h = 8 Oct 17:00.
			want: want{respDeadline: sh("2026-10-08 10:00"), resDeadline: sh("2026-10-08 17:00")}},
		{name: "make-up Sunday (28 Sep 2025) is open", tl: normal(sh("2025-09-26 17:00")), now: sh("2025-09-26 17:00"),
			// Fri 17–18 1h; Sat 27 closed; Sun 28 a working day: response 10:00; resolution 1h + 09–12 3h + 13–17 4h = Sun 17:00.
			want: want{respDeadline: sh("2025-09-28 10:00"), resDeadline: sh("2025-09-28 17:00")}},
		{name: "opened on the 2025 golden week starts 9 October", tl: normal(sh("2025-10-01 10:00")), now: sh("2025-10-03 10:00"),
			// 1–8 Oct off; Thu 9 Oct 09:00: response 11:00, resolution 18:00; nothing used on 3 Oct.
			want: want{respDeadline: sh("2025-10-09 11:00"), resDeadline: sh("2025-10-09 18:00"), resState: sla.OK,
				next: sh("2025-10-09 10:36")}},
		{name: "24x7 emergency opened at night on a holiday", tl: sla.Timeline{Opened: sh("2026-02-15 23:00"), Priority: sla.Urgent}, now: sh("2026-02-15 23:02"),
			// real time: response 23:05, resolution 01:00; warning of the response at 4 min = 23:04.
			want: want{respDeadline: sh("2026-02-15 23:05"), resDeadline: sh("2026-02-16 01:00"), respState: sla.OK,
				resElapsed: 2 * time.Minute, resPercent: 1, next: sh("2026-02-15 23:04")}},
		{name: "24x7 emergency across the New York spring-forward night", cal: &nyOffice,
			tl: sla.Timeline{Opened: wall("2026-03-08 01:30", newYork), Priority: sla.Urgent}, now: wall("2026-03-08 01:30", newYork),
			// 01:30 EST = 06:30 UTC; +2h real = 08:30 UTC = 04:30 EDT on the wall.
			want: want{respDeadline: time.Date(2026, 3, 8, 6, 35, 0, 0, time.UTC), resDeadline: wall("2026-03-08 04:30", newYork)}},
	}
}

func pauseCases() []slaCase {
	return []slaCase{
		{name: "pause across a weekend", now: sh("2026-03-09 12:30"),
			tl: with(normal(sh("2026-03-06 09:00")), func(tl *sla.Timeline) {
				tl.Responded = sh("2026-03-06 09:45")
				tl.Pauses = []sla.Pause{{From: sh("2026-03-06 15:00"), To: sh("2026-03-09 11:00"), Reason: "parts"}}
			}),
			// Fri 09–12, 13–15 = 5h; resumes Mon 11:00 with 3h: 11–12, 13–15 → Mon 15:00.
			// used at 12:30: 5h + 1h = 6h (75 %); warning at 6h24m: Mon 11–12 then 13:24.
			want: want{respState: sla.Met, resDeadline: sh("2026-03-09 15:00"), resState: sla.OK,
				resElapsed: 6 * time.Hour, resPercent: 75, next: sh("2026-03-09 13:24")}},
		{name: "a pause still open shows PAUSED, stands still and projects from now", now: sh("2026-03-03 14:00"),
			tl: with(normal(sh("2026-03-03 09:00")), func(tl *sla.Timeline) {
				tl.Responded = sh("2026-03-03 09:30")
				tl.Pauses = []sla.Pause{{From: sh("2026-03-03 10:00"), Reason: "tenant"}}
			}),
			// used 09–10 = 1h; 7h left from 14:00: 14–18 4h, Wed 09–12 3h → Wed 12:00. No job while paused.
			want: want{respState: sla.Met, resDeadline: sh("2026-03-04 12:00"), resState: sla.Paused,
				resElapsed: time.Hour, resPercent: 12, noNext: true}},
		{name: "nothing breaches while paused", now: sh("2026-03-04 17:00"),
			tl: with(normal(sh("2026-03-03 09:00")), func(tl *sla.Timeline) {
				tl.Responded = sh("2026-03-03 09:10")
				tl.Pauses = []sla.Pause{{From: sh("2026-03-03 16:00"), Reason: "parts"}}
			}),
			// unpaused it was due Tue 18:00; used 6h, 2h left from Wed 17:00: 17–18, Thu 09–10 → Thu 10:00.
			want: want{resDeadline: sh("2026-03-05 10:00"), resState: sla.Paused, resElapsed: 6 * time.Hour, noNext: true}},
		{name: "response clock paused before the first response", now: sh("2026-03-03 16:00"),
			tl: with(normal(sh("2026-03-03 09:00")), func(tl *sla.Timeline) {
				tl.Pauses = []sla.Pause{{From: sh("2026-03-03 09:30"), Reason: "tenant"}}
			}),
			// response used 30 min, 1h30 left from 16:00 → 17:30.
			want: want{respDeadline: sh("2026-03-03 17:30"), respState: sla.Paused, noNext: true}},
		{name: "overlapping pauses count once", now: sh("2026-03-03 12:00"),
			tl: with(normal(sh("2026-03-03 09:00")), func(tl *sla.Timeline) {
				tl.Responded = sh("2026-03-03 09:05")
				tl.Pauses = []sla.Pause{{From: sh("2026-03-03 10:00"), To: sh("2026-03-03 11:00")}, {From: sh("2026-03-03 10:30"), To: sh("2026-03-03 11:30")}}
			}),
			// stopped 10:00–11:30; counted 09–10, 11:30–12 = 1h30; 6h30 left: 13–18 5h, Wed 09:00+1h30 → 10:30.
			want: want{resDeadline: sh("2026-03-04 10:30"), resElapsed: 90 * time.Minute}},
		{name: "a pause outside hours changes nothing", now: sh("2026-03-04 08:30"),
			tl: with(normal(sh("2026-03-03 14:00")), func(tl *sla.Timeline) {
				tl.Responded = sh("2026-03-03 14:10")
				tl.Pauses = []sla.Pause{{From: sh("2026-03-03 19:00"), To: sh("2026-03-04 08:00")}}
			}),
			// Tue 14–18 4h, Wed 09–12 3h, 13:00+1h → Wed 14:00, as without the pause.
			want: want{resDeadline: sh("2026-03-04 14:00"), resElapsed: 4 * time.Hour, resPercent: 50}},
		{name: "breached before the pause stays breached", now: sh("2026-03-04 11:00"),
			tl: with(normal(sh("2026-03-03 09:00")), func(tl *sla.Timeline) {
				tl.Responded = sh("2026-03-03 09:10")
				tl.Pauses = []sla.Pause{{From: sh("2026-03-04 10:00")}}
			}),
			// due Tue 18:00; used Tue 8h + Wed 09–10 1h = 9h (112 %).
			want: want{resDeadline: sh("2026-03-03 18:00"), resState: sla.Breached, resElapsed: 9 * time.Hour, resPercent: 112, noNext: true}},
	}
}

func priorityCases() []slaCase {
	return []slaCase{
		{name: "priority raised mid-way keeps the elapsed time", now: sh("2026-03-03 15:00"),
			tl: sla.Timeline{Opened: sh("2026-03-03 09:00"), Priority: sla.Low, Responded: sh("2026-03-03 09:30"),
				Changes: []sla.PriorityChange{{At: sh("2026-03-03 14:00"), To: sla.Normal}}},
			// 4h used as low by 14:00, normal's 8h leaves 4h: 14–18 → Tue 18:00; used 5h at 15:00 (62 %);
			// warning at 6h24m: 2h24m after 14:00 = 16:24.
			want: want{respState: sla.Met, resDeadline: sh("2026-03-03 18:00"), resState: sla.OK,
				resElapsed: 5 * time.Hour, resPercent: 62, next: sh("2026-03-03 16:24")}},
		{name: "priority lowered mid-way keeps the elapsed time", now: sh("2026-03-03 11:30"),
			tl: sla.Timeline{Opened: sh("2026-03-03 09:00"), Priority: sla.Normal, Responded: sh("2026-03-03 09:20"),
				Changes: []sla.PriorityChange{{At: sh("2026-03-03 11:00"), To: sla.Low}}},
			// 2h used; low's 24h leaves 22h: Tue 11–12, 13–18 (6h), Wed 8h, Thu 8h → Thu 18:00.
			want: want{resDeadline: sh("2026-03-05 18:00"), resElapsed: 150 * time.Minute, resPercent: 10}},
		{name: "raised to a 24x7 emergency counts real time from the change", now: sh("2026-03-06 17:30"),
			tl: sla.Timeline{Opened: sh("2026-03-06 16:00"), Priority: sla.Normal,
				Changes: []sla.PriorityChange{{At: sh("2026-03-06 17:00"), To: sla.Urgent}}},
			// resolution: 1h business, then 1h of urgent's 2h real → Fri 18:00; used 1h30 (75 %), warning at
			// 96 min = 36 min after 17:00 = 17:36. Response: 1h used > 5 min, due at the change, breached.
			want: want{respDeadline: sh("2026-03-06 17:00"), respState: sla.Breached, resDeadline: sh("2026-03-06 18:00"),
				resState: sla.OK, resElapsed: 90 * time.Minute, resPercent: 75, next: sh("2026-03-06 17:36")}},
		{name: "a downgrade after the breach does not undo it", now: sh("2026-03-04 11:00"),
			tl: sla.Timeline{Opened: sh("2026-03-03 09:00"), Priority: sla.Normal, Responded: sh("2026-03-03 09:10"),
				Changes: []sla.PriorityChange{{At: sh("2026-03-04 10:00"), To: sla.Low}}},
			// normal was due Tue 18:00 and passed; used Tue 8h + Wed 09–11 2h = 10h of low's 24h (41 %).
			want: want{resDeadline: sh("2026-03-03 18:00"), resState: sla.Breached, resElapsed: 10 * time.Hour, resPercent: 41, noNext: true}},
		{name: "a priority change during a pause applies from the resume", now: sh("2026-03-03 15:00"),
			tl: sla.Timeline{Opened: sh("2026-03-03 09:00"), Priority: sla.Low, Responded: sh("2026-03-03 09:10"),
				Pauses:  []sla.Pause{{From: sh("2026-03-03 10:00"), To: sh("2026-03-03 14:00")}},
				Changes: []sla.PriorityChange{{At: sh("2026-03-03 11:00"), To: sla.Normal}}},
			// 1h used as low; from 14:00 normal's 8h leaves 7h: 14–18 4h, Wed 09–12 3h → Wed 12:00; 2h used (25 %).
			want: want{resDeadline: sh("2026-03-04 12:00"), resState: sla.OK, resElapsed: 2 * time.Hour, resPercent: 25}},
	}
}

func reopenCases() []slaCase {
	return []slaCase{
		{name: "a reopen resumes the resolution clock and the response stays met", now: sh("2026-03-04 11:00"),
			tl: with(normal(sh("2026-03-03 09:00")), func(tl *sla.Timeline) {
				tl.Responded = sh("2026-03-03 09:20")
				tl.Reopens = []sla.Reopen{{Resolved: sh("2026-03-03 12:00"), Reopened: sh("2026-03-04 10:00")}}
			}),
			// 3h used when resolved; 5h left from Wed 10:00: 10–12 2h, 13:00+3h → Wed 16:00; used 4h at 11:00.
			want: want{respDeadline: sh("2026-03-03 11:00"), respState: sla.Met, resDeadline: sh("2026-03-04 16:00"),
				resState: sla.OK, resElapsed: 4 * time.Hour, resPercent: 50}},
		{name: "resolved and reopened only later reads as met", now: sh("2026-03-03 15:00"),
			tl: with(normal(sh("2026-03-03 09:00")), func(tl *sla.Timeline) {
				tl.Responded = sh("2026-03-03 09:20")
				tl.Reopens = []sla.Reopen{{Resolved: sh("2026-03-03 12:00"), Reopened: sh("2026-03-04 10:00")}}
			}),
			want: want{resState: sla.Met, resElapsed: 3 * time.Hour, noNext: true}},
		{name: "reopened then resolved again late is breached", now: sh("2026-03-04 12:00"),
			tl: with(normal(sh("2026-03-03 09:00")), func(tl *sla.Timeline) {
				tl.Responded = sh("2026-03-03 09:20")
				tl.Reopens = []sla.Reopen{{Resolved: sh("2026-03-03 17:00"), Reopened: sh("2026-03-04 09:00")}}
				tl.Resolved = sh("2026-03-04 11:00")
			}),
			// 7h used on Tue; 1h left from Wed 09:00 → due 10:00; resolved 11:00 with 9h used.
			want: want{resDeadline: sh("2026-03-04 10:00"), resState: sla.Breached, resElapsed: 9 * time.Hour, noNext: true}},
	}
}

func stateCases() []slaCase {
	tue := with(normal(sh("2026-03-03 09:00")), responded(sh("2026-03-03 09:10")))
	return []slaCase{
		{name: "a second before 80 percent is OK and waits for the warning", tl: tue, now: sh("2026-03-03 16:23:59"),
			// 80 % of 8h = 6h24m: 09–12 3h, 13:00+3h24m = 16:24.
			want: want{resState: sla.OK, next: sh("2026-03-03 16:24")}},
		{name: "exactly 80 percent is WARNING and waits for the deadline", tl: tue, now: sh("2026-03-03 16:24"),
			want: want{resState: sla.Warning, resPercent: 80, next: sh("2026-03-03 18:00")}},
		{name: "warning at 81 percent", tl: tue, now: sh("2026-03-03 16:30"),
			want: want{resState: sla.Warning, resElapsed: 390 * time.Minute, resPercent: 81, next: sh("2026-03-03 18:00")}},
		{name: "breached at the deadline instant", tl: tue, now: sh("2026-03-03 18:00"),
			want: want{resState: sla.Breached, resElapsed: 8 * time.Hour, resPercent: 100, noNext: true}},
		{name: "resolved on time is MET", tl: with(tue, func(tl *sla.Timeline) { tl.Resolved = sh("2026-03-03 17:00") }), now: sh("2026-03-05 10:00"),
			want: want{respState: sla.Met, resState: sla.Met, resElapsed: 7 * time.Hour, resPercent: 87, noNext: true}},
		{name: "resolved exactly at the deadline is MET", tl: with(tue, func(tl *sla.Timeline) { tl.Resolved = sh("2026-03-03 18:00") }), now: sh("2026-03-05 10:00"),
			want: want{resState: sla.Met, resPercent: 100}},
		{name: "resolved late is BREACHED", tl: with(tue, func(tl *sla.Timeline) { tl.Resolved = sh("2026-03-04 10:00") }), now: sh("2026-03-05 10:00"),
			want: want{resState: sla.Breached, resElapsed: 9 * time.Hour, noNext: true}},
		{name: "a resolution without a recorded response counts as the response",
			tl: with(normal(sh("2026-03-03 09:00")), func(tl *sla.Timeline) { tl.Resolved = sh("2026-03-03 10:00") }), now: sh("2026-03-05 10:00"),
			want: want{respState: sla.Met, resState: sla.Met, noNext: true}},
		{name: "no response by the deadline breaches the response only", tl: normal(sh("2026-03-03 09:00")), now: sh("2026-03-03 11:30"),
			// response due 11:00; resolution used 2h30 (31 %), its warning at 16:24 is the next check.
			want: want{respState: sla.Breached, resState: sla.OK, resPercent: 31, next: sh("2026-03-03 16:24")}},
	}
}
