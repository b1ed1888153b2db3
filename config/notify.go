package config

import (
	"encoding/json"
	"strings"
)

// NotifyConfig configures notifications (docs/notifications.md): the SMS provider and
// its credentials, the sign and template registry, WeChat subscribe-message templates
// per event kind, and the limits.
type NotifyConfig struct {
	SMSProvider string // log (development: logged, not sent), aliyun or tencent
	Aliyun      AliyunSMS
	Tencent     TencentSMS
	SMSSign     string
	// SMSTemplates and WeChatTemplates are the registry by event kind (JSON in
	// ATRIUM_SMS_TEMPLATES and ATRIUM_WECHAT_TEMPLATES; dev has stand-in defaults).
	SMSTemplates     map[string]SMSTemplate
	WeChatTemplates  map[string]WeChatTemplate
	MiniprogramState string // developer, trial or formal
	SMSDailyCap      int
	GroupPerDay      int
	MaxAttempts      int
}

// AliyunSMS are Aliyun SMS credentials.
type AliyunSMS struct{ Endpoint, AccessKeyID, AccessKeySecret, RegionID string }

// TencentSMS are Tencent Cloud SMS credentials.
type TencentSMS struct{ Endpoint, SecretID, SecretKey, Region, SdkAppID string }

// SMSTemplate is a registered SMS template and the payload fields of its parameters.
type SMSTemplate struct {
	Code   string   `json:"code"`
	Params []string `json:"params"`
}

// WeChatTemplate is a subscribe-message template: id, page and key → payload field.
type WeChatTemplate struct {
	ID     string            `json:"id"`
	Page   string            `json:"page"`
	Fields map[string]string `json:"fields"`
}

// devWeChatKinds and devSMSKinds get stand-in templates in dev when none are configured.
var (
	devWeChatKinds = []string{"redemption_done", "booking_reminder", "bill_issued", "bill_due", "bill_overdue",
		"payment_received", "points_expiring", "contract_expiring"}
	devSMSKinds = []string{"birthday", "group_message", "bill_issued", "bill_due", "bill_overdue", "payment_received",
		"contract_expiring"}
)

func (p *parser) notify(c *Config) {
	n := NotifyConfig{
		SMSProvider: p.str("ATRIUM_SMS_PROVIDER", "log"),
		Aliyun: AliyunSMS{Endpoint: p.url("ATRIUM_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com", "http", "https"),
			AccessKeyID: p.str("ATRIUM_SMS_ALIYUN_ACCESS_KEY_ID", ""), AccessKeySecret: p.str("ATRIUM_SMS_ALIYUN_ACCESS_KEY_SECRET", ""),
			RegionID: p.str("ATRIUM_SMS_ALIYUN_REGION", "cn-hangzhou")},
		Tencent: TencentSMS{Endpoint: p.url("ATRIUM_SMS_TENCENT_ENDPOINT", "https://sms.tencentcloudapi.com", "http", "https"),
			SecretID: p.str("ATRIUM_SMS_TENCENT_SECRET_ID", ""), SecretKey: p.str("ATRIUM_SMS_TENCENT_SECRET_KEY", ""),
			Region: p.str("ATRIUM_SMS_TENCENT_REGION", "ap-guangzhou"), SdkAppID: p.str("ATRIUM_SMS_TENCENT_SDK_APP_ID", "")},
		SMSSign:          p.str("ATRIUM_SMS_SIGN", "Atrium"),
		MiniprogramState: p.str("ATRIUM_WECHAT_MINIPROGRAM_STATE", "formal"),
		SMSDailyCap:      p.integer("ATRIUM_SMS_DAILY_CAP", 1000, 1, 10_000_000),
		GroupPerDay:      p.integer("ATRIUM_NOTIFY_GROUP_PER_DAY", 2, 1, 100),
		MaxAttempts:      p.integer("ATRIUM_NOTIFY_MAX_ATTEMPTS", 5, 1, 20),
	}
	if c.Env == EnvDev && p.getenv("ATRIUM_WECHAT_MINIPROGRAM_STATE") == "" {
		n.MiniprogramState = "developer"
	}
	switch n.MiniprogramState {
	case "developer", "trial", "formal":
	default:
		p.fail("ATRIUM_WECHAT_MINIPROGRAM_STATE", "must be developer, trial or formal")
	}
	switch n.SMSProvider {
	case "log":
	case "aliyun":
		if n.Aliyun.AccessKeyID == "" || n.Aliyun.AccessKeySecret == "" {
			p.fail("ATRIUM_SMS_ALIYUN_ACCESS_KEY_ID", "ATRIUM_SMS_ALIYUN_ACCESS_KEY_ID and _SECRET are required with ATRIUM_SMS_PROVIDER=aliyun")
		}
	case "tencent":
		if n.Tencent.SecretID == "" || n.Tencent.SecretKey == "" || n.Tencent.SdkAppID == "" {
			p.fail("ATRIUM_SMS_TENCENT_SECRET_ID", "ATRIUM_SMS_TENCENT_SECRET_ID, _SECRET_KEY and _SDK_APP_ID are required with ATRIUM_SMS_PROVIDER=tencent")
		}
	default:
		p.fail("ATRIUM_SMS_PROVIDER", "must be log, aliyun or tencent, got %q", n.SMSProvider)
	}
	n.SMSTemplates = map[string]SMSTemplate{}
	n.WeChatTemplates = map[string]WeChatTemplate{}
	p.jsonMap("ATRIUM_SMS_TEMPLATES", &n.SMSTemplates)
	p.jsonMap("ATRIUM_WECHAT_TEMPLATES", &n.WeChatTemplates)
	if c.Env == EnvDev && p.getenv("ATRIUM_WECHAT_TEMPLATES") == "" {
		for _, k := range devWeChatKinds {
			n.WeChatTemplates[k] = WeChatTemplate{ID: "dev-" + k, Page: "pages/index/index",
				Fields: map[string]string{"thing1": "title", "thing2": "body"}}
		}
	}
	if c.Env == EnvDev && p.getenv("ATRIUM_SMS_TEMPLATES") == "" {
		for _, k := range devSMSKinds {
			n.SMSTemplates[k] = SMSTemplate{Code: "SMS_DEV_" + strings.ToUpper(k), Params: []string{"title", "body"}}
		}
	}
	c.Notify = n
}

// jsonMap decodes a JSON object setting into out (unset: left as is).
func (p *parser) jsonMap(name string, out any) {
	v := p.getenv(name)
	if v == "" {
		return
	}
	if err := json.Unmarshal([]byte(v), out); err != nil {
		p.fail(name, "must be a JSON object by event kind: %v", err)
	}
}
