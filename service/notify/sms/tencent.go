package sms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/atrium-mall/atrium/service/notify/rules"
)

// Tencent sends through Tencent Cloud SMS (API 3.0, version 2021-01-11): a JSON POST
// signed with TC3-HMAC-SHA256 (canonical request over content-type and host, the
// signing key derived from "TC3"+SecretKey by date, service "sms" and "tc3_request").
type Tencent struct {
	Endpoint  string // https://sms.tencentcloudapi.com
	SecretID  string
	SecretKey string
	Region    string // ap-guangzhou
	SdkAppID  string // SmsSdkAppId
	HTTP      *http.Client
	Now       func() time.Time
}

// Name implements Provider.
func (*Tencent) Name() string { return "tencent" }

// TencentContentType is the content type signed and sent.
const TencentContentType = "application/json; charset=utf-8"

func sha256hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func hmac256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// TencentSignature is the TC3-HMAC-SHA256 signature of a POST / to host with payload at
// timestamp, for service "sms".
func TencentSignature(secretKey, host string, payload []byte, timestamp int64) string {
	canonical := "POST\n/\n\ncontent-type:" + TencentContentType + "\nhost:" + host + "\n\ncontent-type;host\n" +
		sha256hex(payload)
	date := time.Unix(timestamp, 0).UTC().Format("2006-01-02")
	toSign := "TC3-HMAC-SHA256\n" + strconv.FormatInt(timestamp, 10) + "\n" + date + "/sms/tc3_request\n" +
		sha256hex([]byte(canonical))
	k := hmac256([]byte("TC3"+secretKey), date)
	k = hmac256(k, "sms")
	k = hmac256(k, "tc3_request")
	return hex.EncodeToString(hmac256(k, toSign))
}

// Send implements Provider.
func (t *Tencent) Send(ctx context.Context, m Message) (Result, error) {
	phone := m.Phone
	if !strings.HasPrefix(phone, "+") {
		phone = "+86" + phone
	}
	params := make([]string, len(m.Params))
	for i, p := range m.Params {
		params[i] = p.Value
	}
	payload, _ := json.Marshal(map[string]any{"PhoneNumberSet": []string{phone}, "SmsSdkAppId": t.SdkAppID,
		"SignName": m.Sign, "TemplateId": m.Template, "TemplateParamSet": params})
	u, err := url.Parse(t.Endpoint)
	if err != nil {
		return Result{}, err
	}
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	ts := now().Unix()
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(t.Endpoint, "/")+"/",
		bytes.NewReader(payload))
	if err != nil {
		return Result{}, err
	}
	region := t.Region
	if region == "" {
		region = "ap-guangzhou"
	}
	req.Header.Set("Content-Type", TencentContentType)
	req.Header.Set("Host", u.Host)
	req.Header.Set("X-TC-Action", "SendSms")
	req.Header.Set("X-TC-Version", "2021-01-11")
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-TC-Region", region)
	req.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential="+t.SecretID+"/"+date+"/sms/tc3_request, "+
		"SignedHeaders=content-type;host, Signature="+TencentSignature(t.SecretKey, u.Host, payload, ts))
	res, err := t.HTTP.Do(req)
	if err != nil {
		return Result{}, fmt.Errorf("tencent sms: %w", err)
	}
	defer res.Body.Close()
	var body struct {
		Response struct {
			Error         *struct{ Code, Message string }
			SendStatusSet []struct {
				SerialNo, PhoneNumber, Code, Message string
			}
			RequestId string
		}
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(&body); err != nil {
		return Result{}, fmt.Errorf("tencent sms: HTTP %d: %w", res.StatusCode, err)
	}
	r := body.Response
	switch {
	case r.Error != nil:
		return Result{Verdict: rules.TencentErr(r.Error.Code), Code: r.Error.Code, Message: r.Error.Message}, nil
	case len(r.SendStatusSet) != 1:
		return Result{}, fmt.Errorf("tencent sms: %d statuses for one number", len(r.SendStatusSet))
	}
	st := r.SendStatusSet[0]
	return Result{Verdict: rules.TencentErr(st.Code), Code: st.Code, Message: st.Message, Ref: st.SerialNo}, nil
}
