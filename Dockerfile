# The Ratify host (src/Ratify.Functions) as a container image: built with the .NET SDK, run on the ASP.NET Core runtime
# as a non-root user, listening on port 8080. Build from the repository root:
#   docker build -t ratify:dev .
# Configuration comes from environment variables (see README.md, Configuration; infra/ sets them in Azure).

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /source

# Restore first, from the project files alone, so that a source change does not invalidate the package layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Ratify.Durable/Ratify.Durable.csproj src/Ratify.Durable/
COPY src/Ratify.Connectors/Ratify.Connectors.csproj src/Ratify.Connectors/
COPY src/Ratify.Functions/Ratify.Functions.csproj src/Ratify.Functions/
RUN dotnet restore src/Ratify.Functions/Ratify.Functions.csproj

COPY host.json ./
COPY src/ src/
RUN dotnet publish src/Ratify.Functions/Ratify.Functions.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime

# curl serves the health check only.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /app ./

# All interfaces, port 8080 (the host's own default is loopback 7071, for development). Set ASPNETCORE_HTTP_PORTS to change it.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080

# The runtime image's unprivileged user.
USER $APP_UID

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --fail --silent --output /dev/null "http://127.0.0.1:${ASPNETCORE_HTTP_PORTS%%;*}/healthz" || exit 1

ENTRYPOINT ["dotnet", "Ratify.Functions.dll"]
