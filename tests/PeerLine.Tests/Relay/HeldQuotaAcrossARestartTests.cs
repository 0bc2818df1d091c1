using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static PeerLine.Tests.Relay.HavingAConversationTests;

namespace PeerLine.Tests.Relay;

/// <summary>The server restarts (same data directory) while a direction is at its quota: the new process knows it is full.</summary>
public sealed class HeldQuotaAcrossARestartTests
{
    [Fact]
    public async Task FullBeforeTheRestart_StillFullAfter_UntilTheCallerComesBackAndAcknowledges()
    {
        var first = new PeerLineApp(HeldCiphertextQuotaTests.Limits) { KeepData = true };
        PeerLineApp? second = null;
        try
        {
            await first.CreateStaffAsync("gus");
            var caller = await first.RequestSupportAsync();
            var (session, secret) = (caller.SessionId!, caller.CallerSecret!);
            await using (var staff = await first.StaffConnectionAsync("gus"))
            {
                await staff.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within();
                await staff.InvokeAsync<SessionView>(nameof(IStaffHub.ClaimNext)).Within();
                await caller.DisposeAsync(); // the caller goes away before anything arrives
                for (var seq = 1; seq <= 3; seq++) await Send(staff, session, Guid.NewGuid(), seq);
            }
            await first.DisposeAsync();

            second = new PeerLineApp(HeldCiphertextQuotaTests.Limits, dataDirectory: first.DataDirectory);
            await using var staffAgain = await second.StaffConnectionAsync("gus");
            var fourth = Guid.NewGuid();
            var refused = await Assert.ThrowsAsync<HubException>(() => Send(staffAgain, session, fourth, 4));
            Assert.EndsWith(ErrorCodes.HeldFull, refused.Message);
            Assert.Equal(3, await second.DbAsync(db => db.Messages.CountAsync()));

            await using var returning = new CallerRelayClient(second.RelayOptions());
            var received = Collect(returning);
            await returning.ResumeAsync(session, secret).Within(); // receives the three and acknowledges them
            await Waits.UntilAsync(async () => await second.DbAsync(db => db.Messages.CountAsync()) == 0, because: "acknowledged");
            await Send(staffAgain, session, fourth, 4);
            await Waits.UntilAsync(() => received.Any(m => m.MessageId == fourth), because: "the fourth arrives");
            Assert.Equal([1L, 2L, 3L, 4L], received.Select(m => m.Seq));
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            first.KeepData = false;
            await first.DisposeAsync();
        }
    }

    private static Task Send(HubConnection staff, string session, Guid id, long seq) =>
        staff.InvokeAsync(nameof(IStaffHub.SendCiphertext), session, id, seq, new byte[10]).Within();
}
