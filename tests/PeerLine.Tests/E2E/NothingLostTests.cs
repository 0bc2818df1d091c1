using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using NSec.Cryptography;
using PeerLine.Client.E2E;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.E2E;

/// <summary>
/// The .NET clients through the real server on Kestrel, while messages are in flight (stored by the server, not yet
/// acknowledged by the side they were for): a transfer, a return to the queue, a lead joining, a caller away at the
/// moment of the claim, a chat closed early. Each counts what the other side's application got: every message once,
/// in order; "Delivered" only for what the other side kept, "Not delivered" for the rest.
/// </summary>
public sealed class NothingLostTests() : AppScenario(new PeerLineApp(kestrel: true))
{
    private readonly Key _first = Key.Create(KeyAgreementAlgorithm.X25519);
    private readonly Key _second = Key.Create(KeyAgreementAlgorithm.X25519);

    public override async Task DisposeAsync()
    {
        _first.Dispose();
        _second.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task TransferToASecondSupporter_FiveCallerMessagesInFlight_AllReachTheNewSupporterOnce_NewSafetyCode()
    {
        await using var first = await App.CertifiedSupporterAsync("tara", _first);
        await using var second = await App.CertifiedSupporterAsync("theo", _second);
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        var (atFirst, atSecond, atCaller) = (ConversationParty.Of(first), ConversationParty.Of(second), ConversationParty.Of(caller));
        await caller.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon).Within();
        var session = (await first.ClaimNextAsync().Within()).SessionId;
        var firstCode = await caller.Established.Within();

        atFirst.Hold(); // the first supporter's application sits on the first message: nothing is acknowledged
        var texts = ConversationParty.UniqueTexts("transfer-in-flight", 5);
        var ids = new List<Guid>();
        foreach (var text in texts) ids.Add(await caller.SendAsync(text).Within());
        await Waits.UntilAsync(() => atFirst.Holding is not null, because: "the first message reached the first supporter's application");
        await first.Relay.TransferAsync(session, "theo").Within();
        atFirst.Release();

        var secondCode = await second.EstablishedAsync(session).Within();
        await Waits.UntilAsync(() => caller.Established.IsCompletedSuccessfully && caller.Established.Result == secondCode,
            because: "the caller's new handshake");
        Assert.NotEqual(firstCode, secondCode);
        await Waits.UntilAsync(() => atSecond.Texts.Count >= 5 && atCaller.Delivered.Count >= 5,
            because: "all five sealed again for the new supporter");
        Assert.Equal(texts, atSecond.Texts);
        Assert.Equal(ids, atSecond.Messages.Select(m => m.MessageId));
        Assert.Equal(ids, atCaller.Delivered.ToArray());
        Assert.Empty(atCaller.NotDelivered);

        var reply = ConversationParty.UniqueTexts("transfer-reply", 1)[0];
        await second.SendAsync(session, reply).Within();
        await Waits.UntilAsync(() => atCaller.Texts.Contains(reply));
        Assert.Equal([reply], atCaller.Texts);
        App.Logs.AssertNoErrors();
    }

    [Fact]
    public async Task ReturnToQueue_ClaimedByAnother_MessagesInFlightBothWays_EachShownOnce()
    {
        await using var first = await App.CertifiedSupporterAsync("uli", _first);
        await using var second = await App.CertifiedSupporterAsync("ursa", _second);
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        var (atFirst, atSecond, atCaller) = (ConversationParty.Of(first), ConversationParty.Of(second), ConversationParty.Of(caller));
        await caller.RequestSupportAsync(Topics.Burnout, Priorities.Routine).Within();
        var session = (await first.ClaimNextAsync().Within()).SessionId;
        var firstCode = await caller.Established.Within();
        await second.Relay.EndShiftAsync().Within(); // so that the first supporter's claim was the only one possible

        atFirst.Hold();
        atCaller.Hold(); // the caller sits on the first supporter's first message: both directions in flight
        var fromCaller = ConversationParty.UniqueTexts("queue-from-caller", 5);
        var fromFirst = ConversationParty.UniqueTexts("queue-from-first", 2);
        foreach (var text in fromCaller) await caller.SendAsync(text).Within();
        foreach (var text in fromFirst) await first.SendAsync(session, text).Within();
        await Waits.UntilAsync(() => atFirst.Holding is not null && atCaller.Holding is not null, because: "both applications hold a message");
        await first.Relay.TransferAsync(session, null).Within();
        atFirst.Release();
        await second.StartShiftAsync().Within();
        Assert.Equal(session, (await second.ClaimNextAsync().Within()).SessionId);
        atCaller.Release();

        var secondCode = await second.EstablishedAsync(session).Within();
        Assert.NotEqual(firstCode, secondCode);
        await Waits.UntilAsync(() => atSecond.Texts.Count >= 5 && atCaller.Texts.Count >= 2, because: "everything arrives");
        Assert.Equal(fromCaller, atSecond.Texts);
        Assert.Equal(fromFirst, atCaller.Texts); // sealed under the first supporter's channel, read once
        await Waits.UntilAsync(() => atCaller.Delivered.Count >= 5);
        Assert.Empty(atCaller.NotDelivered);
        App.Logs.AssertNoErrors();
    }

