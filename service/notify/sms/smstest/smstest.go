// Package smstest holds stand-ins for the Aliyun and Tencent Cloud SMS APIs that check
// every request against the documented wire format — parameters, headers and signature,
// recomputed here independently of the client — and answer as the providers do. Tests
// start them with httptest.
package smstest

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sent is one message a fake accepted.
type Sent struct {
	Phone, Sign, Template string
	Params                map[string]string // Aliyun: TemplateParam; Tencent: "0", "1", … by position
}

// Fake is what both fakes share: the accepted messages, the refusals of bad requests,
// and scripted answers.
type Fake struct {
	mu       sync.Mutex
	sent     []Sent
	bad      []string
	script   []string // codes to answer with next, one per request
	requests int
}

// Sent returns the accepted messages.
func (f *Fake) Sent() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sent(nil), f.sent...)
}

// Bad returns why requests were refused as malformed (wrong shape or signature).
func (f *Fake) Bad() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.bad...)
}

// Requests counts requests.
func (f *Fake) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// Answer makes the next requests answer with codes, in order (then success again).
func (f *Fake) Answer(codes ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, codes...)
}

func (f *Fake) next() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	if len(f.script) == 0 {
		return ""
	}
	c := f.script[0]
	f.script = f.script[1:]
	return c
}

func (f *Fake) refuse(why string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bad = append(f.bad, why)
}

func (f *Fake) accept(s Sent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, s)
}

// Aliyun fakes dysmsapi SendSms (RPC, HMAC-SHA1).
type Aliyun struct {
	Fake
	AccessKeyID, AccessKeySecret string
	Now                          func() time.Time
}

// NewAliyun returns an Aliyun fake for the key pair.
func NewAliyun(id, secret string) *Aliyun { return &Aliyun{AccessKeyID: id, AccessKeySecret: secret} }

// percent is RFC 3986 percent-encoding as Aliyun documents it.
func percent(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' ||
			c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// ServeHTTP checks and answers one SendSms call.
func (a *Aliyun) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	code := a.next()
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		_ = r.ParseForm()
		q = r.Form
	}
	if why := a.check(r.Method, q); why != "" {
		a.refuse(why)
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"Code": "SignatureDoesNotMatch", "Message": why,
			"RequestId": "bad"})
		return
	}
	if code == "" {
		code = "OK"
	}
	if code == "OK" {
		var tp map[string]string
		_ = json.Unmarshal([]byte(q.Get("TemplateParam")), &tp)
		a.accept(Sent{Phone: q.Get("PhoneNumbers"), Sign: q.Get("SignName"), Template: q.Get("TemplateCode"), Params: tp})
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"Code": code, "Message": code, "BizId": "biz-" + strconv.Itoa(a.Requests()),
		"RequestId": "req"})
}

func (a *Aliyun) check(method string, q url.Values) string {
	for k, want := range map[string]string{"Action": "SendSms", "Version": "2017-05-25", "Format": "JSON",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "AccessKeyId": a.AccessKeyID} {
		if q.Get(k) != want {
			return fmt.Sprintf("%s is %q, want %q", k, q.Get(k), want)
		}
	}
	for _, k := range []string{"PhoneNumbers", "SignName", "TemplateCode", "SignatureNonce", "RegionId", "Signature"} {
		if q.Get(k) == "" {
			return k + " missing"
		}
	}
	if tp := q.Get("TemplateParam"); tp != "" && !json.Valid([]byte(tp)) {
		return "TemplateParam is not JSON"
	}
	ts, err := time.Parse("2006-01-02T15:04:05Z", q.Get("Timestamp"))
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	if err != nil || now().Sub(ts).Abs() > 15*time.Minute {
		return "Timestamp missing, not ISO 8601 UTC or off by more than 15 minutes"
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var canon []string
	for _, k := range keys {
		canon = append(canon, percent(k)+"="+percent(q.Get(k)))
	}
	mac := hmac.New(sha1.New, []byte(a.AccessKeySecret+"&"))
	mac.Write([]byte(method + "&%2F&" + percent(strings.Join(canon, "&"))))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); q.Get("Signature") != want {
		return "Signature does not match"
	}
	return ""
}

