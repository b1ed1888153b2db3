package resolvers

import (
	"encoding/base64"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/atrium-mall/atrium/service/redemption"
)

// qrCacheSize bounds the QR PNG cache: about 1.5 KB a data URL, so a few MB at most.
const qrCacheSize = 4096

// qrCache keeps rendered QR PNG data URLs by code (a code's token never changes, so
// neither does its picture): a shopper opening the member home again, or the next
// page of coupons, costs no rendering. Bounded (least recently used out).
type qrCache struct{ lru *lru.Cache[string, string] }

// qrPNGs is the process's QR cache; it holds only pictures of tokens, which every
// field that shows one still authorizes (the coupon or booking is the viewer's own).
var qrPNGs = newQRCache(qrCacheSize)

func newQRCache(size int) qrCache {
	c, err := lru.New[string, string](size)
	if err != nil {
		panic(err) // only for size ≤ 0
	}
	return qrCache{lru: c}
}

// get returns the data URL cached under key, or renders the token that token returns
// (signing it only on a miss) and caches it. An empty token renders nothing.
func (c qrCache) get(key string, token func() (string, error)) (string, error) {
	if url, ok := c.lru.Get(key); ok {
		return url, nil
	}
	t, err := token()
	if err != nil || t == "" {
		return "", err
	}
	url, err := qrDataURL(t)
	if err != nil {
		return "", err
	}
	c.lru.Add(key, url)
	return url, nil
}

// qrDataURL renders token as a 256-px QR code PNG data URL.
func qrDataURL(token string) (string, error) {
	png, err := redemption.QRPNG(token, 256)
	if err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}