    [Fact]
    public async Task LeadJoinsWhileCallerMessagesAreInFlight_SupporterGetsEveryOneOnce()
    {
        await using var supporter = await App.CertifiedSupporterAsync("vic", _first);
        await using var lead = await App.CertifiedSupporterAsync("vera", _second, StaffRoles.Lead);
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        var (atSupporter, atLead, atCaller) = (ConversationParty.Of(supporter), ConversationParty.Of(lead), ConversationParty.Of(caller));
        caller.LeadInvited += _ => Task.Run(() => caller.AnswerLeadInvitationAsync(accept: true));
        await caller.RequestSupportAsync(Topics.PatientDeath, Priorities.Soon).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var code = await caller.Established.Within();

        atSupporter.Hold();
        var before = ConversationParty.UniqueTexts("lead-before", 5);
        foreach (var text in before) await caller.SendAsync(text).Within();
        await Waits.UntilAsync(() => atSupporter.Holding is not null);
        await supporter.Relay.InviteLeadAsync(session, "vera").Within();
        var leadCode = await lead.EstablishedAsync(session).Within();
        Assert.Equal(leadCode, await caller.LeadEstablished.Within());
        var toLead = ConversationParty.UniqueTexts("lead-only", 1)[0];
        await caller.SendToLeadAsync(toLead).Within();
        var after = ConversationParty.UniqueTexts("lead-after", 2);
        foreach (var text in after) await caller.SendAsync(text).Within();
        atSupporter.Release();

        await Waits.UntilAsync(() => atSupporter.Texts.Count >= 7 && atLead.Texts.Count >= 1 && atCaller.Delivered.Count >= 8,
            because: "everything arrives");
        Assert.Equal([.. before, .. after], atSupporter.Texts);
        Assert.Equal([toLead], atLead.Texts);
        Assert.Equal(code, await caller.Established); // the supporter's channel never changed
        Assert.Equal(code, await supporter.EstablishedAsync(session).Within());
        Assert.Empty(atCaller.NotDelivered);
    }

    [Fact]
    public async Task LeadLeavesBeforeKeepingTheCallersMessages_CallerIsToldExactlyThose_SupporterChannelGoesOn()
    {
        await using var supporter = await App.CertifiedSupporterAsync("yan", _first);
        await using var lead = await App.CertifiedSupporterAsync("yola", _second, StaffRoles.Lead);
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        var (atSupporter, atLead, atCaller) = (ConversationParty.Of(supporter), ConversationParty.Of(lead), ConversationParty.Of(caller));
        caller.LeadInvited += _ => Task.Run(() => caller.AnswerLeadInvitationAsync(accept: true));
        await caller.RequestSupportAsync(Topics.PatientDeath, Priorities.Soon).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var code = await caller.Established.Within();
        await supporter.Relay.InviteLeadAsync(session, "yola").Within();
        await caller.LeadEstablished.Within();

        atLead.Hold();
        var lost = ConversationParty.UniqueTexts("lead-left-before-reading", 2);
        var lostIds = new List<Guid>();
        foreach (var text in lost) lostIds.Add(await caller.SendToLeadAsync(text).Within());
        await Waits.UntilAsync(() => atLead.Holding is not null);
        await lead.Relay.LeaveSessionAsync(session).Within();
        atLead.Release();

        await Waits.UntilAsync(() => atCaller.NotDelivered.Count == 2, because: "the caller hears which messages the lead never kept");
        Assert.Equal(lostIds, atCaller.NotDelivered.ToArray());
        Assert.Empty(atCaller.Delivered);
        var after = ConversationParty.UniqueTexts("after-the-lead-left", 1)[0];
        await caller.SendAsync(after).Within();
        await Waits.UntilAsync(() => atSupporter.Texts.Contains(after) && atCaller.Delivered.Count == 1);
        Assert.Equal(code, await caller.Established);
    }

