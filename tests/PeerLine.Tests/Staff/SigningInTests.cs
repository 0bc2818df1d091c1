using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Staff;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Staff;

public sealed class SigningInTests() : AppScenario
{
    [Fact]
    public async Task Login_Cookie_HttpOnlySameSiteStrict_AndMeShowsRoles()
    {
        await App.CreateStaffAsync("lee", StaffRoles.Lead);
        using var http = App.Http();

        var response = await http.PostAsJsonAsync("/api/staff/login", new StaffLogin("lee", PeerLineApp.Password));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("peerline-staff=", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/staff/me");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        var me = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<StaffIdentity>();
        Assert.Equal("lee", me!.Login);
        Assert.Equal([StaffRoles.Lead], me.Roles);
    }

    [Fact]
    public async Task Token_ShortLived_BearerWorksOnMe()
    {
        await App.CreateStaffAsync("kim");
        using var http = App.Http();

        var token = await (await http.PostAsJsonAsync("/api/staff/token", new StaffLogin("kim", PeerLineApp.Password)))
            .Content.ReadFromJsonAsync<TokenBody>();

        Assert.Equal(15 * 60, token!.ExpiresIn);
        http.DefaultRequestHeaders.Authorization = new("Bearer", token.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/staff/me")).StatusCode);
    }

    [Theory]
    [InlineData("kai", "wrong password here")]
    [InlineData("nobody", PeerLineApp.Password)]
    public async Task Login_BadCredentials_GenericRefusal(string login, string password)
    {
        await App.CreateStaffAsync("kai");
        using var http = App.Http();

        var response = await http.PostAsJsonAsync("/api/staff/token", new StaffLogin(login, password));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ErrorCodes.InvalidCredentials, (await response.Content.ReadFromJsonAsync<ErrorBody>())!.Code);
    }

    [Fact]
    public async Task Login_DisabledAccount_Refused()
    {
        await App.CreateStaffAsync("max");
        Assert.True(await App.Services.GetRequiredService<StaffAccounts>().DisableAsync("max"));
        using var http = App.Http();

        var response = await http.PostAsJsonAsync("/api/staff/token", new StaffLogin("max", PeerLineApp.Password));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Login_TooManyAttempts_RateLimitedWithCode()
    {
        await using var app = new PeerLineApp(new() { ["StaffAuth:LoginsPerMinute"] = "3" });
        using var http = app.Http();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await http.PostAsJsonAsync("/api/staff/token", new StaffLogin("x", "y"))).StatusCode);
        var limited = await http.PostAsJsonAsync("/api/staff/token", new StaffLogin("x", "y"));

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(ErrorCodes.RateLimited, (await limited.Content.ReadFromJsonAsync<ErrorBody>())!.Code);
    }

    [Fact]
    public async Task Login_AfterHashingCostRises_PasswordIsRehashedWithNewParameters()
    {
        await App.CreateStaffAsync("ola");
        await using var raised = new PeerLineApp(new() { ["PasswordHashing:Iterations"] = "3" }, dataDirectory: App.DataDirectory)
        {
            KeepData = true,
        };
        using var http = raised.Http();

        var response = await http.PostAsJsonAsync("/api/staff/token", new StaffLogin("ola", PeerLineApp.Password));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var scope = raised.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync("ola");
        Assert.Contains("$m=19456,t=3,p=1$", user!.PasswordHash);
    }

    private sealed record TokenBody(string AccessToken, int ExpiresIn);
}
