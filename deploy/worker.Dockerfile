# Built from the repository root: docker build -f deploy/worker.Dockerfile .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Evidence.Worker/Evidence.Worker.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app .
# The worker serves no HTTP; it touches this file while its checks pass (see its Extensions.cs).
ENV Health__File=/tmp/evidence-worker.healthy
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
    CMD test -n "$(find /tmp/evidence-worker.healthy -mmin -1 2>/dev/null)" || exit 1
ENTRYPOINT ["dotnet", "Evidence.Worker.dll"]
