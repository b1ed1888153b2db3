package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsInDev(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"ATRIUM_DATA_DIR": t.TempDir()}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != EnvDev || c.HTTPAddr != ":8080" || c.MQTTListen != ":1883" || len(c.JWTKey) < 32 {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if len(c.DataKey) < 32 || string(c.DataKey) == string(c.JWTKey) {
		t.Fatalf("dev data key: %d bytes, distinct from the JWT key: %v", len(c.DataKey), string(c.DataKey) != string(c.JWTKey))
	}
	if c.TimeZone.String() != "Asia/Shanghai" {
		t.Fatalf("time zone %s", c.TimeZone)
	}
	if c.DBPool != DefaultDBPool() || c.DBPool < 4 {
		t.Fatalf("database pool %d, want the default %d", c.DBPool, DefaultDBPool())
	}
}

func TestDBPoolSetting(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"ATRIUM_DATA_DIR": t.TempDir(), "ATRIUM_DB_POOL": "24"}))
	if err != nil || c.DBPool != 24 {
		t.Fatalf("ATRIUM_DB_POOL=24: pool %d, %v", c.DBPool, err)
	}
}

func TestErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	cases := map[string]map[string]string{
		"ATRIUM_ENV":                {"ATRIUM_ENV": "staging"},
		"ATRIUM_DATABASE_URL":       {"ATRIUM_DATABASE_URL": "mysql://x"},
		"ATRIUM_DATABASE_READ_URL":  {"ATRIUM_DATABASE_READ_URL": "mysql://replica"},
		"ATRIUM_REDIS_URL":          {"ATRIUM_REDIS_URL": "http://x"},
		"ATRIUM_JWT_KEY":            {"ATRIUM_ENV": "prod", "ATRIUM_WECHAT_APPID": "a", "ATRIUM_WECHAT_SECRET": "b"},
		"ATRIUM_GRAPHQL_DEPTH":      {"ATRIUM_GRAPHQL_DEPTH": "zero"},
		"ATRIUM_TIMEZONE":           {"ATRIUM_TIMEZONE": "Mars/Olympus"},
		"ATRIUM_S3_ACCESS_KEY":      {"ATRIUM_S3_ENDPOINT": "127.0.0.1:9000"},
		"ATRIUM_WECHAT_APPID":       {"ATRIUM_ENV": "prod", "ATRIUM_JWT_KEY": strings.Repeat("k", 32)},
		"ATRIUM_GRAPHQL_COMPLEXITY": {"ATRIUM_GRAPHQL_COMPLEXITY": "-5"},
		"ATRIUM_DB_POOL":            {"ATRIUM_DB_POOL": "0"},
		"ATRIUM_DATA_KEY": {"ATRIUM_ENV": "prod", "ATRIUM_JWT_KEY": strings.Repeat("k", 32), "ATRIUM_WECHAT_APPID": "a",
			"ATRIUM_WECHAT_SECRET": "b"},
		"ATRIUM_DATA_KEY_FILE":     {"ATRIUM_DATA_KEY_FILE": "/nonexistent/data.key"},
		"ATRIUM_DATA_KEY_PREVIOUS": {"ATRIUM_DATA_KEY_PREVIOUS": "short"},
		"ATRIUM_METRICS_TOKEN":     {"ATRIUM_METRICS_TOKEN": "short"},
		"ATRIUM_REPLICAS":          {"ATRIUM_REPLICAS": "0"},
	}
	for name, vars := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if vars["ATRIUM_DATA_DIR"] == "" {
				vars["ATRIUM_DATA_DIR"] = t.TempDir()
			}
			_, err := Load(env(vars))
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("want error naming %s, got %v", name, err)
			}
		})
	}
}

