package notify_test

import (
	"net/http"
	"time"

	"github.com/atrium-mall/atrium/service/page"
)

func defaultClient() *http.Client { return &http.Client{Timeout: 5 * time.Second} }

var pageAll = page.Request{First: 100}
