using System.Net;
using System.Text.Json;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Health;

public sealed class HealthAndApiDocumentTests() : AppScenario
{
    [Theory]
    [InlineData("/healthz", "alive")]
    [InlineData("/readyz", "ready")]
    public async Task Probe_Answers200(string path, string status)
    {
        using var http = App.Http();
        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheRestEndpoints()
    {
        using var http = App.Http();
        var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Superset(
            new HashSet<string>
            {
                "/healthz", "/readyz", "/api/version", "/api/staff/login", "/api/staff/token", "/api/staff/logout", "/api/staff/me",
            },
            paths.ToHashSet());
    }
}
