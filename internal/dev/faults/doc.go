// Package faults holds laborbrand's fault runs (issue 7): tests that start a
// real PostgreSQL and Temporal dev server, run `laborbrand api` and
// `laborbrand worker` as separate processes, drive the HTTP API as outside
// clients would, break one part of the stack in the middle of the run — kill
// the worker, stop PostgreSQL, restart Temporal — and then check, over HTTP,
// in SQL and with `laborbrand audit verify`, that no decision was lost or
// recorded twice. docs/RELIABILITY.md gives the commands and the numbers.
//
// The package has no code of its own; everything is in its tests, which
// `go test -short` skips.
package faults
