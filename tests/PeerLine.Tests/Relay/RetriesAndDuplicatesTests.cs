using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static PeerLine.Tests.Relay.HavingAConversationTests;

namespace PeerLine.Tests.Relay;

/// <summary>What a client retrying after a lost answer may send, checked on the wire without the client library's help.</summary>
public sealed class RetriesAndDuplicatesTests() : AppScenario
{
    private HubConnection _caller = null!;
    private string _session = null!;

    public override async Task InitializeAsync()
    {
        await App.CreateStaffAsync("gus");
        _caller = App.RawConnection(HubRoutes.Caller);
        await _caller.StartAsync().Within();
        var ticket = await _caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other, Priorities.Routine,
            await _caller.SolvedPuzzleAsync()).Within();
        _session = ticket.SessionId;
        await using var staff = await App.StaffConnectionAsync("gus");
        await staff.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within();
        await staff.InvokeAsync<SessionView>(nameof(IStaffHub.ClaimNext)).Within();
    }

    public override async Task DisposeAsync()
    {
        await _caller.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task SameMessageIdAndSeqTwice_StoredOnce()
    {
        var id = Guid.NewGuid();
        await Send(id, 1, "first copy");
        await Send(id, 1, "first copy");

        Assert.Equal(1, await App.DbAsync(db => db.Messages.CountAsync()));
    }

    [Fact]
    public async Task SameSeqDifferentMessageId_WhileStored_Refused()
    {
        await Send(Guid.NewGuid(), 1, "original");

        var refused = await Assert.ThrowsAsync<HubException>(() => Send(Guid.NewGuid(), 1, "impostor"));

        Assert.EndsWith(ErrorCodes.InvalidArgument, refused.Message);
        Assert.Equal("original", await App.DbAsync(async db => System.Text.Encoding.UTF8.GetString((await db.Messages.SingleAsync()).Ciphertext)));
    }

    [Fact]
    public async Task SeqSkippingAhead_RefusedWithSequenceGap_NothingStored()
    {
        var refused = await Assert.ThrowsAsync<HubException>(() => Send(Guid.NewGuid(), 2, "too early"));

        Assert.EndsWith(ErrorCodes.SequenceGap, refused.Message);
        Assert.Equal(0, await App.DbAsync(db => db.Messages.CountAsync()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task SeqBelowOne_RefusedAsInvalid(long seq)
    {
        var refused = await Assert.ThrowsAsync<HubException>(() => Send(Guid.NewGuid(), seq, "bad"));
        Assert.EndsWith(ErrorCodes.InvalidArgument, refused.Message);
    }

    [Fact]
    public async Task AcknowledgeBeyondWhatWasSent_Refused()
    {
        var refused = await Assert.ThrowsAsync<HubException>(() => _caller.InvokeAsync(nameof(ICallerHub.Acknowledge), _session, 1L).Within());
        Assert.EndsWith(ErrorCodes.InvalidArgument, refused.Message);
    }

    private Task Send(Guid id, long seq, string text) =>
        _caller.InvokeAsync(nameof(ICallerHub.SendCiphertext), _session, id, seq, Bytes(text)).Within();
}
