using System.Text.Json;
using PeerLine.Protocol.E2E;

namespace PeerLine.Client.State;

/// <summary>
/// What one side keeps of one lane (the caller's lane with the supporter or with a lead; a staff member's lane in a
/// session), persisted before the client acts on it (docs/protocol.md, continuity rules R1–R7).
/// </summary>
internal sealed class LaneRecord
{
    /// <summary>The highest relay seq this side has sealed (or reserved) on its outgoing direction.</summary>
    public long LastSealedSeq { get; set; }

    /// <summary>The highest relay seq of the incoming direction already handled (opened, rejected or dropped).</summary>
    public long LastOpenedSeq { get; set; }

    /// <summary>Counts the channels established in this lane; an outbox entry names the one it was sealed under.</summary>
    public int Generation { get; set; }

    /// <summary>Caller only: the session holder the channel (or the handshake under way) was made for.</summary>
    public int Holder { get; set; }

    public ChannelState? Channel { get; set; }

    /// <summary>Caller only: the channel before the current one, kept to open what was sealed under it.</summary>
    public ChannelState? Previous { get; set; }

    /// <summary>A handshake under way, as what it takes to run it again (deterministically) from its first message.</summary>
    public HandshakeRecipe? Handshake { get; set; }

    /// <summary>Staff only: a restart request was sent and no handshake has arrived since.</summary>
    public bool RestartRequested { get; set; }

    /// <summary>Staff only: the seq of the last restart request sent.</summary>
    public long RestartSeq { get; set; }

    public List<OutboxEntry> Outbox { get; set; } = [];

    /// <summary>Sealed envelopes that are not (or no longer) outbox messages: handshake messages, restart requests,
    /// and messages of an abandoned channel. Sent in seq order with the outbox until the server holds them.</summary>
    public List<WireEntry> Wires { get; set; } = [];

    public List<Guid> Seen { get; set; } = [];

    /// <summary>Messages kept but not yet handed to the application (handed over first after a restart).</summary>
    public List<UnshownMessage> Unshown { get; set; } = [];
}

/// <summary>A message written here and not yet known delivered. Seq, relay id and envelope are set once it is sealed.</summary>
internal sealed class OutboxEntry
{
    public Guid MessageId { get; set; }
    public byte[] Content { get; set; } = [];
    public int? Generation { get; set; }
    public long? Seq { get; set; }
    public Guid? RelayId { get; set; }
    public byte[]? Envelope { get; set; }

    /// <summary>The server holds it (confirmed); after a restart the view's lastSentSeq decides again.</summary>
    public bool Sent { get; set; }
}

internal sealed class WireEntry
{
    public long Seq { get; set; }
    public Guid RelayId { get; set; }
    public byte[] Envelope { get; set; } = [];
}

/// <summary>
/// A handshake under way: this side's ephemeral private key and, for the caller, the staff member's static key (the
/// first message follows from them); for staff, the caller's first message. Running the handshake again from these
/// gives the same messages, so a reply can be tried against it without spoiling it, and a restart keeps it.
/// </summary>
internal sealed class HandshakeRecipe
{
    public byte[] Ephemeral { get; set; } = [];
    public byte[]? StaffKey { get; set; }
    public byte[]? Message1 { get; set; }
    public int Holder { get; set; }

    /// <summary>Caller: the seq message 1 went out under.</summary>
    public long Message1Seq { get; set; }
}

internal sealed class UnshownMessage
{
    public long Seq { get; set; }
    public Guid MessageId { get; set; }
    public byte[] Content { get; set; } = [];
}

/// <summary>The caller's whole state of one session (store key <see cref="Key"/>).</summary>
internal sealed class CallerRecord
{
    public const string Key = "caller";

    public string SessionId { get; set; } = "";
    public string CallerSecret { get; set; } = "";
    public byte[] EpisodeKey { get; set; } = [];
    public bool LeadConsent { get; set; }
    public LaneRecord Supporter { get; set; } = new();
    public LaneRecord Lead { get; set; } = new();
}

/// <summary>A staff member's state of one session they are in (store key <c>staff-{login}-{sessionId}</c>).</summary>
internal sealed class StaffRecord
{
    public string SessionId { get; set; } = "";
    public LaneRecord Lane { get; set; } = new();
}

internal static class StateJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static byte[] Write<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T? Read<T>(byte[]? bytes) where T : class => bytes is null ? null : JsonSerializer.Deserialize<T>(bytes, Options);
}
