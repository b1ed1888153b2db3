// Package exports is Excel export of any list or report (issue 16, point 2; 导出): a
// staff member starts an export, a River job writes the workbook, and a presigned
// link downloads it until the file expires.
//
// # Flow
//
// Start checks the caller is staff of the export's mall and opens the source once
// (its own authorization: the same roles and mall scope as the list's GraphQL query,
// and its row count), then records the export (QUEUED) and enqueues its job in one
// transaction. Execute (the job) opens the source again as the creator — with the
// creator's grants as stored now, so a revoked role exports nothing — and with the
// context marked storage.PreferReplica: the owning context's list reads its pages
// through db.Reader(ctx), i.e. from the read replica when ATRIUM_DATABASE_READ_URL is
// set (point 4); the export records whether it read the replica and its replay lag.
// Rows stream page by page into package sheet's writer (excelize's StreamWriter only;
// never a normal-mode call on the streamed sheet, excelize#1601), the workbook goes to
// a temporary file, then object storage, and the export becomes DONE with an expiry.
// Progress (rows done of total) is written to the row and published on Redis at most
// every 250 ms, at a page's end, after the statement that recorded it; the
// exportProgress subscription reads the row after subscribing, so it misses nothing.
// Cancel marks the row CANCELLED; the job sees it at its next progress write and stops
// without uploading (an upload racing a cancellation is deleted again). Expire (an
// hourly job) deletes files past their expiry and marks them EXPIRED.
//
// Who sees what: Start needs the source's roles at the mall; an export, its progress
// and its link are its creator's and the mall's admins' only (others get NOT_FOUND);
// the list of a mall's exports shows an admin all of them and anyone else their own.
//
// # Adding a source
//
// A list or report becomes exportable by implementing Source and registering it in
// app.services (Service.Register):
//
//   - Spec: a stable Kind (the GraphQL ExportKind in lower case; add the enum value in
//     schema/exports.graphqls or `extend enum ExportKind` in the report's schema), a
//     Chinese Title (the file name's start) and the Columns: Chinese headers and a
//     Kind each — Text (string), Int (int64), Money (int64 fen, shown ¥#,##0.00),
//     Date and DateTime (time.Time or *time.Time, shown in the mall's zone), Percent
//     (float64 fraction) — with an optional width.
//   - Open(ctx, Filter): authorize exactly as the list does (call the owning context's
//     list function with the viewer in ctx; never read another context's tables) and
//     return Rows: Total (the owner's count of the same list), Next (one keyset page of
//     PageSize rows per call, an empty page at the end; Pages adapts a
//     page.Result-style list function), and optionally Summary, a monthly summary
//     (months × series of Int or Money) drawn as a native Excel column or line chart
//     on a second sheet. Reports whose data is already monthly return it from Summary
//     directly; lists may accumulate it while their rows stream by (see the bills
//     source).
//
// Sources today: members (the member list; its columns start with the member import's,
// so an exported file imports again), bills, work orders, a card's ledger postings.
//
// # Memory
//
// The sheet writer keeps one row's cells; excelize's StreamWriter spills the sheet to
// a temporary file past 16 MB; the finished archive is written straight to the job's
// temporary file (excelize's WriteTo would build it in a buffer first); the upload
// streams from that file. An export of one million rows peaks at about 96 MB RSS for
// the whole test process (BenchmarkExportMillionRows measures it in a child process).
package exports
