# laborbrand: one static binary; docker-compose.yml runs it as `migrate`,
# `worker` and `api`. Migrations and time-zone data are embedded in it.

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/laborbrand ./cmd/laborbrand

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/laborbrand /usr/local/bin/laborbrand
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/laborbrand"]
CMD ["api"]
