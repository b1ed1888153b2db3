// Package config reads Atrium's configuration from the environment, once, at start.
//
// Every setting has a documented default (see README.md). A wrong value stops the
// process with an error that names the variable.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Env is the deployment environment.
type Env string

// The environments Atrium knows.
const (
	EnvDev  Env = "dev"
	EnvProd Env = "prod"
)

// Config is the whole parsed configuration.
type Config struct {
	Env         Env
	HTTPAddr    string
	PublicURL   string // base URL clients reach this server at (links to local objects)
	DatabaseURL string
	// DBPool is the largest number of PostgreSQL connections the pool opens.
	DBPool int
	// DatabaseReadURL is a streaming replica reports and exports read from (empty: the
	// primary).
	DatabaseReadURL string
	RedisURL        string
	RedisPrefix     string // prefix of every Redis key, so deployments can share a server
	MQTTURL         string // empty → embedded broker
	MQTTListen      string // embedded broker address
	MQTT            MQTTConfig
	S3              S3Config
	DataDir         string
	JWTKey          []byte // HMAC key for access tokens
	DataKey         []byte // seals secrets kept in the database; keys member codes
	// DataKeyPrevious is the data key being rotated out (optional): secrets sealed under
	// it are opened with it and sealed again under DataKey.
	DataKeyPrevious []byte
	WeChat          WeChatConfig
	WeChatPay       WeChatPayConfig
	Notify          NotifyConfig
	DemoPassword    string
	TimeZone        *time.Location
	Limits          Limits
	PasswordCost    int // bcrypt cost of staff passwords
	// MetricsToken is the bearer token /metrics requires; empty: loopback only.
	MetricsToken string
	// Replicas is how many instances serve this deployment (ATRIUM_REPLICAS); above 1,
	// prod refuses what only works in one process (local object storage).
	Replicas int
	// FaceNoticeVersion is the current face-recognition privacy notice; empty accepts any.
	FaceNoticeVersion string
	// IoTRetentionMonths is how many months of device events are kept besides the
	// current one; IoTDedupDays how long an event id is remembered for exactly-once.
	IoTRetentionMonths int
	IoTDedupDays       int
}

// S3Config configures object storage. An empty Endpoint selects the local directory store.
type S3Config struct {
	Endpoint  string
	AccessKey string
	SecretKey string
	Bucket    string
	UseTLS    bool
}

// MQTTConfig configures the bridge's session at the broker.
type MQTTConfig struct {
	ClientID    string // stable per instance, so the broker keeps its session across restarts
	SharedGroup string // $share group when several instances split the load
	Username    string // credential at an external broker
	Password    string
	MaxPacket   int // embedded broker: largest MQTT packet accepted, bytes
	Slots       int // with SharedGroup and an external broker: client ids <ClientID>-<k>, k < Slots (docs/mqtt.md)
}

// WeChatConfig configures the WeChat mini-program API client.
type WeChatConfig struct {
	AppID   string
	Secret  string
	APIBase string
}

// WeChatPayConfig configures WeChat Pay (API v3, public-key mode). An empty MchID turns
// online payment off (payments answer PAYMENTS_UNAVAILABLE); the key files are read by
// the app.
type WeChatPayConfig struct {
	MchID         string
	AppID         string
	MchSerial     string // serial number of the merchant's API certificate
	MchKeyFile    string // the merchant's private key (PEM)
	PublicKeyFile string // WeChat Pay's public key (PEM)
	PublicKeyID   string // its id, PUB_KEY_ID_…
	APIv3Key      string // 32 bytes
	NotifyURL     string // default <ATRIUM_PUBLIC_URL>/pay/wechatpay/notify
	APIBase       string
}

// Limits bounds what a single GraphQL request may cost, and what one client may send.
type Limits struct {
	Complexity int
	Depth      int
	// MaxResponse is the largest GraphQL response in bytes; a larger one is refused
	// with RESPONSE_TOO_LARGE.
	MaxResponse int
	// MaxTokens is how many tokens of a document the parser reads; MaxBody the largest
	// request body with credentials (anonymous bodies stay at 16 KB).
	MaxTokens int
	MaxBody   int
	// AnonymousPerMinute and LoginPerMinute are per-client (IP address) rates, counted
	// in Redis across replicas; 0 turns a limit off.
	AnonymousPerMinute int
	LoginPerMinute     int
	// TrustedDocuments is a manifest (JSON sha256 → document) or a directory of them:
	// when set, only those operations execute.
	TrustedDocuments string
}

