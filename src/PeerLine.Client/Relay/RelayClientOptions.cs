using Microsoft.AspNetCore.Http.Connections.Client;
using PeerLine.Protocol.Wire;

namespace PeerLine.Client.Relay;

public sealed class RelayClientOptions
{
    /// <summary>The server's base address, for example http://localhost:5080.</summary>
    public required Uri Server { get; init; }

    /// <summary>Hook for the transport (tests plug in an in-memory server or a socket they can cut).</summary>
    public Action<HttpConnectionOptions>? ConfigureConnection { get; init; }

    /// <summary>Longest pause between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a send keeps retrying across reconnects before it gives up.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest pause before a send refused with held-full is tried again when no receipt came first.</summary>
    public TimeSpan MaxHeldFullPause { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Handler for the REST calls (staff token); tests pass the in-memory server's.</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }
}

/// <summary>A refusal from the server, by its wire code (see PeerLine.Protocol.Wire.ErrorCodes).</summary>
public sealed class RelayException(string code) : Exception(code)
{
    public string Code { get; } = code;
}

/// <summary>One message handed to the application: exactly once per sequence number, in sequence order.</summary>
/// <param name="FromLead">For a caller: the message came on the lane with a lead the caller let in, not from the supporter.</param>
public sealed record ReceivedMessage(string SessionId, long Seq, Guid MessageId, byte[] Ciphertext, bool FromLead = false);

/// <summary>What the server told about a session besides messages, in arrival order with them (see RelayConnection.SignalReceived).</summary>
public abstract record RelaySignal(string SessionId);

/// <summary>The other side kept everything up to a seq (<see cref="FromLead"/>: on the caller's lane with a lead).</summary>
public sealed record ReceiptSignal(DeliveryReceipt Receipt, bool FromLead) : RelaySignal(Receipt.SessionId);

public sealed record ChangeSignal(SessionChange Change) : RelaySignal(Change.SessionId);

/// <summary>The view of one session after a request, claim or (re)join.</summary>
public sealed record ViewSignal(SessionView View) : RelaySignal(View.SessionId);

/// <summary>Staff: a rejoin listed every session this staff member is in now; any other session is no longer theirs.</summary>
public sealed record HeldSessionsSignal(IReadOnlyList<string> SessionIds) : RelaySignal("");

/// <summary>Staff: the caller of a session went away or came back.</summary>
public sealed record PresenceSignal(CallerPresence Presence) : RelaySignal(Presence.SessionId);
