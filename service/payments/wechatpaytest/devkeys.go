package wechatpaytest

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The files of a development key folder (DevKeys). Atrium reads MerchantKeyFile
// (ATRIUM_WECHATPAY_MCH_KEY_FILE), PublicKeyFile (ATRIUM_WECHATPAY_PUBLIC_KEY_FILE) and
// the ids and APIv3 key in SettingsFile; the stand-in reads them all.
const (
	MerchantKeyFile  = "apiclient_key.pem"
	WeChatPayKeyFile = "wechatpay_private_key.pem"
	PublicKeyFile    = "pub_key.pem"
	SettingsFile     = "settings.env"
)

// DevKeys loads the keys kept in dir, generating them the first time (RSA 2048, a
// random APIv3 key and ids), and writes the files Atrium's configuration points at.
// For local development only: the folder holds WeChat Pay's private key too.
func DevKeys(dir, mchID, appID string) (Keys, error) {
	if k, err := loadDevKeys(dir, mchID, appID); err == nil {
		return k, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return Keys{}, err
	}
	k, err := NewKeys(mchID, appID)
	if err != nil {
		return Keys{}, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Keys{}, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.WeChatPay.PublicKey)
	if err != nil {
		return Keys{}, err
	}
	files := map[string][]byte{
		MerchantKeyFile:  pemOf("PRIVATE KEY", pkcs8(k.Merchant)),
		WeChatPayKeyFile: pemOf("PRIVATE KEY", pkcs8(k.WeChatPay)),
		PublicKeyFile:    pemOf("PUBLIC KEY", pub),
		SettingsFile: []byte(fmt.Sprintf("MCH_SERIAL=%s\nPUBLIC_KEY_ID=%s\nAPIV3_KEY=%s\n", k.MchSerial, k.PublicKeyID,
			k.APIv3Key)),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return Keys{}, err
		}
	}
	return k, nil
}

func loadDevKeys(dir, mchID, appID string) (Keys, error) {
	settings, err := os.ReadFile(filepath.Join(dir, SettingsFile))
	if err != nil {
		return Keys{}, err
	}
	k := Keys{MchID: mchID, AppID: appID}
	for _, line := range strings.Split(string(settings), "\n") {
		name, v, _ := strings.Cut(line, "=")
		switch name {
		case "MCH_SERIAL":
			k.MchSerial = v
		case "PUBLIC_KEY_ID":
			k.PublicKeyID = v
		case "APIV3_KEY":
			k.APIv3Key = v
		}
	}
	if k.Merchant, err = readKey(filepath.Join(dir, MerchantKeyFile)); err != nil {
		return k, err
	}
	if k.WeChatPay, err = readKey(filepath.Join(dir, WeChatPayKeyFile)); err != nil {
		return k, err
	}
	if k.MchSerial == "" || k.PublicKeyID == "" || len(k.APIv3Key) != 32 {
		return k, fmt.Errorf("wechatpaytest: %s is incomplete", filepath.Join(dir, SettingsFile))
	}
	return k, nil
}

func readKey(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("wechatpaytest: %s holds no PEM", path)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("wechatpaytest: %s is not an RSA key", path)
	}
	return rk, nil
}

func pkcs8(k *rsa.PrivateKey) []byte {
	b, _ := x509.MarshalPKCS8PrivateKey(k)
	return b
}

func pemOf(kind string, b []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: b})
}
