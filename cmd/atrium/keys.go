package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/atrium-mall/atrium/app"
)

// cmdKeys runs `atrium keys reseal`: redemption signing keys stored plain or sealed
// under ATRIUM_DATA_KEY_PREVIOUS are sealed under ATRIUM_DATA_KEY. Rotation: set the new
// key as ATRIUM_DATA_KEY and the old one as ATRIUM_DATA_KEY_PREVIOUS, restart every
// server, run this, then drop the previous key.
func cmdKeys(ctx context.Context, args []string) error {
	if len(args) != 1 || args[0] != "reseal" {
		return errors.New("usage: atrium keys reseal")
	}
	return withApp(ctx, func(a *app.App) error {
		n, err := a.Services.Redemption.ResealKeys(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("keys reseal: %d signing key(s) sealed again under the current data key\n", n)
		return nil
	})
}