// TestLocalObjectsRefusedWithReplicas: prod with more than one replica and no S3
// endpoint stops at start with a message naming both settings; S3, one replica or dev
// are accepted.
func TestLocalObjectsRefusedWithReplicas(t *testing.T) {
	t.Parallel()
	prod := func(extra map[string]string) map[string]string {
		m := map[string]string{"ATRIUM_ENV": "prod", "ATRIUM_JWT_KEY": strings.Repeat("k", 32),
			"ATRIUM_DATA_KEY": strings.Repeat("d", 32), "ATRIUM_WECHAT_APPID": "a", "ATRIUM_WECHAT_SECRET": "b",
			"ATRIUM_DATA_DIR": t.TempDir()}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	_, err := Load(env(prod(map[string]string{"ATRIUM_REPLICAS": "2"})))
	if err == nil || !strings.Contains(err.Error(), "ATRIUM_S3_ENDPOINT") || !strings.Contains(err.Error(), "ATRIUM_REPLICAS is 2") {
		t.Fatalf("want a refusal naming ATRIUM_S3_ENDPOINT and ATRIUM_REPLICAS, got %v", err)
	}
	for name, vars := range map[string]map[string]string{
		"prod, 2 replicas, S3": prod(map[string]string{"ATRIUM_REPLICAS": "2", "ATRIUM_S3_ENDPOINT": "minio:9000",
			"ATRIUM_S3_ACCESS_KEY": "a", "ATRIUM_S3_SECRET_KEY": "s"}),
		"prod, 1 replica": prod(nil),
		"dev, 2 replicas": {"ATRIUM_REPLICAS": "2", "ATRIUM_DATA_DIR": t.TempDir()},
	} {
		if _, err := Load(env(vars)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestWeChatPaySettings: WeChat Pay is off without a merchant id; with one, every other
// setting is required and named when missing, the APIv3 key has 32 bytes, the public
// key id is WeChat Pay's, and the notify URL defaults to the public URL's endpoint.
func TestWeChatPaySettings(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"ATRIUM_DATA_DIR": t.TempDir()}))
	if err != nil || c.WeChatPay.MchID != "" {
		t.Fatalf("off by default: %+v, %v", c.WeChatPay, err)
	}
	full := map[string]string{"ATRIUM_DATA_DIR": t.TempDir(), "ATRIUM_PUBLIC_URL": "https://mall.example.com",
		"ATRIUM_WECHATPAY_MCHID": "1900000109", "ATRIUM_WECHATPAY_APPID": "wx1", "ATRIUM_WECHATPAY_MCH_SERIAL": "ABC",
		"ATRIUM_WECHATPAY_MCH_KEY_FILE": "k.pem", "ATRIUM_WECHATPAY_PUBLIC_KEY_FILE": "p.pem",
		"ATRIUM_WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_0114", "ATRIUM_WECHATPAY_APIV3_KEY": strings.Repeat("a", 32)}
	c, err = Load(env(full))
	if err != nil {
		t.Fatal(err)
	}
	if c.WeChatPay.NotifyURL != "https://mall.example.com/pay/wechatpay/notify" ||
		c.WeChatPay.APIBase != "https://api.mch.weixin.qq.com" {
		t.Errorf("defaults: %+v", c.WeChatPay)
	}
	for name, bad := range map[string]string{"ATRIUM_WECHATPAY_APPID": "", "ATRIUM_WECHATPAY_MCH_KEY_FILE": "",
		"ATRIUM_WECHATPAY_APIV3_KEY": "short", "ATRIUM_WECHATPAY_PUBLIC_KEY_ID": "0114"} {
		m := map[string]string{}
		for k, v := range full {
			m[k] = v
		}
		m[name] = bad
		if _, err := Load(env(m)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: %v", name, bad, err)
		}
	}
}

func TestNotifyConfig(t *testing.T) {
	base := map[string]string{"ATRIUM_ENV": "dev"}
	load := func(extra map[string]string) (Config, error) {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for k, v := range extra {
			env[k] = v
		}
		env["ATRIUM_DATA_DIR"] = t.TempDir()
		return Load(func(k string) string { return env[k] })
	}
	for _, c := range []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"dev defaults: log provider, stand-in templates", nil, ""},
		{"aliyun needs keys", map[string]string{"ATRIUM_SMS_PROVIDER": "aliyun"}, "ATRIUM_SMS_ALIYUN_ACCESS_KEY_ID"},
		{"tencent needs an sdk app", map[string]string{"ATRIUM_SMS_PROVIDER": "tencent", "ATRIUM_SMS_TENCENT_SECRET_ID": "a",
			"ATRIUM_SMS_TENCENT_SECRET_KEY": "b"}, "ATRIUM_SMS_TENCENT_SECRET_ID"},
		{"unknown provider", map[string]string{"ATRIUM_SMS_PROVIDER": "carrier-pigeon"}, "ATRIUM_SMS_PROVIDER"},
		{"templates are JSON", map[string]string{"ATRIUM_WECHAT_TEMPLATES": "{nope"}, "ATRIUM_WECHAT_TEMPLATES"},
		{"state checked", map[string]string{"ATRIUM_WECHAT_MINIPROGRAM_STATE": "beta"}, "ATRIUM_WECHAT_MINIPROGRAM_STATE"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := load(c.env)
			if c.wantErr == "" {
				if err != nil || cfg.Notify.SMSProvider != "log" || cfg.Notify.WeChatTemplates["bill_issued"].ID == "" ||
					cfg.Notify.MiniprogramState != "developer" {
					t.Fatalf("%+v, %v", cfg.Notify, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err %v, want %s", err, c.wantErr)
			}
		})
	}
	cfg, err := load(map[string]string{"ATRIUM_WECHAT_TEMPLATES": `{"bill_issued":{"id":"T1","fields":{"amount1":"amount"}}}`})
	if err != nil || len(cfg.Notify.WeChatTemplates) != 1 || cfg.Notify.WeChatTemplates["bill_issued"].Fields["amount1"] != "amount" {
		t.Fatalf("configured templates: %+v, %v", cfg.Notify.WeChatTemplates, err)
	}
}
