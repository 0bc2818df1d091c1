using System.Diagnostics;
using System.Text.Json;
using PeerLine.Client.E2E;
using PeerLine.Client.Relay;
using PeerLine.Client.State;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;

namespace PeerLine.Cli.Probe;

/// <summary>
/// One full session through the live line, acting as a supporter on shift and as an anonymous caller at once:
/// request, claim (its own session only), handshake, a message each way, close. One JSON line tells how it went.
/// </summary>
public static class SyntheticProbe
{
    public static async Task<int> RunAsync(ProbeSettings settings, string password, TextWriter stdout, TextWriter stderr)
    {
        using var timeout = new CancellationTokenSource(settings.Timeout);
        var ct = timeout.Token;
        var timings = new Dictionary<string, long>();
        var clock = Stopwatch.StartNew();
        string? serverVersion = null;
        string? received = null;
        Func<Task>? cleanup = null;
        try
        {
            var state = new ProbeState(settings.StateDirectory);
            var isNew = state.IsNew;
            using var deviceKey = state.LoadOrCreateDeviceKey();
            var trust = RosterTrust.Pin(await state.PinnedRosterKeyAsync(settings.Server, ct));
            var options = new RelayClientOptions { Server = settings.Server };
            // Both sides keep their conversation state owner-only in the state directory, as a real client would.
            var store = new FileConversationStore(Path.Combine(settings.StateDirectory, ProbeState.ConversationsDirectory));

            await using var supporter = new SupporterClient(options, settings.Login, password, deviceKey, store);
            var (status, certificate) = await supporter.EnrollAsync(ct);
            var verdict = certificate is null ? (CertificateVerdict?)null : trust.Check(certificate, out _);
            if (status != DeviceKeyStatuses.Certified || verdict != CertificateVerdict.Trusted)
            {
                var badCertificate = verdict is { } v && status == DeviceKeyStatuses.Certified ? $" but its certificate is {v}" : "";
                await stderr.WriteLineAsync(isNew
                    ? $"enrolled a new device key for {settings.Login}; it awaits certification: staff certify --login {settings.Login}"
                    : $"the device key of {settings.Login} is {status}{badCertificate}; "
                        + $"it needs a (new) certificate: staff certify --login {settings.Login}");
                return Cli.AwaitingCertification;
            }
            serverVersion = await supporter.Relay.ServerVersionAsync(ct);

            var atSupporter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var atCaller = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            supporter.MessageReceived = m => { atSupporter.TrySetResult(m.Text); return Task.CompletedTask; };
            await supporter.ConnectAsync(ct);
            await supporter.StartShiftAsync(1, ct);
            cleanup = () => CleanUpAsync(null, supporter);

            await using var caller = new CallerClient(options, trust, store);
            caller.MessageReceived = m => { atCaller.TrySetResult(m.Text); return Task.CompletedTask; };
            var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            caller.ChannelRefused += r => refused.TrySetResult(r);

            var ticket = await Step("request", () => caller.RequestSupportAsync(Topics.Other, Priorities.Routine, ct));
            cleanup = () => CleanUpAsync(caller, supporter);
            await Step("claim", () => supporter.Relay.ClaimAsync(ticket.SessionId, ct));
            var handshake = await Step("handshake", async () =>
            {
                var done = await Task.WhenAny(caller.Established, refused.Task).WaitAsync(ct);
                if (done == refused.Task) throw new RelayException(await refused.Task);
                return await supporter.EstablishedAsync(ticket.SessionId).WaitAsync(ct);
            });
            received = await Step("callerToSupporter", async () =>
            {
                await caller.SendAsync(settings.Message, ct);
                return await atSupporter.Task.WaitAsync(ct);
            });
            var reply = await Step("supporterToCaller", async () =>
            {
                await supporter.SendAsync(ticket.SessionId, ProbeSettings.Reply, ct);
                return await atCaller.Task.WaitAsync(ct);
            });
            await Step("close", async () =>
            {
                await supporter.CloseAsync(ticket.SessionId, Dispositions.NotASupportRequest, ct);
                await supporter.Relay.EndShiftAsync(ct);
                return true;
            });

            cleanup = null;
            var ok = received == settings.Message && reply == ProbeSettings.Reply && handshake == await caller.Established;
            await Report(ok, ok ? null : "mismatch");
            return ok ? Cli.Ok : Cli.Failed;
        }
        catch (Exception e)
        {
            if (cleanup is not null) await cleanup();
            await Report(false, e switch
            {
                RelayException r => r.Code,
                OperationCanceledException => "timeout",
                HttpRequestException => "unreachable",
                _ => e.GetType().Name,
            });
            return Cli.Failed;
        }

        // A failed run must not leave its session open or the probe login on shift (where real callers could be offered to it).
        static async Task CleanUpAsync(CallerClient? caller, SupporterClient supporter)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (caller is not null)
                try { await caller.EndAsync(limit.Token); } catch (Exception) { /* best effort */ }
            try { await supporter.Relay.EndShiftAsync(limit.Token); } catch (Exception) { /* best effort */ }
        }

        async Task<T> Step<T>(string name, Func<Task<T>> step)
        {
            var started = clock.ElapsedMilliseconds;
            var result = await step();
            timings[name] = clock.ElapsedMilliseconds - started;
            return result;
        }

        Task Report(bool ok, string? error) => stdout.WriteLineAsync(JsonSerializer.Serialize(new
        {
            ok,
            error,
            serverVersion,
            timingsMs = timings,
            totalMs = clock.ElapsedMilliseconds,
            received,
        }));
    }
}
