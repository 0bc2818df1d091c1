using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Continuity;

/// <summary>
/// Continuity without identity: a return code's lookup value, registered during a session, brings a later request
/// to the same supporter first, for at most three meetings, within the validity, and links nothing else.
/// </summary>
public sealed class ReturnCodeTests() : AppScenario(new PeerLineApp(new()
{
    ["Continuity:MaxMeetings"] = "3",
    ["Continuity:CodeValidDays"] = "2",
    ["Continuity:ReserveSeconds"] = "60",
    ["Queue:SweepIntervalSeconds"] = "3600",
    ["Wellbeing:CheckIntervalSeconds"] = "3600",
    ["Wellbeing:MaxShiftMinutes"] = "1440",
    ["Wellbeing:WeeklyHoursCap"] = "168",
}, new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T15:00:00Z"))))
{
    private readonly byte[] _lookup = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task ReturningCaller_OfferedToTheSameSupporterFirst_OthersCannotTakeIt()
    {
        await using var first = await App.SupporterOnShiftAsync("fern");
        await using var other = await App.SupporterOnShiftAsync("gil");
        await MeetAndTakeCodeAsync(first);
        var offers = new ConcurrentQueue<SessionOffer>();
        first.SessionOffered += offers.Enqueue;

        await using var returning = new CallerRelayClient(App.RelayOptions());
        var ticket = await returning.RequestReturnAsync(Topics.AdverseEvent, Priorities.Soon, _lookup).Within();

        Assert.Equal(ReturnRoutes.SameSupporter, ticket.Return);
        await Waits.UntilAsync(() => offers.Any(o => o.SessionId == ticket.SessionId && o.Returning),
            because: "the earlier supporter is asked first");
        Assert.Equal(60, offers.Single().ExpiresInSeconds);
        var refused = await Assert.ThrowsAsync<RelayException>(() => other.ClaimNextAsync().Within());
        Assert.Equal(ErrorCodes.QueueEmpty, refused.Code);
        Assert.Equal(ticket.SessionId, (await first.ClaimAsync(ticket.SessionId).Within()).SessionId);
    }

    [Fact]
    public async Task ReservationLapses_AnyoneMayTakeIt()
    {
        await using var first = await App.SupporterOnShiftAsync("hal");
        await using var other = await App.SupporterOnShiftAsync("ida");
        await MeetAndTakeCodeAsync(first);
        await using var returning = new CallerRelayClient(App.RelayOptions());
        var ticket = await returning.RequestReturnAsync(Topics.Burnout, Priorities.Routine, _lookup).Within();

        App.Time!.Advance(TimeSpan.FromSeconds(61));
        await App.SweepQueueAsync();

        Assert.Equal(ticket.SessionId, (await other.ClaimNextAsync().Within()).SessionId);
    }

    [Fact]
    public async Task EarlierSupporterNotOnShift_NormalQueue_CallerTold()
    {
        await using var first = await App.SupporterOnShiftAsync("jo");
        await MeetAndTakeCodeAsync(first);
        await first.EndShiftAsync().Within();
        await using var other = await App.SupporterOnShiftAsync("kai");

        await using var returning = new CallerRelayClient(App.RelayOptions());
        var ticket = await returning.RequestReturnAsync(Topics.Other, Priorities.Routine, _lookup).Within();

        Assert.Equal(ReturnRoutes.SupporterAway, ticket.Return);
        Assert.Equal(ticket.SessionId, (await other.ClaimNextAsync().Within()).SessionId);
    }

    [Fact]
    public async Task ThreeMeetingsAtMost_ThenNotValid_ButStillQueued()
    {
        await using var first = await App.SupporterOnShiftAsync("lou", capacity: 6);
        await MeetAndTakeCodeAsync(first);
        var routes = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            await using var returning = new CallerRelayClient(App.RelayOptions());
            var ticket = await returning.RequestReturnAsync(Topics.Other, Priorities.Routine, _lookup).Within();
            routes.Add(ticket.Return);
            Assert.Equal(SessionStates.Waiting, ticket.Queue.State);
        }
        Assert.Equal([ReturnRoutes.SameSupporter, ReturnRoutes.SameSupporter, ReturnRoutes.CodeNotValid], routes);
    }

    [Fact]
    public async Task ARequestWithAnUnknownTopic_SpendsNoMeeting()
    {
        await using var first = await App.SupporterOnShiftAsync("pat");
        await MeetAndTakeCodeAsync(first);
        await using var returning = new CallerRelayClient(App.RelayOptions());

        var refused = await Assert.ThrowsAsync<RelayException>(() =>
            returning.RequestReturnAsync("not-a-topic", Priorities.Routine, _lookup).Within());

        Assert.Equal(ErrorCodes.InvalidArgument, refused.Code);
        Assert.Equal(1, await App.DbAsync(db => db.ReturnCodes.Select(r => r.MeetingsUsed).SingleAsync()));
    }

    [Fact]
    public async Task ExpiredOrUnknownCode_NotValid_NormalQueue()
    {
        await using var first = await App.SupporterOnShiftAsync("max");
        await MeetAndTakeCodeAsync(first);
        await using var stranger = new CallerRelayClient(App.RelayOptions());
        var unknown = await stranger.RequestReturnAsync(Topics.Other, Priorities.Routine, RandomNumberGenerator.GetBytes(32)).Within();
        Assert.Equal(ReturnRoutes.CodeNotValid, unknown.Return);

        App.Time!.Advance(TimeSpan.FromDays(3)); // valid for two days, counted from the end of the day it was taken
        await using var late = new CallerRelayClient(App.RelayOptions());
        Assert.Equal(ReturnRoutes.CodeNotValid, (await late.RequestReturnAsync(Topics.Other, Priorities.Routine, _lookup).Within()).Return);
    }

    [Fact]
    public async Task WhatTheServerKeeps_AKeyedTag_NotTheLookup_NoSessionLink_ExpiryToTheDay()
    {
        await using var first = await App.SupporterOnShiftAsync("ned");
        await MeetAndTakeCodeAsync(first);

        var row = await App.DbAsync(db => db.ReturnCodes.SingleAsync());
        Assert.NotEqual(_lookup, row.Tag);
        Assert.Equal(32, row.Tag.Length);
        Assert.Equal(0, row.ExpiresAt % 86_400_000L);
        Assert.Equal(1, row.MeetingsUsed);
        await App.CheckpointStorageAsync();
        foreach (var (name, bytes) in App.DatabaseFiles())
            Assert.True(bytes.AsSpan().IndexOf(_lookup) < 0, $"{name} holds the lookup value");
        // The sessions table has no column that refers to a return code: the link exists only while routing a request.
        Assert.DoesNotContain(typeof(SupportSession).GetProperties(),
            p => p.Name.Contains("ReturnCode", StringComparison.Ordinal) || p.PropertyType == typeof(PeerLine.Server.Continuity.ReturnCode));
    }

    [Fact]
    public async Task Register_OnlyForAnActiveSession_WithA32ByteLookup()
    {
        await using var waiting = await App.RequestSupportAsync();
        var refused = await Assert.ThrowsAsync<RelayException>(() => waiting.RegisterReturnCodeAsync(_lookup).Within());
        Assert.Equal(ErrorCodes.WrongState, refused.Code);

        await using var supporter = await App.SupporterOnShiftAsync("ola");
        await supporter.ClaimNextAsync().Within();
        var malformed = await Assert.ThrowsAsync<RelayException>(() => waiting.RegisterReturnCodeAsync(new byte[16]).Within());
        Assert.Equal(ErrorCodes.InvalidArgument, malformed.Code);
        Assert.Equal(new ReturnCodeInfo(2, 2), await waiting.RegisterReturnCodeAsync(_lookup).Within());
        var twice = await Assert.ThrowsAsync<RelayException>(() => waiting.RegisterReturnCodeAsync(_lookup).Within());
        Assert.Equal(ErrorCodes.InvalidArgument, twice.Code);
    }

    /// <summary>A first meeting with this supporter, during which the caller takes the code; then the chat ends.</summary>
    private async Task<string> MeetAndTakeCodeAsync(SupporterRelayClient supporter)
    {
        await using var caller = await App.RequestSupportAsync();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        Assert.Equal(new ReturnCodeInfo(2, 2), await caller.RegisterReturnCodeAsync(_lookup).Within());
        await supporter.CloseAsync(session, Dispositions.Supported).Within();
        return session;
    }
}