// DefaultDBPool is the database pool size when ATRIUM_DB_POOL is not set: four
// connections per core Go may use (GOMAXPROCS), enough to keep the cores busy while
// requests wait on PostgreSQL, and never fewer than 4.
func DefaultDBPool() int { return max(4, 4*runtime.GOMAXPROCS(0)) }

// IsDev reports whether the development conveniences (playground, introspection) are on.
func (c Config) IsDev() bool { return c.Env == EnvDev }

// Load parses the configuration from getenv (os.Getenv in production, a map in tests).
func Load(getenv func(string) string) (Config, error) {
	p := parser{getenv: getenv}
	c := Config{
		Env:             Env(p.str("ATRIUM_ENV", "dev")),
		HTTPAddr:        p.str("ATRIUM_HTTP_ADDR", ":8080"),
		PublicURL:       p.url("ATRIUM_PUBLIC_URL", "", "http", "https"),
		DatabaseURL:     p.url("ATRIUM_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/atrium?sslmode=disable", "postgres", "postgresql"),
		DBPool:          p.integer("ATRIUM_DB_POOL", DefaultDBPool(), 1, 1000),
		DatabaseReadURL: p.url("ATRIUM_DATABASE_READ_URL", "", "postgres", "postgresql"),
		RedisURL:        p.url("ATRIUM_REDIS_URL", "redis://127.0.0.1:6379/0", "redis", "rediss"),
		RedisPrefix:     p.str("ATRIUM_REDIS_PREFIX", "atrium:"),
		MQTTURL:         p.url("ATRIUM_MQTT_URL", "", "tcp", "mqtt", "ssl", "tls", "ws", "wss"),
		MQTTListen:      p.str("ATRIUM_MQTT_LISTEN", ":1883"),
		MQTT: MQTTConfig{
			ClientID:    p.str("ATRIUM_MQTT_CLIENT_ID", "atrium-bridge"),
			SharedGroup: p.str("ATRIUM_MQTT_SHARED_GROUP", ""),
			Username:    p.str("ATRIUM_MQTT_USERNAME", ""),
			Password:    p.str("ATRIUM_MQTT_PASSWORD", ""),
			MaxPacket:   p.integer("ATRIUM_MQTT_MAX_PACKET", 256<<10, 1<<10, 256<<20),
			Slots:       p.integer("ATRIUM_MQTT_SLOTS", 16, 1, 1024),
		},
		DataDir:      p.str("ATRIUM_DATA_DIR", "./data"),
		DemoPassword: p.str("ATRIUM_DEMO_PASSWORD", ""),
		S3: S3Config{
			Endpoint:  p.str("ATRIUM_S3_ENDPOINT", ""),
			AccessKey: p.str("ATRIUM_S3_ACCESS_KEY", ""),
			SecretKey: p.str("ATRIUM_S3_SECRET_KEY", ""),
			Bucket:    p.str("ATRIUM_S3_BUCKET", "atrium"),
			UseTLS:    p.boolean("ATRIUM_S3_TLS", false),
		},
		WeChat: WeChatConfig{
			AppID:   p.str("ATRIUM_WECHAT_APPID", ""),
			Secret:  p.str("ATRIUM_WECHAT_SECRET", ""),
			APIBase: p.url("ATRIUM_WECHAT_API_BASE", "https://api.weixin.qq.com", "http", "https"),
		},
		WeChatPay: WeChatPayConfig{
			MchID:         p.str("ATRIUM_WECHATPAY_MCHID", ""),
			AppID:         p.str("ATRIUM_WECHATPAY_APPID", ""),
			MchSerial:     p.str("ATRIUM_WECHATPAY_MCH_SERIAL", ""),
			MchKeyFile:    p.str("ATRIUM_WECHATPAY_MCH_KEY_FILE", ""),
			PublicKeyFile: p.str("ATRIUM_WECHATPAY_PUBLIC_KEY_FILE", ""),
			PublicKeyID:   p.str("ATRIUM_WECHATPAY_PUBLIC_KEY_ID", ""),
			APIv3Key:      p.getenv("ATRIUM_WECHATPAY_APIV3_KEY"),
			NotifyURL:     p.url("ATRIUM_WECHATPAY_NOTIFY_URL", "", "http", "https"),
			APIBase:       p.url("ATRIUM_WECHATPAY_API_BASE", "https://api.mch.weixin.qq.com", "http", "https"),
		},
		PasswordCost:       p.integer("ATRIUM_PASSWORD_COST", 11, 4, 16),
		FaceNoticeVersion:  p.str("ATRIUM_FACE_NOTICE_VERSION", ""),
		IoTRetentionMonths: p.integer("ATRIUM_IOT_RETENTION_MONTHS", 13, 1, 120),
		IoTDedupDays:       p.integer("ATRIUM_IOT_DEDUP_DAYS", 7, 1, 28),
		MetricsToken:       p.str("ATRIUM_METRICS_TOKEN", ""),
		Replicas:           p.integer("ATRIUM_REPLICAS", 1, 1, 1000),
		Limits: Limits{
			Complexity:         p.integer("ATRIUM_GRAPHQL_COMPLEXITY", 5000, 10, 1_000_000),
			Depth:              p.integer("ATRIUM_GRAPHQL_DEPTH", 12, 2, 100),
			MaxResponse:        p.integer("ATRIUM_GRAPHQL_MAX_RESPONSE", 4<<20, 1<<10, 1<<30),
			MaxTokens:          p.integer("ATRIUM_GRAPHQL_MAX_TOKENS", 1000, 100, 1_000_000),
			MaxBody:            p.integer("ATRIUM_GRAPHQL_MAX_BODY", 64<<10, 16<<10, 64<<20),
			AnonymousPerMinute: p.integer("ATRIUM_RATE_ANONYMOUS", 300, 0, 1_000_000),
			LoginPerMinute:     p.integer("ATRIUM_RATE_LOGIN", 30, 0, 1_000_000),
			TrustedDocuments:   p.str("ATRIUM_GRAPHQL_TRUSTED_DOCUMENTS", ""),
		},
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + strings.Replace(c.HTTPAddr, ":", "localhost:", 1)
		if !strings.HasPrefix(c.HTTPAddr, ":") {
			c.PublicURL = "http://" + c.HTTPAddr
		}
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	p.wechatPay(&c)
	p.notify(&c)
	c.TimeZone = p.location("ATRIUM_TIMEZONE", "Asia/Shanghai")
	if c.Env != EnvDev && c.Env != EnvProd {
		p.fail("ATRIUM_ENV", "must be dev or prod, got %q", c.Env)
	}
	if c.S3.Endpoint != "" && (c.S3.AccessKey == "" || c.S3.SecretKey == "") {
		p.fail("ATRIUM_S3_ACCESS_KEY", "ATRIUM_S3_ACCESS_KEY and ATRIUM_S3_SECRET_KEY are required with ATRIUM_S3_ENDPOINT")
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		p.fail("ATRIUM_METRICS_TOKEN", "must be at least 16 characters")
	}
	if c.Env == EnvProd && c.Replicas > 1 && c.S3.Endpoint == "" {
		p.fail("ATRIUM_S3_ENDPOINT", "ATRIUM_REPLICAS is %d but no ATRIUM_S3_ENDPOINT is set: local object storage "+
			"(ATRIUM_DATA_DIR/objects) belongs to one process, so imports and photos uploaded through one replica are "+
			"missing on the others; configure S3-compatible storage (MinIO, OSS, COS, S3) for more than one replica",
			c.Replicas)
	}
	c.JWTKey = p.jwtKey(c)
	c.DataKey = p.dataKey(c)
	if v := p.getenv("ATRIUM_DATA_KEY_PREVIOUS"); v != "" {
		if len(v) < 32 {
			p.fail("ATRIUM_DATA_KEY_PREVIOUS", "must be at least 32 bytes")
		}
		c.DataKeyPrevious = []byte(v)
	}
	if c.Env == EnvProd && (c.WeChat.AppID == "" || c.WeChat.Secret == "") {
		p.fail("ATRIUM_WECHAT_APPID", "ATRIUM_WECHAT_APPID and ATRIUM_WECHAT_SECRET are required in prod")
	}
	if len(p.errs) > 0 {
		return Config{}, errors.Join(p.errs...)
	}
	return c, nil
}

// wechatPay checks WeChat Pay's settings: all or none (ATRIUM_WECHATPAY_MCHID decides),
// a 32-byte APIv3 key, a public key id as WeChat Pay issues them, the notify URL
// defaulting to the public URL's endpoint.
func (p *parser) wechatPay(c *Config) {
	w := &c.WeChatPay
	if w.MchID == "" {
		return
	}
	for name, v := range map[string]string{"ATRIUM_WECHATPAY_APPID": w.AppID, "ATRIUM_WECHATPAY_MCH_SERIAL": w.MchSerial,
		"ATRIUM_WECHATPAY_MCH_KEY_FILE": w.MchKeyFile, "ATRIUM_WECHATPAY_PUBLIC_KEY_FILE": w.PublicKeyFile,
		"ATRIUM_WECHATPAY_PUBLIC_KEY_ID": w.PublicKeyID} {
		if v == "" {
			p.fail(name, "is required with ATRIUM_WECHATPAY_MCHID")
		}
	}
	if len(w.APIv3Key) != 32 {
		p.fail("ATRIUM_WECHATPAY_APIV3_KEY", "must be the 32-byte APIv3 key set in the merchant platform")
	}
	if w.PublicKeyID != "" && !strings.HasPrefix(w.PublicKeyID, "PUB_KEY_ID_") {
		p.fail("ATRIUM_WECHATPAY_PUBLIC_KEY_ID", "must be the WeChat Pay public key's id (PUB_KEY_ID_…)")
	}
	if w.NotifyURL == "" {
		w.NotifyURL = c.PublicURL + "/pay/wechatpay/notify"
	}
	if c.Env == EnvProd && !strings.HasPrefix(w.NotifyURL, "https://") {
		p.fail("ATRIUM_WECHATPAY_NOTIFY_URL", "WeChat Pay notifies HTTPS URLs only")
	}
}

type parser struct {
	getenv func(string) string
	errs   []error
}

func (p *parser) fail(name, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("config %s: %s", name, fmt.Sprintf(format, args...)))
}

