package payments

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/consts"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/native"
	"github.com/wechatpay-apiv3/wechatpay-go/services/refunddomestic"
	"github.com/wechatpay-apiv3/wechatpay-go/utils"
)

// WeChatPayConfig is the merchant's WeChat Pay API v3 account in public-key mode: the
// merchant signs requests with its private key (certificate serial MchSerial), WeChat
// Pay signs answers and notifications with the key whose public half is PublicKey
// (微信支付公钥, id PublicKeyID "PUB_KEY_ID_…"), and encrypts notification resources under
// APIv3Key (AEAD_AES_256_GCM).
type WeChatPayConfig struct {
	MchID, AppID string
	MchSerial    string
	MchKey       *rsa.PrivateKey
	PublicKeyID  string
	PublicKey    *rsa.PublicKey
	APIv3Key     string
	NotifyURL    string // where WeChat Pay posts notifications: <public URL>/pay/wechatpay/notify
	// APIBase replaces https://api.mch.weixin.qq.com (a stand-in in development and tests).
	APIBase string
}

// NotifyPath is where Atrium receives WeChat Pay's notifications.
const NotifyPath = "/pay/wechatpay/notify"

// NotificationMaxAge is how far a notification's timestamp may be from now.
const NotificationMaxAge = 5 * time.Minute

// WeChatPay talks to WeChat Pay through the official SDK (github.com/wechatpay-apiv3/
// wechatpay-go): it signs every request, verifies every answer's signature with the
// WeChat Pay public key, and verifies and decrypts notifications. A WeChatPay built
// from an empty configuration is off: every call is ErrUnavailable.
type WeChatPay struct {
	cfg      WeChatPayConfig
	client   *core.Client
	verifier *verifiers.SHA256WithRSAPubkeyVerifier
}

// NewWeChatPay builds the client; an empty cfg.MchID gives one that is off. httpClient
// carries the requests (its transport is wrapped to reach cfg.APIBase).
func NewWeChatPay(cfg WeChatPayConfig, httpClient *http.Client) (*WeChatPay, error) {
	if cfg.MchID == "" {
		return &WeChatPay{}, nil
	}
	if cfg.MchKey == nil || cfg.PublicKey == nil || cfg.PublicKeyID == "" || len(cfg.APIv3Key) != 32 ||
		cfg.AppID == "" || cfg.MchSerial == "" || cfg.NotifyURL == "" {
		return nil, errors.New("wechat pay: mchid, appid, serial, merchant key, public key and id, a 32-byte APIv3 key " +
			"and the notify URL are all required")
	}
	hc := *httpClient
	if cfg.APIBase != "" && cfg.APIBase != consts.WechatPayAPIServer {
		base, err := url.Parse(cfg.APIBase)
		if err != nil {
			return nil, fmt.Errorf("wechat pay: API base: %w", err)
		}
		hc.Transport = rebase{base: base, next: cmpTransport(httpClient.Transport)}
	}
	client, err := core.NewClient(context.Background(),
		option.WithWechatPayPublicKeyAuthCipher(cfg.MchID, cfg.MchSerial, cfg.MchKey, cfg.PublicKeyID, cfg.PublicKey),
		option.WithHTTPClient(&hc))
	if err != nil {
		return nil, fmt.Errorf("wechat pay: %w", err)
	}
	return &WeChatPay{cfg: cfg, client: client,
		verifier: verifiers.NewSHA256WithRSAPubkeyVerifier(cfg.PublicKeyID, *cfg.PublicKey)}, nil
}

// On reports whether WeChat Pay is configured.
func (w *WeChatPay) On() bool { return w.client != nil }

func cmpTransport(t http.RoundTripper) http.RoundTripper {
	if t == nil {
		return http.DefaultTransport
	}
	return t
}

// rebase sends the SDK's requests, addressed to api.mch.weixin.qq.com, to another base
// URL; the signed part (method, path and query, body) is unchanged.
type rebase struct {
	base *url.URL
	next http.RoundTripper
}

func (r rebase) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host = r.base.Scheme, r.base.Host
	out.URL.Path = strings.TrimRight(r.base.Path, "/") + req.URL.Path
	out.Host = r.base.Host
	return r.next.RoundTrip(out)
}

// JSAPIParams are what wx.requestPayment needs, signed with the merchant key.
type JSAPIParams struct {
	AppID     string `json:"appId"`
	TimeStamp string `json:"timeStamp"`
	NonceStr  string `json:"nonceStr"`
	Package   string `json:"package"`
	SignType  string `json:"signType"`
	PaySign   string `json:"paySign"`
}

// prepayRequest is one order asked of WeChat Pay.
type prepayRequest struct {
	OutTradeNo  string
	Description string
	AmountFen   int64
	Expires     time.Time
	OpenID      string // JSAPI only
}