// Tencent fakes Tencent Cloud SMS SendSms (API 3.0, TC3-HMAC-SHA256).
type Tencent struct {
	Fake
	SecretID, SecretKey, SdkAppID string
	Now                           func() time.Time
}

// NewTencent returns a Tencent fake for the credentials and SDK app.
func NewTencent(id, key, app string) *Tencent {
	return &Tencent{SecretID: id, SecretKey: key, SdkAppID: app}
}

func h256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// ServeHTTP checks and answers one SendSms call.
func (t *Tencent) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	code := t.next()
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	var in struct {
		PhoneNumberSet   []string
		SmsSdkAppId      string
		SignName         string
		TemplateId       string
		TemplateParamSet []string
	}
	why := t.check(r, body)
	if why == "" {
		if err := json.Unmarshal(body, &in); err != nil {
			why = "body is not JSON"
		} else if len(in.PhoneNumberSet) != 1 || !strings.HasPrefix(in.PhoneNumberSet[0], "+86") || in.SmsSdkAppId != t.SdkAppID ||
			in.SignName == "" || in.TemplateId == "" {
			why = "PhoneNumberSet (E.164), SmsSdkAppId, SignName and TemplateId are required"
		}
	}
	if why != "" {
		t.refuse(why)
		_ = json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{"Error": map[string]string{
			"Code": "AuthFailure.SignatureFailure", "Message": why}, "RequestId": "bad"}})
		return
	}
	if code == "" {
		code = "Ok"
	}
	if strings.HasPrefix(code, "Error:") { // a request-level error
		_ = json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{"Error": map[string]string{
			"Code": strings.TrimPrefix(code, "Error:"), "Message": "scripted"}, "RequestId": "req"}})
		return
	}
	if code == "Ok" {
		ps := map[string]string{}
		for i, v := range in.TemplateParamSet {
			ps[strconv.Itoa(i)] = v
		}
		t.accept(Sent{Phone: in.PhoneNumberSet[0], Sign: in.SignName, Template: in.TemplateId, Params: ps})
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{"SendStatusSet": []map[string]any{{
		"SerialNo": "serial-" + strconv.Itoa(t.Requests()), "PhoneNumber": in.PhoneNumberSet[0], "Fee": 1,
		"SessionContext": "", "Code": code, "Message": code, "IsoCode": "CN"}}, "RequestId": "req"}})
}

func (t *Tencent) check(r *http.Request, body []byte) string {
	for k, want := range map[string]string{"X-TC-Action": "SendSms", "X-TC-Version": "2021-01-11",
		"Content-Type": "application/json; charset=utf-8"} {
		if r.Header.Get(k) != want {
			return fmt.Sprintf("header %s is %q, want %q", k, r.Header.Get(k), want)
		}
	}
	if r.Method != http.MethodPost || r.Header.Get("X-TC-Region") == "" {
		return "POST with X-TC-Region required"
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	if err != nil || now().Sub(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		return "X-TC-Timestamp missing or off by more than 5 minutes"
	}
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	sum := sha256.Sum256(body)
	canonical := strings.Join([]string{"POST", "/", "", "content-type:" + r.Header.Get("Content-Type"),
		"host:" + r.Host, "", "content-type;host", hex.EncodeToString(sum[:])}, "\n")
	csum := sha256.Sum256([]byte(canonical))
	scope := date + "/sms/tc3_request"
	toSign := "TC3-HMAC-SHA256\n" + strconv.FormatInt(ts, 10) + "\n" + scope + "\n" + hex.EncodeToString(csum[:])
	key := h256(h256(h256([]byte("TC3"+t.SecretKey), date), "sms"), "tc3_request")
	want := "TC3-HMAC-SHA256 Credential=" + t.SecretID + "/" + scope + ", SignedHeaders=content-type;host, Signature=" +
		hex.EncodeToString(h256(key, toSign))
	if r.Header.Get("Authorization") != want {
		return "Authorization does not match"
	}
	return ""
}
