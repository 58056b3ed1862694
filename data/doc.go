// Package data reads, validates and writes eesim's datasets: IRCC's rounds
// feed (embedded by default), and the Arrow and Parquet files derived from it.
//
// # The rounds feed
//
// ParseFeed and LoadFeed read IRCC's ee_rounds_123_en.json (the JSON behind
// canada.ca's "Express Entry rounds of invitations" page) into normalized
// Rounds, oldest first (by drawDate, then instant, then draw number). The
// feed is hand-typed: ParseDateTime accepts every free-text date variant it
// holds; CategoryKey splits category names ("French-Language proficiency
// 2026-Version 2") into a key ("french") and a version ("2026-2") and keeps
// working on names it has never seen. Problems that leave the feed usable
// (a subtotal that does not add up, a drawDateTime on another day than
// drawDate, no distribution published, an unknown round name, a time
// without zone or year) are Warnings naming the round and the field; values
// are kept as published unless the warning says otherwise. Problems that do
// not (not JSON, no rounds, a count that is not a count, a bad drawNumber,
// drawDate or drawCRS) are a *FeedError.
//
// # Datasets
//
// StageDatasets writes four files; the Arrow files use the IPC file format
// (readable with pyarrow.ipc.open_file, apache-arrow's tableFromIPC, DuckDB's
// arrow extension), uncompressed; the Parquet files are snappy-compressed
// with dictionary encoding off and carry the Arrow schema. All instants are
// timestamp[s] with time zone "UTC" (Parquet stores them as milliseconds,
// adjusted to UTC); dates are date32 (days since 1970-01-01, a calendar
// date with no time zone; IRCC's dates are Ottawa dates).
//
// rounds.arrow, rounds.parquet: one row per round, oldest first.
//
//	draw_number       string     IRCC's round number, "388"; "91a" and "91b" exist
//	draw_date         date32     drawDate
//	instant           timestamp[s, UTC]  drawDateTime: when the round ran
//	draw_name         string     drawName as published
//	type              string     "general", "program" or "category"
//	family            string     "general", "cec", "fsw", "fst", "pnp", or the category key
//	programs          string     programs eligible, in priority order: "CEC+FSW+FST+PNP"
//	category          string     category key ("french", "healthcare", ...); null unless type is category
//	category_version  string     occupation-list version ("1", "2026-2"); null when none
//	invitations       int32      drawSize: invitations issued (count)
//	cutoff            int32      drawCRS: CRS points of the lowest-ranked invitee
//	tiebreak          timestamp[s, UTC]  drawCutOff; null when not published (#1-#76)
//	snapshot_date     date32     drawDistributionAsOn; null when absent, and when the round
//	                             published no distribution (rounds before #214 name a date
//	                             but publish no counts). Join key to snapshots.
//
// snapshots.arrow, snapshots.parquet: the distinct published pool
// distributions (Snapshots), oldest first, in long form: 15 rows per
// snapshot, one per disjoint CRS band of BandEdges, highest band first.
//
//	snapshot_date  date32  drawDistributionAsOn
//	band_low       int32   lowest CRS score of the band (inclusive)
//	band_high      int32   highest CRS score of the band (inclusive)
//	count          int32   profiles in the pool with a score in the band
//	total          int32   dd18, the published total, repeated on each row of
//	                       the snapshot (differs from the band sum for #247)
//
// WriteRoundsCSV and WriteSnapshotsCSV write the same columns as CSV, with
// dates as YYYY-MM-DD and instants as RFC 3339 in UTC.
package data
