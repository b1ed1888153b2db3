package iot_test

import (
	"bytes"
	"io"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestLastWill: a device that drops off without a DISCONNECT gets its retained
// "offline" last will published by the broker, and the bridge marks it offline.
func TestLastWill(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		r, c := e.live(devices.NewDevice{ID: "r1", Type: devices.CardReader})
		tok := c.Publish(e.topic(r, "status"), 1, true, "online")
		tok.Wait()
		e.waitCount(1, `SELECT count(*) FROM devices WHERE id = 'r1' AND online`)
		conn := rawConnectWithWill(t, e.brokerURL, "r1-"+storetest.RandomName(""), "r1", e.passwords["r1"], e.topic(r, "status"))
		_ = conn.Close() // no DISCONNECT: the broker sends the will
		e.waitCount(1, `SELECT count(*) FROM devices WHERE id = 'r1' AND NOT online`)
		c.Publish(e.topic(r, "status"), 1, true, "").Wait() // clear the retained status
		e.publish(c, e.topic(r, "swipe"), `{"id":"after","ts":"2026-06-01T08:00:00Z","uid":"X"}`)
		e.waitCount(1, `SELECT count(*) FROM dead_letters`) // the swipe (no arrivals service), not the clear
		if n := e.count(`SELECT count(*) FROM dead_letters WHERE topic LIKE '%/status'`); n != 0 {
			t.Fatalf("%d status dead letters", n)
		}
	})
}

// rawConnectWithWill opens an MQTT 3.1.1 session with a retained "offline" will (none
// when willTopic is empty) and waits for the CONNACK.
func rawConnectWithWill(t *testing.T, brokerURL, clientID, user, pass, willTopic string) net.Conn {
	t.Helper()
	u, err := url.Parse(brokerURL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	pk := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Connect}, ProtocolVersion: 4,
		Connect: packets.ConnectParams{ProtocolName: []byte("MQTT"), ClientIdentifier: clientID, Clean: true, Keepalive: 30,
			UsernameFlag: true, Username: []byte(user), PasswordFlag: true, Password: []byte(pass)}}
	if willTopic != "" {
		pk.Connect.WillFlag, pk.Connect.WillTopic, pk.Connect.WillPayload = true, willTopic, []byte("offline")
		pk.Connect.WillQos, pk.Connect.WillRetain = 1, true
	}
	var buf bytes.Buffer
	if err := pk.ConnectEncode(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	ack := make([]byte, 4)
	if _, err := io.ReadFull(conn, ack); err != nil || ack[0] != 0x20 || ack[3] != 0 {
		t.Fatalf("connack %x: %v", ack, err)
	}
	return conn
}
