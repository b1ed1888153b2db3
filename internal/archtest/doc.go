// Package archtest holds the project's architecture checks, run by `make test` as
// ordinary tests: no SQL in hand-written Go (it lives in sqlc query files), every table
// written by exactly its owning context (the README's table of owners is checked
// against owners.go), reads of another context's tables only where listed, and
// migrations numbered so that parallel work cannot collide.
package archtest
