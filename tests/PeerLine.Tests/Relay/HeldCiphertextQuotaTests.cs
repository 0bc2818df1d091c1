using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Relay;
using PeerLine.Tests.Infrastructure;
using static PeerLine.Tests.Relay.HavingAConversationTests;

namespace PeerLine.Tests.Relay;

/// <summary>
/// A supporter writes to a caller who reads nothing (their client keeps every message unacknowledged): the server
/// holds at most three messages or 2,048 bytes for that direction, and refuses the rest with held-full.
/// </summary>
public sealed class HeldCiphertextQuotaTests() : AppScenario(new PeerLineApp(Limits))
{
    internal static readonly Dictionary<string, string?> Limits = new()
    {
        ["Relay:MaxHeldMessages"] = "3",
        ["Relay:MaxHeldBytes"] = "2048",
        ["Relay:MaxCiphertextBytes"] = "1024",
    };

    private readonly TaskCompletionSource _callerReads = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<ReceivedMessage> _read = new();
    private CallerRelayClient _caller = null!;
    private HubConnection _staff = null!;
    private string _session = null!;

    public override async Task InitializeAsync()
    {
        await App.CreateStaffAsync("gus");
        _caller = await App.RequestSupportAsync();
        _caller.MessageReceived = async m =>
        {
            await _callerReads.Task; // nothing is acknowledged until the test lets the caller read
            _read.Enqueue(m);
        };
        _staff = await App.StaffConnectionAsync("gus");
        await _staff.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within();
        _session = (await _staff.InvokeAsync<SessionView>(nameof(IStaffHub.ClaimNext)).Within()).SessionId;
    }

    public override async Task DisposeAsync()
    {
        _callerReads.TrySetResult();
        await _caller.DisposeAsync();
        await _staff.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task FourthUnacknowledgedMessage_RefusedWithHeldFull_NothingStored()
    {
        for (var seq = 1; seq <= 3; seq++) await Send(Guid.NewGuid(), seq, 10);

        var refused = await Assert.ThrowsAsync<HubException>(() => Send(Guid.NewGuid(), 4, 10));

        Assert.EndsWith(ErrorCodes.HeldFull, refused.Message);
        Assert.Equal([1L, 2L, 3L], await StoredSeqs());
    }

    [Fact]
    public async Task MessageTakingTheHeldBytesOverTheLimit_RefusedWithHeldFull_NothingStored()
    {
        await Send(Guid.NewGuid(), 1, 1000);
        await Send(Guid.NewGuid(), 2, 1000);

        var refused = await Assert.ThrowsAsync<HubException>(() => Send(Guid.NewGuid(), 3, 100));

        Assert.EndsWith(ErrorCodes.HeldFull, refused.Message);
        Assert.Equal([1L, 2L], await StoredSeqs());
        await Send(Guid.NewGuid(), 3, 48); // exactly at the limit still fits
    }

    [Fact]
    public async Task RetryOfAStoredMessageWhileFull_AnsweredAsSuccess()
    {
        var third = Guid.NewGuid();
        for (var seq = 1; seq <= 3; seq++) await Send(seq == 3 ? third : Guid.NewGuid(), seq, 10);

        await Send(third, 3, 10);

        Assert.Equal([1L, 2L, 3L], await StoredSeqs());
    }

    [Fact]
    public async Task AfterTheCallerAcknowledges_TheSameRefusedSendGoesThrough()
    {
        for (var seq = 1; seq <= 3; seq++) await Send(Guid.NewGuid(), seq, 10);
        var fourth = Guid.NewGuid();
        await Assert.ThrowsAsync<HubException>(() => Send(fourth, 4, 10));

        _callerReads.TrySetResult();
        await Waits.UntilAsync(async () => (await StoredSeqs()).Count == 0, because: "the caller acknowledges all three");
        await Send(fourth, 4, 10);

        await Waits.UntilAsync(() => _read.Any(m => m.MessageId == fourth), because: "the fourth arrives");
        Assert.Equal([1L, 2L, 3L, 4L], _read.Select(m => m.Seq));
    }

    [Fact]
    public async Task SupporterToCallerFull_CallerStillWritesToTheSupporter()
    {
        for (var seq = 1; seq <= 3; seq++) await Send(Guid.NewGuid(), seq, 10);

        Assert.Equal(1, await _caller.SendAsync(Bytes("the other direction has its own quota")).Within());
    }

    private Task Send(Guid id, long seq, int size) =>
        _staff.InvokeAsync(nameof(IStaffHub.SendCiphertext), _session, id, seq, new byte[size]).Within();

    private Task<List<long>> StoredSeqs() => App.DbAsync(db => db.Messages
        .Where(m => m.SessionId == _session && m.Direction == Direction.SupporterToCaller).OrderBy(m => m.Seq).Select(m => m.Seq).ToListAsync());
}
