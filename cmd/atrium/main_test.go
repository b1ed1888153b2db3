package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/atrium-mall/atrium/storage/storetest"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitFor(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond) // waiting for a server to come up
	}
	t.Fatalf("%s did not come up", url)
}

func graphql(t *testing.T, base, query string) map[string]any {
	t.Helper()
	return graphqlAs(t, base, "", query)
}

// graphqlAs posts query with a bearer token (none when token is empty).
func graphqlAs(t *testing.T, base, token, query string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCommandsEndToEnd runs what `make run` runs, in process: migrate an empty database
// (twice), seed the demo, start the WeChat stand-in and the server, log in as the demo
// admin and as a shopper, then stop with a signal and see a clean shutdown.
func TestCommandsEndToEnd(t *testing.T) {
	httpAddr, stubAddr, mqttAddr := freeAddr(t), freeAddr(t), freeAddr(t)
	t.Setenv("ATRIUM_ENV", "dev")
	t.Setenv("ATRIUM_DATABASE_URL", storetest.EmptyDB(t))
	t.Setenv("ATRIUM_REDIS_URL", storetest.RedisURL())
	t.Setenv("ATRIUM_REDIS_PREFIX", storetest.RandomName("test:cmd")+":")
	t.Setenv("ATRIUM_DATA_DIR", t.TempDir())
	t.Setenv("ATRIUM_HTTP_ADDR", httpAddr)
	t.Setenv("ATRIUM_DEMO_PASSWORD", "demo-password-123")
	t.Setenv("ATRIUM_PASSWORD_COST", "4")
	t.Setenv("ATRIUM_MQTT_URL", "")
	t.Setenv("ATRIUM_MQTT_LISTEN", mqttAddr)
	t.Setenv("ATRIUM_MQTT_CLIENT_ID", storetest.RandomName("atrium-bridge-test-"))
	t.Setenv("ATRIUM_WECHAT_APPID", "wx-dev")
	t.Setenv("ATRIUM_WECHAT_SECRET", "dev-secret")
	t.Setenv("ATRIUM_WECHAT_API_BASE", "http://"+stubAddr)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	for _, args := range [][]string{{"migrate"}, {"migrate"}, {"seed", "--demo"}, {"seed", "--demo"}, {"keys", "reseal"}} {
		if code := run(ctx, args); code != 0 {
			t.Fatalf("atrium %v exited %d", args, code)
		}
	}
	if code := run(ctx, []string{"seed"}); code == 0 {
		t.Fatal("seed without --demo must fail")
	}
	if code := run(ctx, []string{"bogus"}); code != 2 {
		t.Fatalf("unknown command exited %d", code)
	}
	stubDone, serveDone := make(chan int, 1), make(chan int, 1)
	go func() { stubDone <- run(ctx, []string{"wechat-stub", "--addr", stubAddr}) }()
	go func() { serveDone <- run(ctx, []string{"serve"}) }()
	base := "http://" + httpAddr
	waitFor(t, base+"/readyz")
	// The stand-in makes its WeChat Pay keys first (RSA, slow under -race): wait for it too.
	waitFor(t, "http://"+stubAddr+"/sns/jscode2session?appid=wx-dev&secret=dev-secret&js_code=probe&grant_type=authorization_code")

	login := graphql(t, base, `mutation { loginStaff(input: {username: "admin", password: "demo-password-123"}) { accessToken userErrors { code } } }`)
	adminToken, _ := login["data"].(map[string]any)["loginStaff"].(map[string]any)["accessToken"].(string)
	if adminToken == "" {
		t.Fatalf("admin login: %v", login)
	}
	shopper := graphql(t, base, `mutation { loginWeChat(input: {code: "any-dev-code"}) { accessToken userErrors { code message } } }`)
	shopperToken, _ := shopper["data"].(map[string]any)["loginWeChat"].(map[string]any)["accessToken"].(string)
	if shopperToken == "" {
		t.Fatalf("shopper login through the stand-in: %v", shopper)
	}

	// The demo content is there once, however often the seed ran: a shopper sees the
	// VIP lounge and its slots.
	malls := graphqlAs(t, base, adminToken, `{ malls { edges { node { id code } } } }`)
	edges, _ := malls["data"].(map[string]any)["malls"].(map[string]any)["edges"].([]any)
	if len(edges) != 1 {
		t.Fatalf("malls: %v", malls)
	}
	mallID := edges[0].(map[string]any)["node"].(map[string]any)["id"].(string)
	lounge := graphqlAs(t, base, shopperToken, `{ bookableResources(mallId: "`+mallID+`") { id name pricePoints } }`)
	resources, _ := lounge["data"].(map[string]any)["bookableResources"].([]any)
	if len(resources) != 1 || resources[0].(map[string]any)["name"] != "VIP lounge" {
		t.Fatalf("demo lounge: %v", lounge)
	}
	from, to := time.Now().UTC().Format(time.RFC3339), time.Now().Add(8*24*time.Hour).UTC().Format(time.RFC3339)
	slots := graphqlAs(t, base, shopperToken, `{ bookingSlots(resourceId: "`+resources[0].(map[string]any)["id"].(string)+
		`", from: "`+from+`", to: "`+to+`") { id available } }`)
	if list, _ := slots["data"].(map[string]any)["bookingSlots"].([]any); len(list) < 6*6 || len(list) > 7*6 {
		t.Fatalf("demo lounge slots for the week: %d (%v)", len(list), slots["errors"])
	}
	res, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), "/graphql") {
		t.Fatal("the GraphiQL page is not served in dev")
	}

	// The embedded MQTT broker is up and refuses devices it does not know.
	opts := mqtt.NewClientOptions().AddBroker("tcp://" + mqttAddr).SetClientID("intruder").
		SetUsername("intruder").SetPassword("guess").SetConnectTimeout(5 * time.Second)
	if tok := mqtt.NewClient(opts).Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() == nil {
		t.Fatal("the embedded broker accepted an unknown device")
	}

	cancel() // as SIGTERM does
	for name, ch := range map[string]chan int{"serve": serveDone, "wechat-stub": stubDone} {
		select {
		case code := <-ch:
			if code != 0 {
				t.Fatalf("%s exited %d after shutdown", name, code)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s did not shut down", name)
		}
	}
}

func TestConfigErrorStopsTheServer(t *testing.T) {
	t.Setenv("ATRIUM_ENV", "staging")
	if code := run(context.Background(), []string{"serve"}); code != 1 {
		t.Fatalf("exit %d", code)
	}
}
