package config

import "path/filepath"

// defaultWeChatAPI is WeChat's own API host (ATRIUM_WECHAT_API_BASE's default).
const defaultWeChatAPI = "https://api.weixin.qq.com"

// Notices says what the server does about each optional setting left unset (or pointed
// at a stand-in), one sentence each, for the log at start: so that a missing input is
// named once, up front, rather than discovered by a failing request.
func (c Config) Notices() []string {
	var out []string
	if c.S3.Endpoint == "" {
		out = append(out, "ATRIUM_S3_ENDPOINT is not set: objects (member photos, import files, arrival snapshots) "+
			"are stored on this machine under "+filepath.Join(c.DataDir, "objects")+", which other replicas cannot see")
	}
	if c.WeChat.AppID == "" || c.WeChat.Secret == "" {
		out = append(out, "ATRIUM_WECHAT_APPID and ATRIUM_WECHAT_SECRET are not set: shopper logins (loginWeChat) and "+
			"mini-program registration fail until they are; `make run` sets development values and starts a local stand-in")
	} else if c.WeChat.APIBase != defaultWeChatAPI {
		out = append(out, "ATRIUM_WECHAT_API_BASE is "+c.WeChat.APIBase+", not WeChat's API: shopper logins go to that "+
			"stand-in (any code logs in a shopper)")
	}
	if c.WeChatPay.MchID == "" {
		out = append(out, "ATRIUM_WECHATPAY_MCHID is not set: online payment (startCardRecharge, WeChat Pay) answers "+
			"PAYMENTS_UNAVAILABLE; `make run` starts a local WeChat Pay stand-in with generated keys")
	} else if c.WeChatPay.APIBase != "https://api.mch.weixin.qq.com" {
		out = append(out, "ATRIUM_WECHATPAY_API_BASE is "+c.WeChatPay.APIBase+", not WeChat Pay's API: payments go to "+
			"that stand-in (POST "+c.WeChatPay.APIBase+"/dev/pay/<out_trade_no> pays an order and notifies)")
	}
	if c.Notify.SMSProvider == "log" {
		out = append(out, "ATRIUM_SMS_PROVIDER is log: text messages are written to the log, not sent (set aliyun or "+
			"tencent with credentials, docs/notifications.md)")
	}
	if c.MQTTURL == "" {
		out = append(out, "ATRIUM_MQTT_URL is not set: devices connect to the embedded MQTT broker on "+c.MQTTListen)
	}
	if c.FaceNoticeVersion == "" {
		out = append(out, "ATRIUM_FACE_NOTICE_VERSION is not set: grantFaceConsent accepts any privacy notice version")
	}
	return out
}
