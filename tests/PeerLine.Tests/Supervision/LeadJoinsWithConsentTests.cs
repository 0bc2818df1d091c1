using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NSec.Cryptography;
using PeerLine.Client.E2E;
using PeerLine.Client.Relay;
using PeerLine.Client.State;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Supervision;

/// <summary>
/// A lead joins a chat only with the caller's consent: the supporter asks, the caller answers, and a lead let in has
/// an encrypted channel of their own with the caller (prologue party 01, directions 03/04), through the real server.
/// </summary>
public sealed class LeadJoinsWithConsentTests() : AppScenario(new PeerLineApp(kestrel: true))
{
    private readonly Key _supporterDevice = Key.Create(KeyAgreementAlgorithm.X25519);
    private readonly Key _leadDevice = Key.Create(KeyAgreementAlgorithm.X25519);

    public override async Task DisposeAsync()
    {
        _supporterDevice.Dispose();
        _leadDevice.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task CallerAccepts_LeadGetsAChannelOfTheirOwn_SupporterDoesNotSeeIt()
    {
        await using var supporter = await App.CertifiedSupporterAsync("sia", _supporterDevice);
        await using var lead = await App.CertifiedSupporterAsync("lex", _leadDevice, StaffRoles.Lead);
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        var (atSupporter, atLead, atCaller) = (Inbox(supporter), Inbox(lead), new ConcurrentQueue<PlaintextMessage>());
        caller.MessageReceived = m => { atCaller.Enqueue(m); return Task.CompletedTask; };
        var invitations = new ConcurrentQueue<LeadInvitation>();
        caller.LeadInvited += invitations.Enqueue;
        await caller.RequestSupportAsync(Topics.PatientDeath, Priorities.Soon).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var supporterCode = await caller.Established.Within();

        await supporter.Relay.InviteLeadAsync(session, "lex").Within();
        await Waits.UntilAsync(() => invitations.Count == 1, because: "the caller is asked");
        await caller.AnswerLeadInvitationAsync(accept: true).Within();

        var leadCode = await lead.EstablishedAsync(session).Within();
        Assert.Equal(leadCode, await caller.LeadEstablished.Within());
        Assert.NotEqual(supporterCode, leadCode);
        var leadReceipts = new ConcurrentQueue<DeliveryReceipt>();
        caller.Relay.LeadDelivered += leadReceipts.Enqueue;
        await caller.SendToLeadAsync("for the lead only").Within();
        await lead.SendAsync(session, "the lead speaking").Within();
        await caller.SendAsync("for the supporter").Within();
        await Waits.UntilAsync(() => atLead.Contains("for the lead only") && atSupporter.Contains("for the supporter")
            && atCaller.Any(m => m.FromLead && m.Text == "the lead speaking"));
        Assert.DoesNotContain("for the lead only", atSupporter);
        await Waits.UntilAsync(() => !leadReceipts.IsEmpty, because: "the lead's acknowledgement reaches the caller on the lead lane");
        Assert.DoesNotContain("for the supporter", atLead);
        await App.AssertPlaintextNowhereAsync("for the lead only", "the lead speaking");
    }

    [Fact]
    public async Task CallerRefuses_WithoutPenalty_OnlyTheSupporterIsTold()
    {
        await using var supporter = await App.CertifiedSupporterAsync("rey", _supporterDevice);
        await using var lead = await App.CertifiedSupporterAsync("lou", _leadDevice, StaffRoles.Lead);
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        var toSupporter = Changes(supporter.Relay);
        var toLead = Changes(lead.Relay);
        var atSupporter = Inbox(supporter);
        caller.LeadInvited += i => Task.Run(() => caller.AnswerLeadInvitationAsync(accept: false));
        await caller.RequestSupportAsync(Topics.Burnout, Priorities.Routine).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        await caller.Established.Within();

        await supporter.Relay.InviteLeadAsync(session, "lou").Within();

        await Waits.UntilAsync(() => toSupporter.Any(c => c.Reason == ChangeReasons.LeadDeclined));
        Assert.Empty(toLead);
        Assert.Null(await App.DbAsync(db => db.Sessions.Where(s => s.Id == session).Select(s => s.LeadId).SingleAsync()));
        await caller.SendAsync("still talking").Within();
        await Waits.UntilAsync(() => atSupporter.Contains("still talking"), because: "the chat goes on as before");
        var refused = await Assert.ThrowsAsync<RelayException>(() => caller.Relay.SendToLeadAsync([1, 2]).Within());
        Assert.Equal(ErrorCodes.NotFound, refused.Code); // no lead lane on this client
    }

    [Fact]
    public async Task InvitationRules_LeadOnShift_LeadRole_OneAtATime_AnswerOnlyWhenAsked()
    {
        await using var supporter = await App.SupporterOnShiftAsync("sol");
        await App.CreateStaffAsync("notalead");
        await App.CreateStaffAsync("offshift", StaffRoles.Lead);
        await App.CreateStaffAsync("lia2", StaffRoles.Lead);
        await using var onShiftLead = new SupporterRelayClient(App.RelayOptions(), "lia2", PeerLineApp.Password);
        await onShiftLead.ConnectAsync().Within();
        await onShiftLead.StartShiftAsync().Within();
        await using var caller = await App.RequestSupportAsync();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;

        var answerFirst = await Assert.ThrowsAsync<RelayException>(() => caller.AnswerLeadInvitationAsync(true).Within());
        Assert.Equal(ErrorCodes.WrongState, answerFirst.Code);
        static async Task<string> RefusedAsync(Func<Task> invite) => (await Assert.ThrowsAsync<RelayException>(() => invite().Within())).Code;
        Assert.Equal(ErrorCodes.NotFound, await RefusedAsync(() => supporter.InviteLeadAsync(session, "notalead")));
        Assert.Equal(ErrorCodes.NotOnShift, await RefusedAsync(() => supporter.InviteLeadAsync(session, "offshift")));
        await supporter.InviteLeadAsync(session, "lia2").Within();
        Assert.Equal(ErrorCodes.WrongState, await RefusedAsync(() => supporter.InviteLeadAsync(session, "lia2")));
        Assert.Equal(ErrorCodes.InvalidArgument, await RefusedAsync(() => onShiftLead.InviteLeadAsync(session, "lia2"))); // yourself
        await App.CreateStaffAsync("lia3", StaffRoles.Lead);
        await using var otherLead = await App.SupporterOnShiftAsync("lia3", create: false);
        Assert.Equal(ErrorCodes.NotFound, await RefusedAsync(() => onShiftLead.InviteLeadAsync(session, "lia3"))); // not theirs
    }

    [Fact]
    public async Task LeadLeaves_OrTheChatCloses_EveryoneIsTold_LeadLaneEmptied()
    {
        await using var supporter = await App.CertifiedSupporterAsync("ted", _supporterDevice);
        await using var lead = await App.CertifiedSupporterAsync("lyn", _leadDevice, StaffRoles.Lead);
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        caller.LeadInvited += i => Task.Run(() => caller.AnswerLeadInvitationAsync(accept: true));
        var toCaller = Changes(caller.Relay);
        var toLead = Changes(lead.Relay);
        await caller.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        await caller.Established.Within();
        await supporter.Relay.InviteLeadAsync(session, "lyn").Within();
        await lead.EstablishedAsync(session).Within();

        await lead.Relay.LeaveSessionAsync(session).Within();
        await Waits.UntilAsync(() => toCaller.Any(c => c.Reason == ChangeReasons.LeadLeft));
        Assert.Equal(0, await App.DbAsync(db => db.Messages.CountAsync(m => m.SessionId == session && (int)m.Direction >= 2)));

        await supporter.Relay.InviteLeadAsync(session, "lyn").Within(); // asked again, and let in again
        await Waits.UntilAsync(() => toLead.Count(c => c.Reason == ChangeReasons.LeadJoined) == 2);
        await supporter.CloseAsync(session, Dispositions.Supported).Within();
        await Waits.UntilAsync(() => toLead.Any(c => c.State == SessionStates.Closed), because: "the lead hears that the chat closed");
    }

    [Fact]
    public async Task LeadJoinedWithoutThisCallersYes_OpensNoChannel()
    {
        await using var supporter = await App.CertifiedSupporterAsync("uma", _supporterDevice);
        await using var lead = await App.CertifiedSupporterAsync("lev", _leadDevice, StaffRoles.Lead);
        var store = new MemoryConversationStore();
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync(), store);
        var toCaller = Changes(caller.Relay);
        var atCaller = new ConcurrentQueue<string>();
        caller.MessageReceived = m => { atCaller.Enqueue(m.Text); return Task.CompletedTask; };
        await caller.RequestSupportAsync(Topics.Other, Priorities.Routine).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        await caller.Established.Within();
        await supporter.Relay.InviteLeadAsync(session, "lev").Within();

        // The yes goes to the server around the caller's client (as a server acting on its own would claim it).
        await caller.Relay.AnswerLeadInvitationAsync(accept: true).Within();
        await Waits.UntilAsync(() => toCaller.Any(c => c.Reason == ChangeReasons.LeadJoined));

        // Barrier: a view that shows the lead let in, then a message behind it on the caller's ordered receive path.
        // A client that opened a lead channel on that view would have kept the attempt before the message is shown.
        await caller.Relay.RefreshViewAsync().Within();
        await supporter.SendAsync(session, "after the view").Within();
        await Waits.UntilAsync(() => atCaller.Contains("after the view"), because: "the message behind the view is shown");
        var leadLane = JsonNode.Parse(await store.LoadAsync("caller") ?? throw new InvalidOperationException("nothing kept"))!["lead"]!;
        Assert.Null(leadLane["handshake"]);
        Assert.Empty(leadLane["wires"]!.AsArray());
        Assert.False(caller.LeadEstablished.IsCompleted);
        Assert.False(lead.EstablishedAsync(session).IsCompleted);
        Assert.Equal(0, await App.DbAsync(db => db.Sessions.Where(s => s.Id == session).Select(s => s.CallerToLeadSentSeq).SingleAsync()));
    }

    private static ConcurrentQueue<string> Inbox(SupporterClient client)
    {
        var inbox = new ConcurrentQueue<string>();
        client.MessageReceived = m => { inbox.Enqueue(m.Text); return Task.CompletedTask; };
        return inbox;
    }

    private static ConcurrentQueue<SessionChange> Changes(RelayConnection relay)
    {
        var changes = new ConcurrentQueue<SessionChange>();
        relay.SessionChanged += changes.Enqueue;
        return changes;
    }
}