// prepayJSAPI asks WeChat Pay for a JSAPI order (WeChat Pay answers a repeat with the
// same out_trade_no and parameters with the same prepay_id) and signs the parameters
// of wx.requestPayment.
func (w *WeChatPay) prepayJSAPI(ctx context.Context, r prepayRequest) (string, JSAPIParams, error) {
	if !w.On() {
		return "", JSAPIParams{}, ErrUnavailable
	}
	svc := jsapi.JsapiApiService{Client: w.client}
	resp, _, err := svc.PrepayWithRequestPayment(ctx, jsapi.PrepayRequest{
		Appid: core.String(w.cfg.AppID), Mchid: core.String(w.cfg.MchID), Description: core.String(r.Description),
		OutTradeNo: core.String(r.OutTradeNo), TimeExpire: core.Time(r.Expires), NotifyUrl: core.String(w.cfg.NotifyURL),
		Amount: &jsapi.Amount{Total: core.Int64(r.AmountFen), Currency: core.String("CNY")},
		Payer:  &jsapi.Payer{Openid: core.String(r.OpenID)},
	})
	if err != nil {
		return "", JSAPIParams{}, fmt.Errorf("wechat pay: jsapi prepay: %w", err)
	}
	return *resp.PrepayId, JSAPIParams{AppID: *resp.Appid, TimeStamp: *resp.TimeStamp, NonceStr: *resp.NonceStr,
		Package: *resp.Package, SignType: *resp.SignType, PaySign: *resp.PaySign}, nil
}

// prepayNative asks WeChat Pay for a Native order: the code_url to show as a QR code.
func (w *WeChatPay) prepayNative(ctx context.Context, r prepayRequest) (string, error) {
	if !w.On() {
		return "", ErrUnavailable
	}
	svc := native.NativeApiService{Client: w.client}
	resp, _, err := svc.Prepay(ctx, native.PrepayRequest{
		Appid: core.String(w.cfg.AppID), Mchid: core.String(w.cfg.MchID), Description: core.String(r.Description),
		OutTradeNo: core.String(r.OutTradeNo), TimeExpire: core.Time(r.Expires), NotifyUrl: core.String(w.cfg.NotifyURL),
		Amount: &native.Amount{Total: core.Int64(r.AmountFen), Currency: core.String("CNY")},
	})
	if err != nil {
		return "", fmt.Errorf("wechat pay: native prepay: %w", err)
	}
	return *resp.CodeUrl, nil
}

// Transaction is what WeChat Pay says of an order (a notification's resource or a
// query's answer), the fields Atrium checks.
type Transaction struct {
	AppID         string `json:"appid"`
	MchID         string `json:"mchid"`
	OutTradeNo    string `json:"out_trade_no"`
	TransactionID string `json:"transaction_id"`
	TradeState    string `json:"trade_state"` // SUCCESS, NOTPAY, CLOSED, REFUND, USERPAYING, PAYERROR
	SuccessTime   string `json:"success_time"`
	Amount        struct {
		Total int64 `json:"total"`
	} `json:"amount"`
}

// errOrderNotExist: WeChat Pay has no such order (the prepay never reached it).
var errOrderNotExist = errors.New("wechat pay: ORDER_NOT_EXIST")

// queryOrder asks WeChat Pay for an order by out_trade_no.
func (w *WeChatPay) queryOrder(ctx context.Context, outTradeNo string) (Transaction, error) {
	if !w.On() {
		return Transaction{}, ErrUnavailable
	}
	svc := jsapi.JsapiApiService{Client: w.client} // the query is the same for every mode
	_, res, err := svc.QueryOrderByOutTradeNo(ctx, jsapi.QueryOrderByOutTradeNoRequest{
		OutTradeNo: core.String(outTradeNo), Mchid: core.String(w.cfg.MchID)})
	if core.IsAPIError(err, "ORDER_NOT_EXIST") {
		return Transaction{}, errOrderNotExist
	}
	if err != nil {
		return Transaction{}, fmt.Errorf("wechat pay: query order: %w", err)
	}
	var t Transaction
	if err := core.UnMarshalResponse(res.Response, &t); err != nil {
		return t, fmt.Errorf("wechat pay: query order: %w", err)
	}
	return t, nil
}

// closeOrder closes an unpaid order at WeChat Pay (an order it never received counts
// as closed).
func (w *WeChatPay) closeOrder(ctx context.Context, outTradeNo string) error {
	if !w.On() {
		return ErrUnavailable
	}
	svc := jsapi.JsapiApiService{Client: w.client}
	_, err := svc.CloseOrder(ctx, jsapi.CloseOrderRequest{OutTradeNo: core.String(outTradeNo), Mchid: core.String(w.cfg.MchID)})
	if err != nil && !core.IsAPIError(err, "ORDER_NOT_EXIST") {
		return fmt.Errorf("wechat pay: close order: %w", err)
	}
	return nil
}

// RefundState is what WeChat Pay says of a refund.
type RefundState struct {
	MchID       string `json:"mchid"`
	OutTradeNo  string `json:"out_trade_no"`
	OutRefundNo string `json:"out_refund_no"`
	RefundID    string `json:"refund_id"`
	// Status: SUCCESS, CLOSED, PROCESSING, ABNORMAL (refund_status in notifications).
	Status       string `json:"status"`
	RefundStatus string `json:"refund_status"`
	Amount       struct {
		Total  int64 `json:"total"`
		Refund int64 `json:"refund"`
	} `json:"amount"`
}

