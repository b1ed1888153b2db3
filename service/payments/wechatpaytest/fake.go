// Package wechatpaytest is a stand-in for WeChat Pay's API v3 (public-key mode) that
// speaks its documented wire format: it verifies the merchant's request signatures
// (Authorization: WECHATPAY2-SHA256-RSA2048 mchid, nonce_str, timestamp, serial_no,
// signature) with the merchant's public key, signs its answers with the WeChat Pay
// private key (Wechatpay-Signature, -Timestamp, -Nonce, -Serial = the public key id
// "PUB_KEY_ID_…"), keeps orders and refunds, and sends payment and refund
// notifications whose resource is encrypted with AEAD_AES_256_GCM under the APIv3 key.
// Tests start it with httptest and keys from NewKeys; `atrium wechat-stub` serves it
// for local development with keys kept in a folder (DevKeys).
//
// For tests it can deliver a notification several times at once, tamper with it (bad
// signature, stale timestamp, another amount or appid) or lose it.
package wechatpaytest

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/atrium-mall/atrium/service/payments"
)

// Keys are one merchant's WeChat Pay credentials, both sides: the merchant's key pair
// (its serial MchSerial), WeChat Pay's key pair (the public half given to the merchant
// with PublicKeyID) and the APIv3 key.
type Keys struct {
	MchID, AppID, MchSerial string
	Merchant                *rsa.PrivateKey
	WeChatPay               *rsa.PrivateKey
	PublicKeyID             string
	APIv3Key                string
}

// NewKeys generates fresh RSA 2048 keys and a random APIv3 key for mchid and appid.
func NewKeys(mchID, appID string) (Keys, error) {
	mk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return Keys{}, err
	}
	wk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return Keys{}, err
	}
	return Keys{MchID: mchID, AppID: appID, MchSerial: strings.ToUpper(randomHex(20)), Merchant: mk, WeChatPay: wk,
		PublicKeyID: "PUB_KEY_ID_01" + strings.ToUpper(randomHex(15)), APIv3Key: randomHex(16)}, nil
}

// Config is the merchant's configuration for these keys, WeChat Pay at apiBase.
func (k Keys) Config(apiBase, notifyURL string) payments.WeChatPayConfig {
	return payments.WeChatPayConfig{MchID: k.MchID, AppID: k.AppID, MchSerial: k.MchSerial, MchKey: k.Merchant,
		PublicKeyID: k.PublicKeyID, PublicKey: &k.WeChatPay.PublicKey, APIv3Key: k.APIv3Key, NotifyURL: notifyURL,
		APIBase: apiBase}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Tamper says how a notification is spoiled.
type Tamper int

// Ways to spoil a notification.
const (
	Intact         Tamper = iota
	BadSignature          // signed with another key
	StaleTimestamp        // signed, but 6 minutes old
	WrongAmount           // signed and encrypted, one fen more than the order
	WrongAppID            // signed and encrypted, another appid
	Lost                  // never delivered
)

type order struct {
	Appid, Mchid, Description, OutTradeNo, NotifyURL string
	Total                                            int64
	Mode, PrepayID, CodeURL                          string
	State, TransactionID, SuccessTime, Openid        string
}

type refund struct {
	OutRefundNo, OutTradeNo, RefundID, Status, NotifyURL string
	Refund, Total                                        int64
}

// Fake is the stand-in. Now stamps notifications (default time.Now); answers are always
// stamped with the real time, as the SDK checks them against it.
type Fake struct {
	Keys   Keys
	Now    func() time.Time
	Client *http.Client // delivers notifications (default: 5 s timeout)

	mu      sync.Mutex
	orders  map[string]*order
	refunds map[string]*refund
	seq     int
	// Requests counts the API calls that passed the signature check.
	Requests int
}

// New returns a fake for keys.
func New(keys Keys) *Fake {
	return &Fake{Keys: keys, Now: time.Now, Client: &http.Client{Timeout: 5 * time.Second},
		orders: map[string]*order{}, refunds: map[string]*refund{}}
}

// ServeHTTP implements the API (and POST /dev/pay/{out_trade_no}: pay and notify, for
// local development).
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if strings.HasPrefix(r.URL.Path, "/dev/pay/") && r.Method == http.MethodPost {
		codes, err := f.Pay(strings.TrimPrefix(r.URL.Path, "/dev/pay/"), 1, Intact)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"delivered": codes})
		return
	}
	if err := f.verifyRequest(r, body); err != nil {
		f.answer(w, http.StatusUnauthorized, map[string]string{"code": "SIGN_ERROR", "message": err.Error()})
		return
	}
	f.mu.Lock()
	f.Requests++
	f.mu.Unlock()
	p := r.URL.Path
	switch {
	case r.Method == http.MethodPost && (p == "/v3/pay/transactions/jsapi" || p == "/v3/pay/transactions/native"):
		f.prepay(w, strings.TrimPrefix(p, "/v3/pay/transactions/"), body)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v3/pay/transactions/out-trade-no/"):
		f.query(w, strings.TrimPrefix(p, "/v3/pay/transactions/out-trade-no/"))
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/close"):
		f.close(w, strings.TrimSuffix(strings.TrimPrefix(p, "/v3/pay/transactions/out-trade-no/"), "/close"))
	case r.Method == http.MethodPost && p == "/v3/refund/domestic/refunds":
		f.refund(w, body)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v3/refund/domestic/refunds/"):
		f.queryRefund(w, strings.TrimPrefix(p, "/v3/refund/domestic/refunds/"))
	default:
		f.answer(w, http.StatusNotFound, map[string]string{"code": "NOT_FOUND", "message": "no such API"})
	}
}

