// Command images builds the jobs' container images without a Docker
// daemon (see package jobpulse/pkg/image), and the dashboard's, as tarballs in a directory, and
// prints their sizes. `make images` runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"jobpulse/pkg/image"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "images:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	out := flag.String("out", "bin/images", "directory for the image tarballs")
	repo := flag.String("repo", "jobpulse", "repository the images are tagged in (REGION-docker.pkg.dev/PROJECT/REPO to push)")
	tag := flag.String("tag", "dev", "image tag")
	certs := flag.String("certs", image.CACerts, "CA certificates to put in the images")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "jobpulse-images-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// The dashboard embeds its page: every file the page loads must be
	// there before it is compiled.
	if _, err := image.PageFiles("pkg/dashboard/static"); err != nil {
		return err
	}
	fmt.Printf("%-12s %12s %14s  %s\n", "image", "compressed", "uncompressed", "tarball")
	for _, job := range image.Services() {
		bin, err := image.Compile(ctx, "./services/"+job, tmp)
		if err != nil {
			return err
		}
		img, err := image.Build(bin, *certs)
		if err != nil {
			return err
		}
		c, u, err := image.Size(img)
		if err != nil {
			return err
		}
		path := filepath.Join(*out, job+".tar")
		if err := image.Write(img, fmt.Sprintf("%s/%s:%s", *repo, job, *tag), path); err != nil {
			return err
		}
		fmt.Printf("%-12s %9.1f MB %11.1f MB  %s\n", job, mb(c), mb(u), path)
		if c > image.MaxCompressed {
			return fmt.Errorf("%s weighs %.1f MB compressed; the limit is %.0f MB", job, mb(c), mb(image.MaxCompressed))
		}
	}
	return nil
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }
