// Package reports draws eesim's charts (PNG) and tables (CSV) from datasets.
// It reads data types only (data.Round, data.Snapshot, the runs dataset),
// never the engine.
//
// # Chart helpers
//
// Every chart shares one style so that they read alike:
//
//  1. NewPlot makes a plot with a sans font (title 16 pt, axis labels 13 pt,
//     ticks and legend 12 pt) and a date x axis: x values are Unix seconds
//     (TimeX), ticks fall on month starts labelled "2006-01" (DateTicks).
//  2. Plots are placed in a Layout: one or more cells (stacked panels get
//     their data areas aligned) and a legend column on the right, built with
//     NewLegend and Swatch thumbnails.
//  3. Round families have fixed colours (FamilyColor) and a fixed order
//     (Families); DisplayFamily groups rounds for charts.
//  4. WritePNG renders at 96 DPI, 1400 x 800 px by default (Width, Height);
//     SavePNG writes a file atomically and AddPNG stages it in a
//     data.FileSet, so a failed run leaves no partial chart.
//
// # History (eesim history)
//
//  1. MonthlyInvitations, Years, LastRounds, TieBreakLags and GroupCounts
//     compute the data behind the charts from the rounds.
//  2. CutoffsChart, MonthlyChart, PoolChart and TieBreakChart draw them.
//  3. WriteMonthlyCSV and WriteLagsCSV write the data behind two charts;
//     WriteHistorySummary prints the text summary.
//
// # Odds backtest (eesim backtest --mode odds)
//
//  1. WriteOddsBacktestCSV and WriteReliabilityCSV write the forecasts and
//     the reliability tables that sim computes.
//  2. ReliabilityChart draws predicted against observed frequency per bin,
//     with the diagonal, and the number of forecasts per bin.
package reports