func (p *parser) str(name, def string) string {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		return v
	}
	return def
}

func (p *parser) url(name, def string, schemes ...string) string {
	v := p.str(name, def)
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil {
		p.fail(name, "not a URL: %v", err)
		return ""
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return v
		}
	}
	p.fail(name, "scheme %q is not one of %s", u.Scheme, strings.Join(schemes, ", "))
	return ""
}

func (p *parser) integer(name string, def, lo, hi int) int {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.fail(name, "must be a whole number from %d to %d, got %q", lo, hi, v)
		return def
	}
	return n
}

func (p *parser) boolean(name string, def bool) bool {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, "must be true or false, got %q", v)
	}
	return b
}

func (p *parser) location(name, def string) *time.Location {
	v := p.str(name, def)
	loc, err := time.LoadLocation(v)
	if err != nil {
		p.fail(name, "unknown time zone %q", v)
		return time.UTC
	}
	return loc
}

// jwtKey takes ATRIUM_JWT_KEY, else the file named by ATRIUM_JWT_KEY_FILE; in dev a
// missing key is generated once into the data directory so sessions survive restarts.
func (p *parser) jwtKey(c Config) []byte {
	return p.secret(c, "ATRIUM_JWT_KEY", "jwt.key")
}

// dataKey takes ATRIUM_DATA_KEY, else the file named by ATRIUM_DATA_KEY_FILE; in dev a
// missing key is generated once into the data directory. It seals secrets kept in the
// database (redemption signing keys) and keys member codes; losing it makes sealed
// signing keys unreadable, so it is backed up with the database, but not in it.
func (p *parser) dataKey(c Config) []byte {
	return p.secret(c, "ATRIUM_DATA_KEY", "data.key")
}

// secret reads a key of at least 32 bytes from the variable name, else from the file
// named by name_FILE; in dev a missing file defaults to devFile in the data directory
// and is generated once.
func (p *parser) secret(c Config, name, devFile string) []byte {
	if v := p.getenv(name); v != "" {
		if len(v) < 32 {
			p.fail(name, "must be at least 32 bytes")
		}
		return []byte(v)
	}
	fileVar := name + "_FILE"
	file := p.getenv(fileVar)
	if file == "" && c.Env == EnvDev {
		file = filepath.Join(c.DataDir, devFile)
		if err := ensureKeyFile(file); err != nil {
			p.fail(fileVar, "cannot create dev key %s: %v", file, err)
			return nil
		}
	}
	if file == "" {
		p.fail(name, "%s or %s is required in prod", name, fileVar)
		return nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		p.fail(fileVar, "%v", err)
		return nil
	}
	if key := []byte(strings.TrimSpace(string(b))); len(key) >= 32 {
		return key
	}
	p.fail(fileVar, "key in %s must be at least 32 bytes", file)
	return nil
}
