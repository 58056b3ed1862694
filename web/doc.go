// Package web is eesim's local web view: the pages Overview, Projection,
// My odds, What-if and Pathway, and a JSON API under /api/, served by
// net/http from one binary (eesim serve). The API calls the library
// packages as eesim's commands do, and its documents and error messages are
// theirs; see docs/api.md.
//
// A request goes through these steps:
//
//  1. Middleware: security headers (a Content-Security-Policy with no
//     inline script), a cap on the body (413 beyond it), a recovered panic
//     becomes a 500 and the server carries on.
//  2. Decoding: the JSON body is decoded strictly (unknown fields are
//     rejected) and checked; bad input is a 400 whose message is the one
//     the command line gives for the same value. No field names a path on
//     the machine: the rounds feed is the server's, chosen at start.
//  3. Caps: runs, horizon and sweep points are capped per request
//     (Limits); beyond them is a 400 that names the cap.
//  4. Cache: the result of a request is kept under the SHA-256 of its
//     endpoint and canonical body, with its charts (SVG, drawn by package
//     reports as for the PNG files) and CSV files, served under
//     /chart/KEY/ and /file/KEY/.
//  5. Work: at most Limits.MaxRunning simulations run at once and
//     Limits.MaxQueued wait for a slot; any more get 503 with Retry-After.
//     Work runs under the request's context with Limits.Timeout: a closed
//     tab or the timeout cancels it (504 on timeout).
package web
