package workers

import (
	"reflect"
	"testing"
	"time"
)

// TestEveryWorkerHasATimeout: River's default job timeout is one minute, which a job
// over every member or every row cannot meet; each worker states its own.
func TestEveryWorkerHasATimeout(t *testing.T) {
	ws := []any{&PurgeIdempotencyWorker{}, &ReleasePointsWorker{}, &ExpirePointsWorker{}, &LoyaltyDailyWorker{},
		&MarkNoShowsWorker{}, &CouponSegmentWorker{}, &PurgeBiometricsWorker{}, &CheckDevicesWorker{},
		&FlagMissedPatrolsWorker{}, &MeterPartitionsWorker{}, &IoTRetentionWorker{}, &LeasingActivateWorker{},
		&SalesAlertsFanoutWorker{}, &SalesAlertsWorker{}, &LeasingAlertsWorker{}, &WorkOrderSLAWorker{},
		&PaymentsReconcileWorker{}, &LateFeeFanoutWorker{}, &LateFeeWorker{}, &ReportsRollUpWorker{}}
	for _, w := range ws {
		m := reflect.ValueOf(w).MethodByName("Timeout")
		d := m.Call([]reflect.Value{reflect.Zero(m.Type().In(0))})[0].Interface().(time.Duration)
		if d <= 0 {
			t.Errorf("%T has no timeout of its own", w)
		}
	}
	if LoyaltyDailyTimeout < 10*time.Minute {
		t.Errorf("the daily loyalty job may run %s", LoyaltyDailyTimeout)
	}
}
