package config

import (
	"strings"
	"testing"
)

// Each optional setting left unset is named once, with what the server does instead.
func TestNotices(t *testing.T) {
	full := map[string]string{
		"ATRIUM_ENV": "dev", "ATRIUM_DATA_DIR": "", "ATRIUM_S3_ENDPOINT": "s3:9000", "ATRIUM_S3_ACCESS_KEY": "a",
		"ATRIUM_S3_SECRET_KEY": "b", "ATRIUM_WECHAT_APPID": "wx", "ATRIUM_WECHAT_SECRET": "s",
		"ATRIUM_MQTT_URL": "tcp://broker:1883", "ATRIUM_FACE_NOTICE_VERSION": "v1",
		"ATRIUM_JWT_KEY": strings.Repeat("j", 32), "ATRIUM_DATA_KEY": strings.Repeat("d", 32),
		"ATRIUM_WECHATPAY_MCHID": "1900000109", "ATRIUM_WECHATPAY_APPID": "wx", "ATRIUM_WECHATPAY_MCH_SERIAL": "S",
		"ATRIUM_WECHATPAY_MCH_KEY_FILE": "k.pem", "ATRIUM_WECHATPAY_PUBLIC_KEY_FILE": "p.pem",
		"ATRIUM_WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_01", "ATRIUM_WECHATPAY_APIV3_KEY": strings.Repeat("v", 32),
		"ATRIUM_SMS_PROVIDER": "aliyun", "ATRIUM_SMS_ALIYUN_ACCESS_KEY_ID": "id", "ATRIUM_SMS_ALIYUN_ACCESS_KEY_SECRET": "s",
	}
	cases := []struct {
		name  string
		unset string
		set   map[string]string
		want  []string // substrings of the one notice expected
	}{
		{name: "everything set"},
		{name: "no S3", unset: "ATRIUM_S3_ENDPOINT", want: []string{"ATRIUM_S3_ENDPOINT is not set", "objects"}},
		{name: "no WeChat", unset: "ATRIUM_WECHAT_APPID", want: []string{"ATRIUM_WECHAT_APPID and ATRIUM_WECHAT_SECRET are not set", "make run"}},
		{name: "a WeChat stand-in", set: map[string]string{"ATRIUM_WECHAT_API_BASE": "http://127.0.0.1:8090"},
			want: []string{"http://127.0.0.1:8090", "stand-in"}},
		{name: "embedded broker", unset: "ATRIUM_MQTT_URL", set: map[string]string{"ATRIUM_MQTT_LISTEN": "127.0.0.1:18830"},
			want: []string{"embedded MQTT broker on 127.0.0.1:18830"}},
		{name: "no WeChat Pay", unset: "ATRIUM_WECHATPAY_MCHID", want: []string{"ATRIUM_WECHATPAY_MCHID is not set",
			"PAYMENTS_UNAVAILABLE"}},
		{name: "a WeChat Pay stand-in", set: map[string]string{"ATRIUM_WECHATPAY_API_BASE": "http://127.0.0.1:8090"},
			want: []string{"ATRIUM_WECHATPAY_API_BASE is http://127.0.0.1:8090", "stand-in"}},
		{name: "SMS logged", unset: "ATRIUM_SMS_PROVIDER", want: []string{"ATRIUM_SMS_PROVIDER is log"}},
		{name: "no face notice", unset: "ATRIUM_FACE_NOTICE_VERSION", want: []string{"ATRIUM_FACE_NOTICE_VERSION"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"ATRIUM_DATA_DIR": t.TempDir()}
			for k, v := range full {
				if k != c.unset && v != "" {
					env[k] = v
				}
			}
			for k, v := range c.set {
				env[k] = v
			}
			cfg, err := Load(func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			got := cfg.Notices()
			if len(c.want) == 0 {
				if len(got) != 0 {
					t.Fatalf("notices %q, want none", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("notices %q, want one", got)
			}
			for _, w := range c.want {
				if !strings.Contains(got[0], w) {
					t.Errorf("notice %q lacks %q", got[0], w)
				}
			}
		})
	}
}
