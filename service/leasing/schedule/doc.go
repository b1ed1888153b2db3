// Package schedule is the charge schedule of a lease (issue 12, point 5): one pure
// function from a contract's approved versions to the charge lines billing bills.
// It is the one place the leasing arithmetic lives; the leasing context stores a
// version's Terms as JSONB and billing bills Lines unchanged.
//
// (Design note in progress: the rules are documented on the types; Lines and Adjust
// follow.)
package schedule
