package payments

import (
	"testing"

	"github.com/atrium-mall/atrium/service/state/statetest"
)

func TestOrderMachine(t *testing.T) {
	statetest.Check(t, orderMachine.Next, ErrTransition,
		statetest.Legal("a notification pays a created order", EventPay, StatusCreated, StatusPaid),
		statetest.Refused("nothing pays an order twice, closed or refunded", EventPay, StatusPaid, StatusClosed,
			StatusPartlyRefunded, StatusRefunded),
		statetest.Legal("the job closes an expired order", EventClose, StatusCreated, StatusClosed),
		statetest.Refused("a paid order is never closed", EventClose, StatusPaid, StatusPartlyRefunded, StatusRefunded),
		statetest.Legal("a paid order may be refunded", EventRequestRefund, StatusPaid, StatusPaid),
		statetest.Legal("a partly refunded order may be refunded again", EventRequestRefund, StatusPartlyRefunded,
			StatusPartlyRefunded),
		statetest.Refused("an unpaid, closed or fully refunded order is not refunded", EventRequestRefund, StatusCreated,
			StatusClosed, StatusRefunded),
		statetest.Legal("part of a paid order refunded", EventRefundPart, StatusPaid, StatusPartlyRefunded),
		statetest.Legal("more of it refunded", EventRefundPart, StatusPartlyRefunded, StatusPartlyRefunded),
		statetest.Legal("the rest refunded", EventRefundRest, StatusPartlyRefunded, StatusRefunded),
		statetest.Legal("all at once", EventRefundRest, StatusPaid, StatusRefunded),
		statetest.Refused("nothing refunds an unpaid order", EventRefundRest, StatusCreated, StatusClosed, StatusRefunded),
	)
}
