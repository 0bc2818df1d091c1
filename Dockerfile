# syntax=docker/dockerfile:1

# ---- web client -------------------------------------------------------------------------------------
# The caller page and the supporter console (src/PeerLine.Web): npm ci from the lock file, then esbuild.
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY src/PeerLine.Web/package.json src/PeerLine.Web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY src/PeerLine.Web/ ./
RUN node build.mjs

# ---- build ------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src

# Restore first, with only the project files copied in. This layer stays cached until a project
# file or the shared build settings change.
COPY PeerLine.sln Directory.Build.props Directory.Packages.props .editorconfig dotnet-tools.json ./
COPY src/PeerLine.Protocol/PeerLine.Protocol.csproj src/PeerLine.Protocol/
COPY src/PeerLine.Server/PeerLine.Server.csproj     src/PeerLine.Server/
COPY src/PeerLine.Client/PeerLine.Client.csproj     src/PeerLine.Client/
RUN dotnet restore src/PeerLine.Server/PeerLine.Server.csproj

COPY src/ src/
# The web client was built in its own stage: the SDK image has no Node.js, so the MSBuild step is skipped.
RUN dotnet publish src/PeerLine.Server/PeerLine.Server.csproj -c Release -o /app --no-restore -p:SkipWebClient=true
COPY --from=web /web/dist /app/wwwroot

# ---- runtime ----------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0

# HEALTHCHECK needs an HTTP client, and the aspnet:10.0 image (Ubuntu 24.04 "noble") has neither curl
# nor wget. We install curl rather than probing with `dotnet` itself. curl gives a one-line,
# well-understood check and does not start a second .NET process every 30 seconds; a `dotnet` probe
# would also need a small probe program shipped for it. The apt lists are removed in the same layer.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /app ./

# The database and the data-protection keys live in /data, owned by the non-root `app` user
# (UID/GID $APP_UID = 1654, defined by the base image) and readable by it alone. The directory must
# exist with this owner before VOLUME: a new named volume copies it, ownership included. A bind mount
# does not, so chown the host directory to 1654 yourself.
RUN mkdir -p /data \
 && chown "$APP_UID:$APP_UID" /data \
 && chmod 700 /data
VOLUME ["/data"]

# The port comes from --urls below. Clearing the base image's ASPNETCORE_HTTP_PORTS avoids an
# "overriding HTTP_PORTS" warning at start.
ENV ASPNETCORE_HTTP_PORTS=""
EXPOSE 8080

USER $APP_UID

# /readyz answers 200 only when the SQLite database can be opened; /healthz would only show that the
# process answers. The server never logs requests, so health probes leave no trace in the logs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl --fail --silent --show-error --output /dev/null http://127.0.0.1:8080/readyz || exit 1

# Arguments given to `docker run IMAGE …` replace CMD, so repeat --data and --urls when adding others.
# Staff accounts: docker exec -i CONTAINER dotnet PeerLine.Server.dll staff add --login NAME --role ROLE --data /data
ENTRYPOINT ["dotnet", "PeerLine.Server.dll"]
CMD ["--data", "/data", "--urls", "http://0.0.0.0:8080"]
