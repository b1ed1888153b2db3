package service

import "github.com/google/uuid"

// InOrder lays a dataloader's batch out in the order of ids: entry i is the item of
// found whose id (idOf) is ids[i], or the error missing when there is none. check, when
// not nil, may refuse an item (one the viewer may not see): its error then takes the
// item's place.
func InOrder[T any](ids []uuid.UUID, found []T, idOf func(T) uuid.UUID, check func(T) error, missing error) ([]T, []error) {
	byID := make(map[uuid.UUID]T, len(found))
	for _, x := range found {
		byID[idOf(x)] = x
	}
	out, errsOut := make([]T, len(ids)), make([]error, len(ids))
	for i, id := range ids {
		x, ok := byID[id]
		switch {
		case !ok:
			errsOut[i] = missing
		case check != nil:
			if errsOut[i] = check(x); errsOut[i] == nil {
				out[i] = x
			}
		default:
			out[i] = x
		}
	}
	return out, errsOut
}
