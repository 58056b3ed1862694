// Package crs computes Comprehensive Ranking System (CRS) scores for Express
// Entry profiles, under the rules in force on a given date.
//
// The points grid is data: one full set of tables per rule era (type Era),
// sorted by effective date, each later era a copy of the previous one with
// what changed. Adding an era is adding one entry to eras in grid.go. The
// grid and the era timeline follow IRCC's "Comprehensive Ranking System
// (CRS) criteria – Express Entry" page and the Ministerial Instructions
// respecting the Express Entry system (see the source beside each era).
//
// Score is the calculator:
//
//  1. pick the era in force on the date (scores before 2015-01-01 are an error);
//  2. take the age on the date (birthdays) and the language results still
//     valid on it (from 2016-11-19, results two or more years old earn nothing);
//  3. convert raw test scores to CLB/NCLC levels with IRCC's equivalence
//     charts (IELTS General, CELPIP-G, TEF Canada, TCF Canada);
//  4. score A (core), B (spouse, only for an accompanying spouse who is not a
//     Canadian citizen or PR), C (skill transferability: each group capped at
//     50, the sum at 100) and D (additional, capped at 600).
//
// Timeline lists the dates on which a profile's score changes, and
// Eligibility tells which programs (CEC, FSW with its 67-point grid, FST,
// PNP) and categories a profile qualifies for on a date.
package crs