// verifyRequest checks the Authorization header: scheme, mchid, serial, a fresh
// timestamp, and the signature of "METHOD\nURI\ntimestamp\nnonce\nbody\n" with the
// merchant's public key.
func (f *Fake) verifyRequest(r *http.Request, body []byte) error {
	const scheme = "WECHATPAY2-SHA256-RSA2048 "
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, scheme) {
		return errors.New("no WECHATPAY2-SHA256-RSA2048 authorization")
	}
	fields := map[string]string{}
	for _, kv := range strings.Split(strings.TrimPrefix(h, scheme), ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if ok {
			fields[k] = strings.Trim(v, `"`)
		}
	}
	ts, err := strconv.ParseInt(fields["timestamp"], 10, 64)
	switch {
	case fields["mchid"] != f.Keys.MchID:
		return fmt.Errorf("mchid %q unknown", fields["mchid"])
	case fields["serial_no"] != f.Keys.MchSerial:
		return fmt.Errorf("serial_no %q is not the merchant certificate's", fields["serial_no"])
	case err != nil || time.Since(time.Unix(ts, 0)).Abs() > 5*time.Minute:
		return errors.New("timestamp missing or expired")
	case fields["nonce_str"] == "":
		return errors.New("nonce_str missing")
	}
	msg := fmt.Sprintf("%s\n%s\n%s\n%s\n%s\n", r.Method, r.URL.RequestURI(), fields["timestamp"], fields["nonce_str"], body)
	sig, err := base64.StdEncoding.DecodeString(fields["signature"])
	if err != nil {
		return errors.New("signature is not base64")
	}
	sum := sha256.Sum256([]byte(msg))
	if err := rsa.VerifyPKCS1v15(&f.Keys.Merchant.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		return errors.New("signature does not verify")
	}
	return nil
}

