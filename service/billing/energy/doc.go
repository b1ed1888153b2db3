// Package energy is the energy charge of a bill (issue 13, "Bill runs": 能耗计费): the
// consumption of a unit's meters between the billing period's cut-off readings, priced
// by the mall's tariff. It is pure: the caller loads the meters with
// meters.UnitMetersTx, the tariff in force (stored as JSONB per mall and meter kind with
// an effective date, exactly as Tariff marshals) and the mall's zone, and bills the
// Lines returned.
//
// # Cut-off readings
//
// A period's cut-offs are local midnight (in the mall's zone) of its first day and of
// the day after its last, so consecutive periods share a cut-off and no consumption is
// billed twice or lost. The counter at a cut-off (meters.Series.At) is:
//
//   - ACTUAL: the reading nearest the cut-off when one lies within Params.Tolerance of
//     it (DefaultTolerance when zero); the line is measured from/to that reading's own
//     instant;
//   - ESTIMATED: else linearly interpolated between the readings either side, rounded
//     to 3 decimals (the meters' precision); the line is flagged ESTIMATED and links
//     both neighbours;
//   - a side with no reading at all (the meter was installed, or went silent, inside
//     the period): the nearest reading stands in, the uncovered part counts as zero
//     and the line is flagged PARTIAL with the reason, for finance to review in the
//     draft.
//
// Consumption is end − start on the meter's monotonic series (meters.Build): rollovers
// (a drop of more than half the counter's range) and replacements are folded in, and
// readings that went backwards without either are ignored and flagged
// BACKWARDS_IGNORED. A meter with no reading at all has consumption 0, flagged
// NO_READINGS.
//
// # Tariffs
//
//   - FLAT: one price per kWh or m³.
//   - TIERED (阶梯): consumption bands of one billing period, each priced: "up to 1,000
//     at 0.8, above at 1.0" charges 1,200 as 1,000 × 0.8 + 200 × 1.0. A unit's tiers
//     apply to the sum of its meters. Thresholds are per billing period as given and
//     are not prorated for a partial period.
//   - TIME_OF_USE (峰谷平, with 尖峰 SHARP): the local day is split into bands — each a
//     price and clock spans "HH:MM"–"HH:MM"; a span whose end is not after its start
//     crosses midnight (VALLEY 23:00–07:00) — which together cover every minute of the
//     day exactly once. Spans are wall-clock times in the mall's zone (Asia/Shanghai
//     has no daylight saving; where a zone has, the bands follow the wall clock: a
//     23-hour day loses an hour of the band the skipped hour falls in, a 25-hour day
//     counts the repeated hour twice in its band).
//
// Time of use needs the consumption of each band, but a counter only says how much was
// used between two readings. The assumption: between consecutive readings the
// consumption is spread evenly over time, so each interval's quantity is split among
// the bands in proportion to the time it spends in each. With readings every 15
// minutes or hourly this is the metered profile; with sparse readings it is an
// estimate (the line says ESTIMATED only when a cut-off was).
//
// # Rounding
//
// Quantities are kept to 3 decimals, like the meters: the band quantities of each
// meter are the exact shares rounded down to 3 decimals with the thousandths left
// over given to the bands with the largest remainders (ties: the band listed first),
// so they always add up to the meter's consumption. A line's Amount is Σ quantity ×
// price, exact, rounded once to the fen, half away from zero. A part's Amount is its
// exact quantity × price, unrounded.
package energy
