package bookings

import (
	"github.com/atrium-mall/atrium/service/state"
)

// BookingStatus is where a booking stands.
type BookingStatus string

// The booking statuses.
const (
	BookingBooked    BookingStatus = "booked"    // open: holds a seat, its code redeems
	BookingUsed      BookingStatus = "used"      // the member came (the code was redeemed)
	BookingCancelled BookingStatus = "cancelled" // the member cancelled before the start
	BookingNoShow    BookingStatus = "no_show"   // the slot ended without a redemption
)

// BookingEvent is what happens to a booking.
type BookingEvent string

// The booking events.
const (
	EventAttend BookingEvent = "attend"  // its code is redeemed (a scan or a swipe)
	EventReopen BookingEvent = "reopen"  // the redemption is voided
	EventCancel BookingEvent = "cancel"  // the member cancels
	EventNoShow BookingEvent = "no-show" // its slot ended without a redemption
)

// bookingStates is the bookings' transition table. An illegal move is
// BOOKING_NOT_CANCELLABLE, the code clients already branch on for a booking that is no
// longer open.
var bookingStates = state.New("booking", ErrNotCancellable, map[BookingEvent]map[BookingStatus]BookingStatus{
	EventAttend: {BookingBooked: BookingUsed},
	EventReopen: {BookingUsed: BookingBooked},
	EventCancel: {BookingBooked: BookingCancelled},
	EventNoShow: {BookingBooked: BookingNoShow},
})
