package image_test

import (
	"archive/tar"
	"context"
	"io"
	"os/exec"
	"path/filepath"
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
