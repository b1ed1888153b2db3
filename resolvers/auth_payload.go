package resolvers

import (
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/service/identity"
)

// authPayload maps a login or refresh result.
func authPayload(t identity.Tokens, err error) (model.AuthPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.AuthPayload{UserErrors: ue}, err
	}
	return model.AuthPayload{
		AccessToken:  &t.AccessToken,
		RefreshToken: &t.RefreshToken,
		ExpiresAt:    &t.ExpiresAt,
		Viewer:       t.Viewer,
		UserErrors:   ue,
	}, nil
}
