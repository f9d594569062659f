package config_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/platform/config"
)

// pki is a CA and certificates it signed, written as PEM files.
type pki struct {
	dir    string
	ca     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	caPool *x509.CertPool
}

func newPKI(t *testing.T) *pki {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "laborbrand test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	p := &pki{dir: t.TempDir(), ca: ca, caKey: key, caPool: x509.NewCertPool()}
	p.caPool.AddCert(ca)
	p.write(t, "ca.pem", "CERTIFICATE", der)
	return p
}

func (p *pki) write(t *testing.T, name, kind string, der []byte) string {
	t.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// issue signs a certificate for dnsName and writes it and its key.
func (p *pki) issue(t *testing.T, name, dnsName string, usage x509.ExtKeyUsage) (certFile, keyFile string, cert tls.Certificate) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: dnsName},
		DNSNames: []string{dnsName}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	certFile = p.write(t, name+".pem", "CERTIFICATE", der)
	keyFile = p.write(t, name+"-key.pem", "EC PRIVATE KEY", keyDER)
	cert, err = tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

// mutualTLSServer accepts connections that present a client certificate of
// p's CA, as a Temporal frontend with requireClientAuth does; it completes
// each handshake and returns its address.
func mutualTLSServer(t *testing.T, p *pki, cert tls.Certificate) string {
	t.Helper()
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: p.caPool, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { c.(*tls.Conn).Handshake(); c.Close() }()
		}
	}()
	return l.Addr().String()
}

func handshake(addr string, c *tls.Config) error {
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, c)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.Handshake(); err != nil {
		return err
	}
	// Under TLS 1.3 the server refuses a client certificate after the
	// client's side of the handshake: its alert arrives with the first read.
	// The server closes an accepted connection, which reads as EOF.
	if _, err := conn.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

func TestTemporalTLSSettingsMakeAMutualTLSClient(t *testing.T) {
	p := newPKI(t)
	_, _, serverCert := p.issue(t, "frontend", "temporal-frontend", x509.ExtKeyUsageServerAuth)
	clientCert, clientKey, _ := p.issue(t, "worker", "laborbrand-worker", x509.ExtKeyUsageClientAuth)
	addr := mutualTLSServer(t, p, serverCert)

	cfg, err := config.Parse(env("LB_TEMPORAL_TLS_CERT", clientCert, "LB_TEMPORAL_TLS_KEY", clientKey,
		"LB_TEMPORAL_TLS_CA", filepath.Join(p.dir, "ca.pem"), "LB_TEMPORAL_TLS_SERVER_NAME", "temporal-frontend"))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.TemporalTLS.Enabled {
		t.Fatal("the TLS files did not enable TLS")
	}
	c, err := cfg.TemporalTLS.ClientConfig()
	if err != nil {
		t.Fatal(err)
	}
	if err := handshake(addr, c); err != nil {
		t.Errorf("handshake with the frontend's name, CA and client certificate: %v", err)
	}

	wrongName := c.Clone()
	wrongName.ServerName = "somewhere-else"
	if err := handshake(addr, wrongName); err == nil || !strings.Contains(err.Error(), "somewhere-else") {
		t.Errorf("a certificate not for the server name was accepted: %v", err)
	}
	systemRoots := c.Clone()
	systemRoots.RootCAs = nil
	if err := handshake(addr, systemRoots); err == nil {
		t.Error("a certificate of a private CA was accepted without LB_TEMPORAL_TLS_CA")
	}
	noClientCert := c.Clone()
	noClientCert.Certificates = nil
	if err := handshake(addr, noClientCert); err == nil {
		t.Error("the handshake passed without a client certificate; requireClientAuth should refuse it")
	}
}

func TestTemporalTLSIsOffUnlessSet(t *testing.T) {
	cfg, err := config.Parse(env())
	if err != nil {
		t.Fatal(err)
	}
	if c, err := cfg.TemporalTLS.ClientConfig(); c != nil || err != nil {
		t.Errorf("ClientConfig() = %v, %v; want plain TCP", c, err)
	}
	cfg, err = config.Parse(env("LB_TEMPORAL_TLS", "true"))
	if err != nil {
		t.Fatal(err)
	}
	if c, err := cfg.TemporalTLS.ClientConfig(); c == nil || c.RootCAs != nil || err != nil {
		t.Errorf("LB_TEMPORAL_TLS=true: ClientConfig() = %v, %v; want TLS with the system's roots", c, err)
	}
}

func TestMalformedTemporalTLSSettingsAreRefused(t *testing.T) {
	_, err := config.Parse(env("LB_TEMPORAL_TLS", "yes", "LB_TEMPORAL_TLS_CERT", "/etc/lb/worker.pem"))
	for _, want := range []string{`LB_TEMPORAL_TLS="yes": true or false`, "LB_TEMPORAL_TLS_CERT and LB_TEMPORAL_TLS_KEY: both or neither"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
	cfg, err := config.Parse(env("LB_TEMPORAL_TLS_CA", filepath.Join(t.TempDir(), "missing.pem")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.TemporalTLS.ClientConfig(); err == nil || !strings.Contains(err.Error(), "LB_TEMPORAL_TLS_CA") {
		t.Errorf("a missing CA file: %v", err)
	}
}

func TestWorkflowCacheSizeIsRead(t *testing.T) {
	if cfg, err := config.Parse(env("LB_WORKFLOW_CACHE_SIZE", "40000")); err != nil || cfg.WorkflowCacheSize != 40000 {
		t.Errorf("Parse = %d, %v; want 40000", cfg.WorkflowCacheSize, err)
	}
	if _, err := config.Parse(env("LB_WORKFLOW_CACHE_SIZE", "0")); err == nil || !strings.Contains(err.Error(), "LB_WORKFLOW_CACHE_SIZE=0: must be positive") {
		t.Errorf("LB_WORKFLOW_CACHE_SIZE=0: %v", err)
	}
}

func TestRetentionsAreReadAndBounded(t *testing.T) {
	cfg, err := config.Parse(env("LB_MAINTENANCE_EVERY", "30m", "LB_IDEMPOTENCY_RETENTION", "48h",
		"LB_OUTBOX_RETENTION", "2160h", "LB_SESSION_RETENTION", "12h"))
	want := config.Maintenance{Every: 30 * time.Minute, IdempotencyRetention: 48 * time.Hour,
		OutboxRetention: 2160 * time.Hour, SessionRetention: 12 * time.Hour}
	if err != nil || cfg.Maintenance != want {
		t.Errorf("Parse = %+v, %v; want %+v", cfg.Maintenance, err, want)
	}
	_, err = config.Parse(env("LB_IDEMPOTENCY_RETENTION", "1h", "LB_OUTBOX_RETENTION", "72h", "LB_MAINTENANCE_EVERY", "1s"))
	for _, want := range []string{"LB_IDEMPOTENCY_RETENTION=1h0m0s: at least 24h0m0s",
		"LB_OUTBOX_RETENTION=72h0m0s: at least 96h0m0s", "LB_MAINTENANCE_EVERY=1s: at least 1m0s"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
}