func (r RefundState) status() string {
	if r.Status != "" {
		return r.Status
	}
	return r.RefundStatus
}

// refund asks WeChat Pay to refund refundFen of an order (idempotent on out_refund_no).
func (w *WeChatPay) refund(ctx context.Context, outTradeNo, outRefundNo, reason string, refundFen, totalFen int64) (RefundState, error) {
	if !w.On() {
		return RefundState{}, ErrUnavailable
	}
	svc := refunddomestic.RefundsApiService{Client: w.client}
	_, res, err := svc.Create(ctx, refunddomestic.CreateRequest{OutTradeNo: core.String(outTradeNo),
		OutRefundNo: core.String(outRefundNo), Reason: core.String(reason), NotifyUrl: core.String(w.cfg.NotifyURL),
		Amount: &refunddomestic.AmountReq{Refund: core.Int64(refundFen), Total: core.Int64(totalFen), Currency: core.String("CNY")}})
	if err != nil {
		return RefundState{}, fmt.Errorf("wechat pay: refund: %w", err)
	}
	var r RefundState
	err = core.UnMarshalResponse(res.Response, &r)
	return r, err
}

// errRefundNotExist: WeChat Pay has no such refund (the request never reached it).
var errRefundNotExist = errors.New("wechat pay: refund RESOURCE_NOT_EXISTS")

// queryRefund asks WeChat Pay for a refund by out_refund_no.
func (w *WeChatPay) queryRefund(ctx context.Context, outRefundNo string) (RefundState, error) {
	if !w.On() {
		return RefundState{}, ErrUnavailable
	}
	svc := refunddomestic.RefundsApiService{Client: w.client}
	_, res, err := svc.QueryByOutRefundNo(ctx, refunddomestic.QueryByOutRefundNoRequest{OutRefundNo: core.String(outRefundNo)})
	if core.IsAPIError(err, "RESOURCE_NOT_EXISTS") {
		return RefundState{}, errRefundNotExist
	}
	if err != nil {
		return RefundState{}, fmt.Errorf("wechat pay: query refund: %w", err)
	}
	var r RefundState
	err = core.UnMarshalResponse(res.Response, &r)
	return r, err
}

// Notification is a verified, decrypted notification.
type Notification struct {
	ID        string
	EventType string // TRANSACTION.SUCCESS, REFUND.SUCCESS, REFUND.ABNORMAL, REFUND.CLOSED
	Plaintext []byte // the decrypted resource: a Transaction or a RefundState
}

// notifyBody is a notification's JSON.
type notifyBody struct {
	ID           string `json:"id"`
	EventType    string `json:"event_type"`
	ResourceType string `json:"resource_type"`
	Resource     struct {
		Algorithm      string `json:"algorithm"`
		Ciphertext     string `json:"ciphertext"`
		AssociatedData string `json:"associated_data"`
		Nonce          string `json:"nonce"`
	} `json:"resource"`
}

// Reasons a notification is refused before its order is looked at.
var (
	errBadSignature  = errors.New("bad signature")
	errStale         = errors.New("stale timestamp")
	errUndecryptable = errors.New("resource cannot be decrypted")
)

// verify checks a notification's signature (the Wechatpay-* headers, over
// "timestamp\nnonce\nbody\n", with the WeChat Pay public key whose id is the serial) and
// that its timestamp is within NotificationMaxAge of now, and decrypts its resource.
// When the signature or timestamp fails it still decrypts what it can (the resource is
// authenticated by the APIv3 key) so the refusal is recorded against its order, and
// returns the failure.
func (w *WeChatPay) verify(ctx context.Context, h http.Header, body []byte, now time.Time) (Notification, error) {
	if !w.On() {
		return Notification{}, ErrUnavailable
	}
	var nb notifyBody
	if err := json.Unmarshal(body, &nb); err != nil {
		return Notification{}, fmt.Errorf("%w: %v", errUndecryptable, err)
	}
	n := Notification{ID: nb.ID, EventType: nb.EventType}
	if plain, err := utils.DecryptAES256GCM(w.cfg.APIv3Key, nb.Resource.AssociatedData, nb.Resource.Nonce,
		nb.Resource.Ciphertext); err == nil && nb.Resource.Algorithm == "AEAD_AES_256_GCM" {
		n.Plaintext = []byte(plain)
	}
	ts, err := strconv.ParseInt(h.Get(consts.WechatPayTimestamp), 10, 64)
	if err != nil {
		return n, fmt.Errorf("%w: no timestamp", errStale)
	}
	msg := fmt.Sprintf("%d\n%s\n%s\n", ts, h.Get(consts.WechatPayNonce), body)
	if err := w.verifier.Verify(ctx, h.Get(consts.WechatPaySerial), msg, h.Get(consts.WechatPaySignature)); err != nil {
		return n, fmt.Errorf("%w: %v", errBadSignature, err)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > NotificationMaxAge || d < -NotificationMaxAge {
		return n, fmt.Errorf("%w: %s from now", errStale, d.Round(time.Second))
	}
	if n.Plaintext == nil {
		return n, errUndecryptable
	}
	return n, nil
}