// answer writes a signed JSON answer (204 without a body for a nil v).
func (f *Fake) answer(w http.ResponseWriter, status int, v any) {
	var body []byte
	if v != nil {
		body, _ = json.Marshal(v)
	}
	for k, vs := range f.signed(body, time.Now(), f.Keys.WeChatPay) {
		w.Header()[k] = vs
	}
	w.Header().Set("Request-Id", randomHex(8))
	if body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// signed are the Wechatpay-* headers of body at ts, signed with key.
func (f *Fake) signed(body []byte, ts time.Time, key *rsa.PrivateKey) http.Header {
	nonce := strings.ToUpper(randomHex(16))
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sum := sha256.Sum256([]byte(stamp + "\n" + nonce + "\n" + string(body) + "\n"))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	h := http.Header{}
	h.Set("Wechatpay-Timestamp", stamp)
	h.Set("Wechatpay-Nonce", nonce)
	h.Set("Wechatpay-Signature", base64.StdEncoding.EncodeToString(sig))
	h.Set("Wechatpay-Serial", f.Keys.PublicKeyID)
	return h
}

func (f *Fake) prepay(w http.ResponseWriter, mode string, body []byte) {
	var req struct {
		Appid, Mchid, Description string
		OutTradeNo                string `json:"out_trade_no"`
		NotifyURL                 string `json:"notify_url"`
		Amount                    struct{ Total int64 }
		Payer                     struct{ Openid string }
	}
	if err := json.Unmarshal(body, &req); err != nil || req.OutTradeNo == "" || req.Amount.Total <= 0 {
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "PARAM_ERROR", "message": "bad request"})
		return
	}
	if req.Mchid != f.Keys.MchID || req.Appid != f.Keys.AppID {
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "APPID_MCHID_NOT_MATCH", "message": "appid and mchid do not match"})
		return
	}
	if mode == "jsapi" && req.Payer.Openid == "" {
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "PARAM_ERROR", "message": "payer.openid required"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.orders[req.OutTradeNo]
	if ok && (o.Total != req.Amount.Total || o.Mode != mode) {
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "INVALID_REQUEST", "message": "out_trade_no reused with other parameters"})
		return
	}
	if ok && o.State != "NOTPAY" {
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "ORDERPAID", "message": "order is " + o.State})
		return
	}
	if !ok {
		f.seq++
		o = &order{Appid: req.Appid, Mchid: req.Mchid, Description: req.Description, OutTradeNo: req.OutTradeNo,
			NotifyURL: req.NotifyURL, Total: req.Amount.Total, Mode: mode, State: "NOTPAY", Openid: req.Payer.Openid,
			PrepayID: fmt.Sprintf("wx%d%08d", time.Now().Unix(), f.seq)}
		o.CodeURL = "weixin://wxpay/bizpayurl?pr=" + o.PrepayID[len(o.PrepayID)-8:]
		f.orders[req.OutTradeNo] = o
	}
	if mode == "jsapi" {
		f.answer(w, http.StatusOK, map[string]string{"prepay_id": o.PrepayID})
	} else {
		f.answer(w, http.StatusOK, map[string]string{"code_url": o.CodeURL})
	}
}

func (o *order) transaction() map[string]any {
	t := map[string]any{"appid": o.Appid, "mchid": o.Mchid, "out_trade_no": o.OutTradeNo, "trade_state": o.State,
		"trade_type": strings.ToUpper(o.Mode), "trade_state_desc": o.State,
		"amount": map[string]any{"total": o.Total, "currency": "CNY", "payer_total": o.Total, "payer_currency": "CNY"}}
	if o.TransactionID != "" {
		t["transaction_id"], t["success_time"], t["bank_type"] = o.TransactionID, o.SuccessTime, "OTHERS"
		t["payer"] = map[string]any{"openid": o.Openid}
	}
	return t
}

func (f *Fake) query(w http.ResponseWriter, no string) {
	f.mu.Lock()
	o, ok := f.orders[no]
	var t map[string]any
	if ok {
		t = o.transaction()
	}
	f.mu.Unlock()
	if !ok {
		f.answer(w, http.StatusNotFound, map[string]string{"code": "ORDER_NOT_EXIST", "message": "order does not exist"})
		return
	}
	f.answer(w, http.StatusOK, t)
}

