# The command-line tool with the sample review, for the compose file's one-shot demo import.
# Built from the repository root: docker build -f deploy/cli.Dockerfile .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Evidence.Cli/Evidence.Cli.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app .
COPY samples/ /samples/
USER $APP_UID
ENTRYPOINT ["dotnet", "evidence.dll"]
