using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Hubs;

/// <summary>
/// One connection invoking as fast as it can: every refusal (over the invocation budget, or a call the server
/// refuses with a code) costs a count, not a log line, so the log grows by the same few lines whether the flood is
/// 2,000 or 20,000 invocations long; and a connection that keeps calling over its budget is closed.
/// </summary>
public sealed class FloodOfRefusedInvocationsTests
{
    private const int RefusalLogWindowSeconds = 60;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Flood_WritesTheSameFewLines_WhateverItsLength(bool overBudget)
    {
        var shorter = await FloodAsync(2_000, overBudget);
        var longer = await FloodAsync(20_000, overBudget);

        Assert.Equal(2_000, shorter.RefusalsCounted);
        Assert.Equal(20_000, longer.RefusalsCounted);
        // At most a first line and a count line for each code (rate-limited, not-found), whatever the length.
        Assert.All([shorter, longer], flood =>
        {
            Assert.InRange(flood.Lines, 1, 4);
            Assert.InRange(flood.Bytes, 1, 2_048);
        });
    }

    [Fact]
    public async Task FirstRefusal_IsLoggedAtOnceWithMethodAndCode_TheRestWhenTheWindowEnds()
    {
        await using var app = App(invocationsPerSecond: 1, burst: 1, closeAfter: 1_000_000);
        await using var connection = await ConnectAsync(app);
        var before = app.Logs.Lines.Count;

        for (var i = 0; i < 50; i++) await RefusedCodeAsync(connection);
        var during = Refusals(app.Logs.Lines.Skip(before));
        app.Time!.Advance(TimeSpan.FromSeconds(RefusalLogWindowSeconds));
        var after = Refusals(app.Logs.Lines.Skip(before));

        var first = Assert.Single(during, e => e.Code == ErrorCodes.RateLimited);
        Assert.Equal((3001, "Acknowledge", 1L), (first.EventId, first.Method, first.Count));
        var rest = Assert.Single(after, e => e is { EventId: 3004, Code: ErrorCodes.RateLimited });
        Assert.Equal("Acknowledge", rest.Method);
        Assert.Equal(50, after.Sum(e => e.Count));
    }

    [Fact]
    public async Task ConnectionThatKeepsCallingOverItsBudget_IsClosed()
    {
        const int closeAfter = 5;
        await using var app = App(invocationsPerSecond: 1, burst: 10, closeAfter);
        await using var connection = await ConnectAsync(app);
        var closed = new TaskCompletionSource();
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var rateLimited = 0;
        for (var i = 0; i < 1_000 && !closed.Task.IsCompleted; i++)
        {
            try
            {
                if (await RefusedCodeAsync(connection) == ErrorCodes.RateLimited) rateLimited++;
            }
            catch (Exception e) when (e is not HubException)
            {
                break; // the server closed the connection under this invocation
            }
        }

        await closed.Task.Within();
        Assert.InRange(rateLimited, closeAfter, closeAfter + 1);
    }

    [Fact]
    public async Task ConnectionRefusedLessThanTheLimit_StaysOpen()
    {
        const int closeAfter = 5;
        await using var app = App(invocationsPerSecond: 1, burst: 10, closeAfter);
        await using var connection = await ConnectAsync(app);

        // The burst of 10 is used up by calls the server refuses on their merits, then at most 5 go over the budget.
        var codes = new List<string>();
        for (var i = 0; i < 10 + closeAfter; i++) codes.Add(await RefusedCodeAsync(connection));

        Assert.Equal(Enumerable.Repeat(ErrorCodes.NotFound, 10), codes.Take(10));
        Assert.InRange(codes.Count(c => c == ErrorCodes.RateLimited), 1, closeAfter);
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    private static async Task<(int Lines, int Bytes, long RefusalsCounted)> FloodAsync(int invocations, bool overBudget)
    {
        await using var app = overBudget ? App(invocationsPerSecond: 1, burst: 1, closeAfter: 1_000_000) : App(100_000, 100_000, 1);
        await using var connection = await ConnectAsync(app);
        var before = app.Logs.Lines.Count;

        for (var i = 0; i < invocations; i++) await RefusedCodeAsync(connection);
        app.Time!.Advance(TimeSpan.FromSeconds(RefusalLogWindowSeconds));

        var lines = app.Logs.Lines.Skip(before).ToList();
        return (lines.Count, lines.Sum(l => Encoding.UTF8.GetByteCount(l) + 1), Refusals(lines).Sum(e => e.Count));
    }

    private static PeerLineApp App(int invocationsPerSecond, int burst, int closeAfter) => new(QuietTimers.With(new()
    {
        ["HubLimits:InvocationsPerSecond"] = invocationsPerSecond.ToString(),
        ["HubLimits:InvocationBurst"] = burst.ToString(),
        ["HubLimits:CloseAfterRefusals"] = closeAfter.ToString(),
        ["HubLimits:RefusalLogWindowSeconds"] = RefusalLogWindowSeconds.ToString(),
    }), new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T09:00:00Z")));

    private static async Task<HubConnection> ConnectAsync(PeerLineApp app)
    {
        var connection = app.RawConnection(HubRoutes.Caller);
        await connection.StartAsync().Within();
        return connection;
    }

    /// <summary>Acknowledges in a session this connection does not hold: refused with not-found when within budget.</summary>
    private static async Task<string> RefusedCodeAsync(HubConnection connection)
    {
        var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Acknowledge", "not-a-session", 0L).Within());
        return refused.Message.Split(' ')[^1];
    }

    private sealed record Refusal(int EventId, string Method, string Code, long Count);

    /// <summary>The refusal-log lines (3001: one refusal, 3004: a window's further count).</summary>
    private static List<Refusal> Refusals(IEnumerable<string> lines) =>
        lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("EventId", out var id) && id.GetProperty("Id").GetInt32() is 3001 or 3004)
            .Select(e => new Refusal(
                e.GetProperty("EventId").GetProperty("Id").GetInt32(),
                e.GetProperty("Method").GetString()!,
                e.GetProperty("Code").GetString()!,
                e.TryGetProperty("Count", out var count) ? count.GetInt64() : 1))
            .ToList();
}
