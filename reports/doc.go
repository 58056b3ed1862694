// Package reports draws eesim's charts (PNG) and tables (CSV) from datasets.
package reports