    [Fact]
    public async Task CallerAwayWhenTheChatIsTaken_BackLater_HandshakeStartsByItself_WhatWasWrittenMeanwhileArrives()
    {
        await using var network = new FlakyNetwork(App.Port!.Value);
        await using var supporter = await App.CertifiedSupporterAsync("wes", _first);
        var presence = new ConcurrentQueue<CallerPresence>();
        supporter.CallerPresence += presence.Enqueue;
        var options = new RelayClientOptions { Server = network.BaseAddress, MaxReconnectDelay = TimeSpan.FromMilliseconds(300) };
        await using var caller = new CallerClient(options, await App.PinnedTrustAsync());
        var (atSupporter, atCaller) = (ConversationParty.Of(supporter), ConversationParty.Of(caller));
        var ticket = await caller.RequestSupportAsync(Topics.Other, Priorities.Routine).Within();

        network.Cut();
        await Waits.UntilAsync(() => App.DbAsync(db => db.Sessions.Where(s => s.Id == ticket.SessionId).Select(s => s.CallerConnection == null)
            .SingleAsync()), because: "the server noticed the caller's connection is gone");
        var claimed = await supporter.ClaimNextAsync().Within();
        var session = claimed.SessionId;
        Assert.False(claimed.CallerPresent);
        var offline = ConversationParty.UniqueTexts("written-while-away", 2);
        foreach (var text in offline) await caller.SendAsync(text).Within(); // kept: there is no channel yet
        Assert.False(caller.Established.IsCompleted);
        network.Restore();

        var code = await caller.Established.Within();
        Assert.Equal(code, await supporter.EstablishedAsync(session).Within());
        await Waits.UntilAsync(() => atSupporter.Texts.Count >= 2);
        Assert.Equal(offline, atSupporter.Texts);
        var reply = ConversationParty.UniqueTexts("welcome-back", 1)[0];
        await supporter.SendAsync(session, reply).Within();
        await Waits.UntilAsync(() => atCaller.Texts.Contains(reply));
        Assert.Contains(presence, p => p.SessionId == session && p.Present);
        await Waits.UntilAsync(() => atCaller.Delivered.Count == 2, because: "both are delivered");
    }

    [Fact]
    public async Task SupporterClosesWhileMessagesCannotBeDelivered_CallerIsToldExactlyThoseWereNotDelivered()
    {
        await using var supporter = await App.CertifiedSupporterAsync("xan", _first);
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        var (atSupporter, atCaller) = (ConversationParty.Of(supporter), ConversationParty.Of(caller));
        await caller.RequestSupportAsync(Topics.Other, Priorities.Routine).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        await caller.Established.Within();

        var kept = ConversationParty.UniqueTexts("kept-before-close", 2);
        var keptIds = new List<Guid>();
        foreach (var text in kept) keptIds.Add(await caller.SendAsync(text).Within());
        await Waits.UntilAsync(() => atCaller.Delivered.Count == 2, because: "the first two are kept by the supporter");
        atSupporter.Hold();
        var lost = ConversationParty.UniqueTexts("lost-at-close", 3);
        var lostIds = new List<Guid>();
        foreach (var text in lost) lostIds.Add(await caller.SendAsync(text).Within());
        await Waits.UntilAsync(() => atSupporter.Holding is not null);

        await supporter.CloseAsync(session, Dispositions.Supported).Within();
        atSupporter.Release();

        await Waits.UntilAsync(() => atCaller.NotDelivered.Count == 3, because: "the caller hears which messages did not arrive");
        Assert.Equal(lostIds, atCaller.NotDelivered.ToArray());
        Assert.Equal(keptIds, atCaller.Delivered.ToArray());
        Assert.Equal(kept, atSupporter.Texts.Take(2));
        await Assert.ThrowsAsync<RelayException>(() => caller.SendAsync("after the end").Within());
    }
}
