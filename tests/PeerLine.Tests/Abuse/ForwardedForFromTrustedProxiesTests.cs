using System.Net;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Abuse;

/// <summary>
/// X-Forwarded-For names the source only when the sender is a trusted proxy (Web:TrustedProxies, loopback by
/// default). The tests' sender is 127.0.0.1; each test holds the one connection a source may have.
/// </summary>
public sealed class ForwardedForFromTrustedProxiesTests
{
    [Fact]
    public async Task ForwardedFor_FromTheDefaultLoopbackProxy_IsTheSource()
    {
        await using var app = new PeerLineApp(new() { ["Abuse:ConnectionsPerSource"] = "1" }, kestrel: true);
        await using var held = app.CallerFrom("192.0.2.1");
        await held.StartAsync().Within();

        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.NegotiateAsync(forwardedFor: "192.0.2.1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.NegotiateAsync(forwardedFor: "192.0.2.2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.NegotiateAsync()).StatusCode);
        // Only the last entry counts (the one the trusted proxy added), whatever a client put before it.
        Assert.Equal(HttpStatusCode.OK, (await app.NegotiateAsync(forwardedFor: "192.0.2.1, 192.0.2.3")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.NegotiateAsync(forwardedFor: "192.0.2.3, 192.0.2.1")).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0/8, 2001:db8::1")]
    public async Task ForwardedFor_FromASenderNotTrusted_IsIgnored(string trustedProxies)
    {
        await using var app = new PeerLineApp(new() { ["Abuse:ConnectionsPerSource"] = "1", ["Web:TrustedProxies"] = trustedProxies }, kestrel: true);
        await using var held = app.CallerFrom("192.0.2.1");
        await held.StartAsync().Within();

        // Every request is from 127.0.0.1, whatever the header says: one source, and its one connection is taken.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.NegotiateAsync(forwardedFor: "192.0.2.2")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.NegotiateAsync()).StatusCode);
    }

    [Fact]
    public async Task IPv6Sources_OneSlash64IsOneSource()
    {
        await using var app = new PeerLineApp(new() { ["Abuse:ConnectionsPerSource"] = "1" }, kestrel: true);
        await using var held = app.CallerFrom("2001:db8:1:2::10");
        await held.StartAsync().Within();

        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.NegotiateAsync(forwardedFor: "2001:db8:1:2:ffff::99")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.NegotiateAsync(forwardedFor: "2001:db8:1:3::10")).StatusCode);
    }
}
