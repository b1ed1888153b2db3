package iot_test

import (
	"context"
	"errors"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// startPlain runs iot.Start as cmd/atrium does (embedded broker when cfg.URL is empty).
func startPlain(e *env) (func(context.Context) error, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := iot.StartRunning(ctx, e.cfg, iot.Deps{DB: e.db, Devices: e.devs, Handlers: e.handlers})
	if err != nil {
		return nil, err
	}
	e.brokerURL = "tcp://" + r.Broker.Addr()
	return r.Stop, nil
}

func tryConnect(e *env, user, pass string) (mqtt.Client, error) {
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(e.brokerURL).SetClientID(storetest.RandomName(user + "-")).
		SetUsername(user).SetPassword(pass).SetAutoReconnect(false))
	tok := c.Connect()
	if !tok.WaitTimeout(5 * time.Second) {
		return nil, errors.New("timeout")
	}
	return c, tok.Error()
}

func mqttConnect(url, clientID, user, pass string) mqtt.Client {
	return mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID(clientID).
		SetUsername(user).SetPassword(pass).SetAutoReconnect(false))
}
