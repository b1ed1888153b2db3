package resolvers

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/vikstrous/dataloadgen"

	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
)

// Loaders batch relation lookups per request; they call service batch methods, so
// authorization stays in the services. A new context adds its loaders here.
type Loaders struct {
	Mall *dataloadgen.Loader[uuid.UUID, org.Mall]
	// members context
	Member      *dataloadgen.Loader[uuid.UUID, members.Member]
	CardType    *dataloadgen.Loader[uuid.UUID, members.CardType]
	MemberCards *dataloadgen.Loader[uuid.UUID, []members.Card]
	// bookings context
	BookableResource *dataloadgen.Loader[uuid.UUID, bookings.Resource]
	BookingSlot      *dataloadgen.Loader[uuid.UUID, bookings.Slot]
}

type loadersKey struct{}

// NewLoaders builds a request's loaders.
func NewLoaders(s Services) *Loaders {
	wait := dataloadgen.WithWait(2 * time.Millisecond)
	return &Loaders{
		Mall:        dataloadgen.NewLoader(s.Org.MallsByID, wait),
		Member:      dataloadgen.NewLoader(s.Members.MembersByID, wait),
		CardType:    dataloadgen.NewLoader(s.Members.CardTypesByID, wait),
		MemberCards: dataloadgen.NewLoader(s.Members.CardsOfMembers, wait),

		BookableResource: dataloadgen.NewLoader(s.Bookings.ResourcesByID, wait),
		BookingSlot:      dataloadgen.NewLoader(s.Bookings.SlotsByID, wait),
	}
}

// LoaderMiddleware gives every request fresh loaders (no cache shared between viewers).
func LoaderMiddleware(s Services, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, NewLoaders(s))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func loadersFrom(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		return l
	}
	return nil
}
