package sms_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/notify/rules"
	"github.com/atrium-mall/atrium/service/notify/sms"
	"github.com/atrium-mall/atrium/service/notify/sms/smstest"
)

var now = time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// TestAliyunDocumentedExample checks the signature against the example of Aliyun's
// signature documentation (SendSms, GET, AccessKeySecret testSecret).
func TestAliyunDocumentedExample(t *testing.T) {
	q := url.Values{"AccessKeyId": {"testId"}, "Action": {"SendSms"}, "Format": {"XML"}, "OutId": {"123"},
		"PhoneNumbers": {"15300000001"}, "RegionId": {"cn-hangzhou"}, "SignName": {"阿里云短信测试专用"},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"45e25e9b-0a6f-4070-8c85-2956eda1b466"},
		"SignatureVersion": {"1.0"}, "TemplateCode": {"SMS_71390007"}, "TemplateParam": {`{"customer":"test"}`},
		"Timestamp": {"2017-07-12T02:42:19Z"}, "Version": {"2017-05-25"}}
	if got := sms.AliyunSign(http.MethodGet, q, "testSecret"); got != "zJDF+Lrzhj/ThnlvIToysFRq6t4=" {
		t.Fatalf("signature %s", got)
	}
}

func TestAliyunWire(t *testing.T) {
	t.Parallel()
	fake := smstest.NewAliyun("ak-id", "ak-secret")
	fake.Now = clock
	srv := httptest.NewServer(fake)
	defer srv.Close()
	msg := sms.Message{Phone: "13800138000", Sign: "阿特里姆", Template: "SMS_1", Params: []sms.Param{{"name", "林 小*姐~"}}}
	good := &sms.Aliyun{Endpoint: srv.URL, AccessKeyID: "ak-id", AccessKeySecret: "ak-secret", HTTP: srv.Client(), Now: clock}
	res, err := good.Send(context.Background(), msg)
	if err != nil || res.Verdict != rules.Sent || res.Ref == "" {
		t.Fatalf("send: %+v, %v (fake: %v)", res, err, fake.Bad())
	}
	s := fake.Sent()
	if len(s) != 1 || s[0].Phone != "13800138000" || s[0].Sign != "阿特里姆" || s[0].Template != "SMS_1" ||
		s[0].Params["name"] != "林 小*姐~" {
		t.Fatalf("fake saw %+v", s)
	}
	fake.Answer("isv.BUSINESS_LIMIT_CONTROL", "isv.MOBILE_NUMBER_ILLEGAL")
	if res, _ := good.Send(context.Background(), msg); res.Verdict != rules.Retry {
		t.Fatalf("flow control: %+v", res)
	}
	if res, _ := good.Send(context.Background(), msg); res.Verdict != rules.GiveUp {
		t.Fatalf("bad number: %+v", res)
	}
	wrong := &sms.Aliyun{Endpoint: srv.URL, AccessKeyID: "ak-id", AccessKeySecret: "other", HTTP: srv.Client(), Now: clock}
	if res, _ := wrong.Send(context.Background(), msg); res.Verdict != rules.GiveUp || len(fake.Bad()) != 1 {
		t.Fatalf("a wrong secret: %+v, fake refusals %v", res, fake.Bad())
	}
}

func TestTencentWire(t *testing.T) {
	t.Parallel()
	fake := smstest.NewTencent("AKIDtest", "secret-key", "1400000001")
	fake.Now = clock
	srv := httptest.NewServer(fake)
	defer srv.Close()
	msg := sms.Message{Phone: "13800138000", Sign: "阿特里姆", Template: "1234567", Params: []sms.Param{{"amount", "100.00"},
		{"day", "2026-12-04"}}}
	good := &sms.Tencent{Endpoint: srv.URL, SecretID: "AKIDtest", SecretKey: "secret-key", SdkAppID: "1400000001",
		HTTP: srv.Client(), Now: clock}
	res, err := good.Send(context.Background(), msg)
	if err != nil || res.Verdict != rules.Sent || res.Ref == "" {
		t.Fatalf("send: %+v, %v (fake: %v)", res, err, fake.Bad())
	}
	s := fake.Sent()
	if len(s) != 1 || s[0].Phone != "+8613800138000" || s[0].Template != "1234567" || s[0].Params["0"] != "100.00" ||
		s[0].Params["1"] != "2026-12-04" {
		t.Fatalf("fake saw %+v", s)
	}
	fake.Answer("LimitExceeded.PhoneNumberDailyLimit", "Error:InternalError.Timeout")
	if res, _ := good.Send(context.Background(), msg); res.Verdict != rules.Retry {
		t.Fatalf("daily limit: %+v", res)
	}
	if res, _ := good.Send(context.Background(), msg); res.Verdict != rules.Retry {
		t.Fatalf("internal error: %+v", res)
	}
	wrong := &sms.Tencent{Endpoint: srv.URL, SecretID: "AKIDtest", SecretKey: "nope", SdkAppID: "1400000001",
		HTTP: srv.Client(), Now: clock}
	if res, _ := wrong.Send(context.Background(), msg); res.Code != "AuthFailure.SignatureFailure" || len(fake.Bad()) != 1 {
		t.Fatalf("a wrong key: %+v, fake refusals %v", res, fake.Bad())
	}
}