func (f *Fake) close(w http.ResponseWriter, no string) {
	f.mu.Lock()
	o, ok := f.orders[no]
	state := ""
	if ok {
		state = o.State
		if state == "NOTPAY" {
			o.State = "CLOSED"
		}
	}
	f.mu.Unlock()
	switch {
	case !ok:
		f.answer(w, http.StatusNotFound, map[string]string{"code": "ORDER_NOT_EXIST", "message": "order does not exist"})
	case state == "SUCCESS" || state == "REFUND":
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "ORDERPAID", "message": "order paid"})
	default:
		f.answer(w, http.StatusNoContent, nil)
	}
}

func (f *Fake) refund(w http.ResponseWriter, body []byte) {
	var req struct {
		OutTradeNo  string `json:"out_trade_no"`
		OutRefundNo string `json:"out_refund_no"`
		NotifyURL   string `json:"notify_url"`
		Amount      struct{ Refund, Total int64 }
	}
	if err := json.Unmarshal(body, &req); err != nil || req.OutRefundNo == "" {
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "PARAM_ERROR", "message": "bad request"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if rf, ok := f.refunds[req.OutRefundNo]; ok {
		f.answer(w, http.StatusOK, rf.json(f.Keys.MchID))
		return
	}
	o, ok := f.orders[req.OutTradeNo]
	if !ok || (o.State != "SUCCESS" && o.State != "REFUND") {
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "INVALID_REQUEST", "message": "order not paid"})
		return
	}
	if req.Amount.Total != o.Total || req.Amount.Refund <= 0 || req.Amount.Refund > o.Total {
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "INVALID_REQUEST", "message": "amount does not match"})
		return
	}
	f.seq++
	rf := &refund{OutRefundNo: req.OutRefundNo, OutTradeNo: req.OutTradeNo, RefundID: fmt.Sprintf("50%018d", f.seq),
		Status: "PROCESSING", NotifyURL: req.NotifyURL, Refund: req.Amount.Refund, Total: o.Total}
	f.refunds[req.OutRefundNo] = rf
	o.State = "REFUND"
	f.answer(w, http.StatusOK, rf.json(f.Keys.MchID))
}

func (rf *refund) json(mchid string) map[string]any {
	return map[string]any{"mchid": mchid, "refund_id": rf.RefundID, "out_refund_no": rf.OutRefundNo,
		"out_trade_no": rf.OutTradeNo, "status": rf.Status, "refund_status": rf.Status,
		"amount": map[string]any{"total": rf.Total, "refund": rf.Refund, "payer_total": rf.Total, "payer_refund": rf.Refund,
			"currency": "CNY"}}
}

func (f *Fake) queryRefund(w http.ResponseWriter, no string) {
	f.mu.Lock()
	rf, ok := f.refunds[no]
	var v map[string]any
	if ok {
		v = rf.json(f.Keys.MchID)
	}
	f.mu.Unlock()
	if !ok {
		f.answer(w, http.StatusNotFound, map[string]string{"code": "RESOURCE_NOT_EXISTS", "message": "refund does not exist"})
		return
	}
	delete(v, "refund_status")
	f.answer(w, http.StatusOK, v)
}

// State is the trade_state the fake holds for an order ("" when unknown).
func (f *Fake) State(outTradeNo string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if o, ok := f.orders[outTradeNo]; ok {
		return o.State
	}
	return ""
}

// Pay has the payer pay the order (NOTPAY → SUCCESS, with a transaction id) and
// delivers its notification times times at once, spoiled as t says (Lost: none). It
// returns the HTTP statuses Atrium answered.
func (f *Fake) Pay(outTradeNo string, times int, t Tamper) ([]int, error) {
	f.mu.Lock()
	o, ok := f.orders[outTradeNo]
	if ok && o.State == "NOTPAY" {
		f.seq++
		o.State, o.TransactionID = "SUCCESS", fmt.Sprintf("42000%015d", f.seq)
		o.SuccessTime = time.Now().Format(time.RFC3339)
	}
	f.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("wechatpaytest: no order %q", outTradeNo)
	}
	return f.Notify(outTradeNo, times, t)
}

