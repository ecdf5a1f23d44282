package image_test

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"jobpulse/pkg/image"
)

// TestImages builds the two binaries that link DuckDB locally, the
// loader and the dashboard, as the cloud builds them: static, without
// DuckDB (the build would fail without cgo if DuckDB came in), non-root,
// with CA certificates, and under 30 MB in the registry.
func TestImages(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the loader and the dashboard")
	}
	for _, name := range []string{"loader", "dashboard"} {
		t.Run(name, func(t *testing.T) { testImage(t, name) })
	}
}

func testImage(t *testing.T, name string) {
	ctx := context.Background()
	dir := t.TempDir()
	bin, err := image.Compile(ctx, "../../services/"+name, dir)
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := exec.Command("go", "version", "-m", bin).CombinedOutput(); strings.Contains(string(out), "duckdb") || !strings.Contains(string(out), "CGO_ENABLED=0") {
		t.Errorf("the cloud %s links DuckDB or cgo:\n%s", name, out)
	}
	img, err := image.Build(bin, image.CACerts)
	if err != nil {
		t.Fatal(err)
	}
	c, u, err := image.Size(img)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s image: %.1f MB compressed, %.1f MB uncompressed", name, float64(c)/(1<<20), float64(u)/(1<<20))
	if c > image.MaxCompressed {
		t.Errorf("%s image %d bytes compressed; want at most %d", name, c, image.MaxCompressed)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Config.User != image.NonRoot || cfg.Config.Entrypoint[0] != "/app/"+name || cfg.OS != "linux" {
		t.Errorf("config: user %q, entrypoint %v, os %q", cfg.Config.User, cfg.Config.Entrypoint, cfg.OS)
	}
	files := map[string]int64{}
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = h.Size
	}
	if name == "dashboard" {
		// The page and every file it loads are embedded in the binary,
		// byte for byte (a build without scripts/web.sh's charts would
		// serve a page without charts).
		page, err := image.PageFiles("../dashboard/static")
		if err != nil {
			t.Fatal(err)
		}
		exe, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range page {
			b, err := os.ReadFile(filepath.Join("../dashboard/static", f))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(exe, b) {
				t.Errorf("the dashboard image lacks %s, which its page loads", f)
			}
		}
		if !slices.Contains(page, "vendor/echarts.min.js") {
			t.Errorf("the page's files %v; want the charts' library among them", page)
		}
	}
	if files["app/"+name] == 0 || files["etc/ssl/certs/ca-certificates.crt"] == 0 || files["etc/passwd"] == 0 {
		t.Errorf("image files %v; want the binary, the CA certificates and a passwd with the non-root user", files)
	}
	// The tarball loads back as the same image (its config and layers; the
	// tarball's manifest is Docker's).
	path := filepath.Join(dir, name+".tar")
	if err := image.Write(img, "jobpulse/"+name+":test", path); err != nil {
		t.Fatal(err)
	}
	back, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	c1, _ := img.ConfigName()
	c2, _ := back.ConfigName()
	l1, _ := img.Layers()
	l2, _ := back.Layers()
	d1, _ := l1[0].Digest()
	d2, _ := l2[0].Digest()
	if c1 != c2 || len(l2) != 1 || d1 != d2 {
		t.Errorf("the tarball holds config %s layer %s; built %s, %s", c2, d2, c1, d1)
	}
}

// TestPageFiles: the files the page loads are listed, and a missing one
// (the charts before scripts/web.sh ran) is an error naming it.
func TestPageFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	page := `<link rel="stylesheet" href="style.css"><link rel="preload" href="api/meta" as="fetch" crossorigin>` +
		`<a href="?lang=en">en</a><a href="https://www.saramin.co.kr/">사람인</a>` +
		`<script src="vendor/echarts.min.js"></script><script src="app.js"></script>`
	for name, data := range map[string]string{"index.html": page, "style.css": "", "app.js": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := image.PageFiles(dir); err == nil || !strings.Contains(err.Error(), "vendor/echarts.min.js") || !strings.Contains(err.Error(), "scripts/web.sh") {
		t.Fatalf("without the charts: %v; want an error naming vendor/echarts.min.js and scripts/web.sh", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "vendor"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "vendor", "echarts.min.js"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := image.PageFiles(dir)
	if err != nil || !slices.Equal(files, []string{"index.html", "style.css", "vendor/echarts.min.js", "app.js"}) {
		t.Errorf("PageFiles = %v, %v", files, err)
	}
}
