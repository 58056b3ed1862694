// Package data reads, validates and writes eesim's datasets: IRCC's rounds
// feed (embedded by default), and the Arrow and Parquet files derived from it.
package data