// Notify delivers the order's payment notification (TRANSACTION.SUCCESS) again.
func (f *Fake) Notify(outTradeNo string, times int, t Tamper) ([]int, error) {
	f.mu.Lock()
	o, ok := f.orders[outTradeNo]
	var resource map[string]any
	var url string
	if ok {
		resource, url = o.transaction(), o.NotifyURL
		resource["trade_state"] = "SUCCESS"
	}
	f.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("wechatpaytest: no order %q", outTradeNo)
	}
	switch t {
	case WrongAmount:
		resource["amount"].(map[string]any)["total"] = o.Total + 1
	case WrongAppID:
		resource["appid"] = "wx-not-the-merchants"
	}
	return f.deliver(url, "TRANSACTION.SUCCESS", "transaction", "支付成功", resource, times, t)
}

// FinishRefund settles a refund at WeChat Pay with status (SUCCESS, CLOSED or ABNORMAL)
// and delivers its notification (REFUND.<status>) times times, spoiled as t says.
func (f *Fake) FinishRefund(outRefundNo, status string, times int, t Tamper) ([]int, error) {
	f.mu.Lock()
	rf, ok := f.refunds[outRefundNo]
	var resource map[string]any
	var url string
	if ok {
		rf.Status = status
		resource, url = rf.json(f.Keys.MchID), rf.NotifyURL
		delete(resource, "status")
		resource["success_time"] = time.Now().Format(time.RFC3339)
		resource["user_received_account"] = "支付用户零钱"
	}
	f.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("wechatpaytest: no refund %q", outRefundNo)
	}
	if t == WrongAmount {
		resource["amount"].(map[string]any)["refund"] = rf.Refund + 1
	}
	return f.deliver(url, "REFUND."+status, "refund", "退款状态", resource, times, t)
}

// deliver posts a notification times times concurrently.
func (f *Fake) deliver(url, event, originalType, summary string, resource map[string]any, times int, t Tamper) ([]int, error) {
	if t == Lost {
		return nil, nil
	}
	plain, _ := json.Marshal(resource)
	nonce := randomHex(6)
	ad := originalType
	ct, err := seal(f.Keys.APIv3Key, nonce, ad, plain)
	if err != nil {
		return nil, err
	}
	now := f.Now()
	body, _ := json.Marshal(map[string]any{"id": "EV-" + randomHex(12), "create_time": now.Format(time.RFC3339),
		"event_type": event, "resource_type": "encrypt-resource", "summary": summary,
		"resource": map[string]any{"algorithm": "AEAD_AES_256_GCM", "ciphertext": ct, "associated_data": ad,
			"nonce": nonce, "original_type": originalType}})
	key, ts := f.Keys.WeChatPay, now
	switch t {
	case BadSignature:
		other, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		key = other
	case StaleTimestamp:
		ts = now.Add(-6 * time.Minute)
	}
	h := f.signed(body, ts, key)
	codes := make([]int, times)
	errs := make([]error, times)
	var wg sync.WaitGroup
	for i := range times {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header = h.Clone()
			req.Header.Set("Content-Type", "application/json")
			resp, err := f.Client.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	return codes, errors.Join(errs...)
}

// seal encrypts plain with AEAD_AES_256_GCM under key, nonce and associated data ad,
// base64 as WeChat Pay sends it.
func seal(key, nonce, ad string, plain []byte) (string, error) {
	block, err := aes.NewCipher([]byte(key))
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCMWithNonceSize(block, len(nonce))
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(gcm.Seal(nil, []byte(nonce), plain, []byte(ad))), nil
}
