package iot_test

import (
	"context"
	"fmt"
	"testing"
)

const readings = `SELECT count(*) FROM meter_readings WHERE device_id = $1`

func TestReadingExactlyOnce(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		m, c := e.live(newMeter("m1"))
		for range 5 {
			e.publish(c, e.topic(m, "reading"), reading("r1", 0, "100.5"))
		}
		e.publish(c, e.topic(m, "reading"), reading("r2", 1, "101"))
		e.waitCount(2, `SELECT count(*) FROM iot_events WHERE device_id = 'm1'`)
		if n := e.count(readings, "m1"); n != 2 {
			t.Fatalf("%d readings, want 2", n)
		}
		d, _ := e.devs.Lookup(context.Background(), e.db.Pool, "m1")
		if d.LastSeenAt == nil || !d.Online {
			t.Fatalf("device not seen: %+v", d)
		}
	})
}

func TestDeadLettersThenGoodEvent(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		m := e.device(newMeter("m1"))
		off := e.device(newMeter("m-off"))
		e.exec(`UPDATE devices SET enabled = false WHERE id = 'm-off'`)
		e.start()
		c := e.publisher("m1")
		var bad []string
		for i := range 1000 {
			switch i % 4 {
			case 0:
				bad = append(bad, e.topic(m, "reading"), fmt.Sprintf(`{"id":"b%d","ts":"nope"}`, i))
			case 1:
				bad = append(bad, e.topic(m, "reading"), fmt.Sprintf(`{"id":"b%d"`, i))
			case 2:
				bad = append(bad, e.root+"/"+e.mallCode+"/meter/m1/swipe", fmt.Sprintf(`{"id":"b%d"}`, i))
			case 3:
				bad = append(bad, e.root+"/"+e.mallCode+"/meter/ghost/reading", reading(fmt.Sprint("b", i), 0, "1"))
			}
		}
		if e.embedded { // on the embedded broker m1 may only publish under its own topic
			for i := 0; i < len(bad); i += 2 {
				if i%8 == 6 {
					bad[i] = e.topic(m, "oops")
				}
			}
		}
		toks := make(chan error, 1000)
		for i := 0; i < len(bad); i += 2 {
			tok := c.Publish(bad[i], 1, false, bad[i+1])
			go func() { tok.Wait(); toks <- tok.Error() }()
		}
		for range 1000 {
			if err := <-toks; err != nil {
				t.Fatal(err)
			}
		}
		if !e.embedded { // a disabled device's events are dead letters too (it cannot connect to the embedded broker)
			e.publish(c, e.topic(off, "reading"), reading("x", 0, "1"))
		}
		e.publish(c, e.topic(m, "reading"), reading("good", 0, "5"))
		want := 1000
		if !e.embedded {
			want = 1001
		}
		e.waitCount(want, `SELECT count(*) FROM dead_letters`)
		e.waitCount(1, readings, "m1")
		if !e.embedded {
			e.waitCount(1, `SELECT count(*) FROM dead_letters WHERE reason = 'disabled device'`)
		}
	})
}

// TestRestartPersistentSession: messages published while the bridge is stopped are
// processed when it comes back with the same client id.
func TestRestartPersistentSession(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		m, c := e.live(newMeter("m1"))
		e.publish(c, e.topic(m, "reading"), reading("r0", 0, "1"))
		e.waitCount(1, readings, "m1")
		e.stop()
		for i := 1; i <= 20; i++ {
			e.publish(c, e.topic(m, "reading"), reading(fmt.Sprint("r", i), i, fmt.Sprint(i+1)))
		}
		if n := e.count(readings, "m1"); n != 1 {
			t.Fatalf("%d readings while stopped", n)
		}
		e.start()
		e.waitCount(21, readings, "m1")
	})
}

// TestEmbeddedTopicOwnership: on the embedded broker (Start with no URL) a device
// cannot publish under another device's topic; it is disconnected and nothing lands.
func TestEmbeddedTopicOwnership(t *testing.T) {
	t.Parallel()
	e := newEnv(t, true)
	m1 := e.device(newMeter("m1"))
	m2 := e.device(newMeter("m2"))
	e.cfg.URL = ""
	stop, err := startPlain(e)
	if err != nil {
		t.Fatal(err)
	}
	defer stop(context.Background()) //nolint:errcheck
	c := e.publisher("m1")
	tok := c.Publish(e.topic(m2, "reading"), 1, false, reading("spoof", 0, "999"))
	tok.WaitTimeout(2e9)
	if e.count(readings, "m2") != 0 {
		t.Fatal("spoofed reading stored")
	}
	// A wrong password is refused.
	e.passwords["m2x"] = "nope"
	if _, err := tryConnect(e, "m2", "wrong"); err == nil {
		t.Fatal("wrong password accepted")
	}
	c2 := e.publisher("m2")
	e.publish(c2, e.topic(m2, "reading"), reading("own", 0, "7"))
	c1 := e.publisher("m1")
	e.publish(c1, e.topic(m1, "reading"), reading("own", 0, "3"))
	e.waitCount(1, readings, "m1")
	e.waitCount(1, readings, "m2")
	if e.count(`SELECT count(*) FROM meter_readings WHERE value = 999`) != 0 {
		t.Fatal("spoofed reading stored")
	}
}

// TestSharedSubscription: two bridge instances in one $share group split the load and
// every event is processed once.
func TestSharedSubscription(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		m := e.device(newMeter("m1"))
		e.cfg.SharedGroup = "atrium"
		e.start()
		e.cfg.ClientID += "-2"
		e.start()
		c := e.publisher("m1")
		for i := range 100 {
			e.publish(c, e.topic(m, "reading"), reading(fmt.Sprint("s", i), i, fmt.Sprint(i)))
		}
		e.waitCount(100, readings, "m1")
		e.waitCount(100, `SELECT count(*) FROM iot_events`)
	})
}

// TestEmbeddedSessionTakeover: a device cannot connect with another client's id.
func TestEmbeddedSessionTakeover(t *testing.T) {
	t.Parallel()
	e := newEnv(t, true)
	e.device(newMeter("m1"))
	e.start()
	c := mqttConnect(e.brokerURL, e.cfg.ClientID, "m1", e.passwords["m1"])
	if tok := c.Connect(); tok.WaitTimeout(5e9) && tok.Error() == nil {
		c.Disconnect(0)
		t.Fatal("device took over the bridge's client id")
	}
}
