# laborbrand: one static binary; docker-compose.yml runs it as `migrate`,
# `worker` and `api`. Migrations and time-zone data are embedded in it.

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/laborbrand ./cmd/laborbrand

# The printed documents embed subsets of two TrueType fonts from Debian's
# packages (internal/paper); distroless has no package manager, so they are
# installed here and copied to the paths LB_PDF_FONT and LB_PDF_LATIN_FONT
# default to. Without them every PDF endpoint answers 503 pdf_font_missing.
FROM debian:12-slim AS fonts
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		fonts-droid-fallback fonts-dejavu-core && rm -rf /var/lib/apt/lists/*

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/laborbrand /usr/local/bin/laborbrand
COPY --from=fonts /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf /usr/share/fonts/truetype/droid/
COPY --from=fonts /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/dejavu/
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/laborbrand"]
CMD ["api"]
