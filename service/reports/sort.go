package reports

import (
	"cmp"
	"slices"
)

// sortConsumption orders rows by dimension, then key.
func sortConsumption(rows []ConsumptionRow) {
	slices.SortStableFunc(rows, func(a, b ConsumptionRow) int {
		return cmp.Or(cmp.Compare(dimOrder[a.Dim], dimOrder[b.Dim]), cmp.Compare(a.Key, b.Key))
	})
}
