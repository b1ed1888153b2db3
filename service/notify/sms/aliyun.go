package sms

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/notify/rules"
)

// Aliyun sends through Aliyun SMS (dysmsapi, API version 2017-05-25), RPC style: the
// parameters in the query string, signed with HMAC-SHA1 over
// "POST&%2F&" + percentEncode(sorted canonical query), keyed by AccessKeySecret + "&".
type Aliyun struct {
	Endpoint        string // https://dysmsapi.aliyuncs.com
	AccessKeyID     string
	AccessKeySecret string
	RegionID        string // cn-hangzhou
	HTTP            *http.Client
	Now             func() time.Time
}

// Name implements Provider.
func (*Aliyun) Name() string { return "aliyun" }

// AliyunPercent is Aliyun's percent-encoding: RFC 3986 (space %20, * %2A, ~ kept).
func AliyunPercent(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

// AliyunSign is the Signature of params (without Signature) for method, keyed by secret.
func AliyunSign(method string, params url.Values, secret string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = AliyunPercent(k) + "=" + AliyunPercent(params.Get(k))
	}
	toSign := method + "&" + AliyunPercent("/") + "&" + AliyunPercent(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(toSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Send implements Provider.
func (a *Aliyun) Send(ctx context.Context, m Message) (Result, error) {
	tp := map[string]string{}
	for _, p := range m.Params {
		tp[p.Name] = p.Value
	}
	tpJSON, _ := json.Marshal(tp)
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	region := a.RegionID
	if region == "" {
		region = "cn-hangzhou"
	}
	q := url.Values{
		"AccessKeyId": {a.AccessKeyID}, "Action": {"SendSms"}, "Format": {"JSON"}, "PhoneNumbers": {m.Phone},
		"RegionId": {region}, "SignName": {m.Sign}, "SignatureMethod": {"HMAC-SHA1"},
		"SignatureNonce": {uuid.NewString()}, "SignatureVersion": {"1.0"}, "TemplateCode": {m.Template},
		"TemplateParam": {string(tpJSON)}, "Timestamp": {now().UTC().Format("2006-01-02T15:04:05Z")},
		"Version": {"2017-05-25"},
	}
	q.Set("Signature", AliyunSign(http.MethodPost, q, a.AccessKeySecret))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(a.Endpoint, "/")+"/?"+q.Encode(), nil)
	if err != nil {
		return Result{}, err
	}
	res, err := a.HTTP.Do(req)
	if err != nil {
		return Result{}, fmt.Errorf("aliyun sms: %w", err)
	}
	defer res.Body.Close()
	var body struct{ Code, Message, BizId, RequestId string }
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(&body); err != nil {
		return Result{}, fmt.Errorf("aliyun sms: HTTP %d: %w", res.StatusCode, err)
	}
	if res.StatusCode >= 500 {
		return Result{}, fmt.Errorf("aliyun sms: HTTP %d %s", res.StatusCode, body.Code)
	}
	return Result{Verdict: rules.AliyunErr(body.Code), Code: body.Code, Message: body.Message, Ref: body.BizId}, nil
}
