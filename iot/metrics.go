package iot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the bridge's per-instance Prometheus metrics, labelled by instance (the
// replica, Config.Instance) and client_id (the MQTT session: a replica's own, or one it
// drains for a dead replica).
type Metrics struct {
	events *prometheus.CounterVec
	lag    *prometheus.HistogramVec
	errors *prometheus.CounterVec
	drains *prometheus.CounterVec
}

// NewMetrics returns the bridge's metrics, registered on reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	labels := []string{"instance", "client_id"}
	m := &Metrics{
		events: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "atrium_iot_events_total",
			Help: "MQTT messages committed by the bridge (events and dead letters); rate() gives events/s."}, labels),
		lag: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "atrium_iot_lag_seconds",
			Help:    "Time from a message's arrival at the bridge to the commit of its batch.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}}, labels),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "atrium_iot_batch_errors_total",
			Help: "Batches that failed to commit (each is retried; nothing was acknowledged)."}, labels),
		drains: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "atrium_iot_session_drains_total",
			Help: "Sessions of dead replicas drained and dropped by this replica."}, []string{"instance"}),
	}
	if reg != nil {
		reg.MustRegister(m.events, m.lag, m.errors, m.drains)
	}
	return m
}

// bridgeMetrics are a Metrics curried for one bridge (nil-safe).
type bridgeMetrics struct {
	events prometheus.Counter
	lag    prometheus.Observer
	errors prometheus.Counter
}

func (m *Metrics) of(instance, clientID string) *bridgeMetrics {
	if m == nil {
		return nil
	}
	return &bridgeMetrics{events: m.events.WithLabelValues(instance, clientID),
		lag: m.lag.WithLabelValues(instance, clientID), errors: m.errors.WithLabelValues(instance, clientID)}
}

// committed records a committed batch.
func (m *bridgeMetrics) committed(batch []*Message, at time.Time) {
	if m == nil {
		return
	}
	m.events.Add(float64(len(batch)))
	for _, msg := range batch {
		m.lag.Observe(at.Sub(msg.ReceivedAt).Seconds())
	}
}

// failed records a batch that failed to commit.
func (m *bridgeMetrics) failed() {
	if m != nil {
		m.errors.Inc()
	}
}

// drained counts a dead replica's session drained.
func (m *Metrics) drained(instance string) {
	if m != nil {
		m.drains.WithLabelValues(instance).Inc()
	}
}
