// Package image builds the jobs' container images without a Docker daemon:
// a static Go binary (built with CGO_ENABLED=0 and -tags cloud, so no
// DuckDB), the system's CA certificates and nothing else, run as a non-root
// user. The images are written as tarballs that `docker load`, `crane push`
// or `gcloud` accept.
package image

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// MaxCompressed is the most an image may weigh in the registry.
const MaxCompressed = 30 << 20

// Services are the main packages under services/ that get an image, each
// named as its directory.
func Services() []string { return []string{"extractor", "transformer", "loader", "dashboard"} }

// NonRoot is the user the images run as (distroless' nonroot).
const NonRoot = "65532:65532"

// CACerts is where the images carry the CA certificates, and where Debian
// keeps them on the build machine.
const CACerts = "/etc/ssl/certs/ca-certificates.crt"

// PageFiles lists the files the dashboard's page (index.html in static,
// the directory the dashboard embeds) loads from its own server, as paths
// under static, and fails naming the first one missing: a build without
// them serves a page without charts. The charts' library comes from
// scripts/web.sh (make deps runs it).
func PageFiles(static string) ([]string, error) {
	page, err := os.ReadFile(filepath.Join(static, "index.html"))
	if err != nil {
		return nil, fmt.Errorf("image: the dashboard's page: %w", err)
	}
	files := []string{"index.html"}
	for _, m := range pageRef.FindAllSubmatch(page, -1) {
		ref := string(m[1])
		if strings.Contains(ref, ":") || strings.HasPrefix(ref, "?") || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "//") {
			continue // another site, or the page itself with a query
		}
		ref = strings.TrimPrefix(ref, "/")
		if strings.HasPrefix(ref, "api/") {
			continue // an answer of the API the page preloads, not a file
		}
		if _, err := os.Stat(filepath.Join(static, ref)); err != nil {
			return nil, fmt.Errorf("image: the dashboard's page loads %s, which is missing from %s (scripts/web.sh installs the charts; make deps runs it): %w", ref, static, err)
		}
		files = append(files, ref)
	}
	return files, nil
}

// pageRef finds the src and href attributes of a page.
var pageRef = regexp.MustCompile(`(?:src|href)="([^"]+)"`)

// Compile builds the static binary of a main package (a directory such as
// ./services/loader) into dir, for linux/amd64.
func Compile(ctx context.Context, pkg, dir string) (string, error) {
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-tags", "cloud", "-ldflags", "-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("image: build %s: %w\n%s", pkg, err, b)
	}
	return out, nil
}

// Build makes the image of one binary: /app/NAME as the entrypoint, the CA
// certificates from certs, user NonRoot. Files carry a fixed time, so the
// same binary gives the same image.
func Build(binary, certs string) (v1.Image, error) {
	app := filepath.Base(binary)
	bin, err := os.ReadFile(binary)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	ca, err := os.ReadFile(certs)
	if err != nil {
		return nil, fmt.Errorf("image: CA certificates: %w", err)
	}
	layer, err := tarLayer([]file{
		{path: "app/", dir: true},
		{path: "app/" + app, mode: 0o755, data: bin},
		{path: "etc/", dir: true},
		{path: "etc/ssl/", dir: true},
		{path: "etc/ssl/certs/", dir: true},
		{path: "etc/ssl/certs/ca-certificates.crt", mode: 0o644, data: ca},
		{path: "etc/passwd", mode: 0o644, data: []byte("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")},
		{path: "tmp/", dir: true, mode: 0o1777},
	})
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), layer)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	cfg = cfg.DeepCopy()
	cfg.Architecture, cfg.OS = "amd64", "linux"
	cfg.Config.Entrypoint = []string{"/app/" + app}
	cfg.Config.User = NonRoot
	cfg.Config.WorkingDir = "/tmp"
	cfg.Config.Env = []string{"SSL_CERT_FILE=" + CACerts, "PATH=/app"}
	cfg.Created = v1.Time{Time: time.Unix(0, 0)}
	return mutate.ConfigFile(img, cfg)
}

// Size is an image's size as a registry stores it (compressed layers and
// config) and as it runs (uncompressed layers).
func Size(img v1.Image) (compressed, uncompressed int64, err error) {
	layers, err := img.Layers()
	if err != nil {
		return 0, 0, fmt.Errorf("image: %w", err)
	}
	for _, l := range layers {
		c, err := l.Size()
		if err != nil {
			return 0, 0, fmt.Errorf("image: %w", err)
		}
		u, err := l.Uncompressed()
		if err != nil {
			return 0, 0, fmt.Errorf("image: %w", err)
		}
		n, err := countBytes(u)
		if err != nil {
			return 0, 0, err
		}
		compressed += c
		uncompressed += n
	}
	return compressed, uncompressed, nil
}

// Write saves img as a tarball tagged ref.
func Write(img v1.Image, ref, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	tag, err := name.NewTag(ref)
	if err != nil {
		return fmt.Errorf("image: tag %q: %w", ref, err)
	}
	if err := tarball.WriteToFile(path, tag, img); err != nil {
		return fmt.Errorf("image: write %s: %w", path, err)
	}
	return nil
}

type file struct {
	path string
	dir  bool
	mode int64
	data []byte
}

func tarLayer(files []file) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	epoch := time.Unix(0, 0)
	for _, f := range files {
		h := &tar.Header{Name: f.path, Mode: f.mode, ModTime: epoch, Uid: 0, Gid: 0, Format: tar.FormatPAX}
		if f.dir {
			h.Typeflag = tar.TypeDir
			if h.Mode == 0 {
				h.Mode = 0o755
			}
		} else {
			h.Typeflag, h.Size = tar.TypeReg, int64(len(f.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("image: layer: %w", err)
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, fmt.Errorf("image: layer: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("image: layer: %w", err)
	}
	b := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
}

func countBytes(r io.ReadCloser) (int64, error) {
	defer r.Close()
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return 0, fmt.Errorf("image: %w", err)
	}
	return n, nil
}
