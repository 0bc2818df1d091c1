using System.Security.Cryptography;
using NSec.Cryptography;
using PeerLine.Protocol.Noise;

namespace PeerLine.Protocol.E2E;

/// <summary>What happened to an incoming envelope.</summary>
public enum ChannelOutcome
{
    /// <summary>A handshake step; <see cref="ChannelResult.Reply"/> may hold the next handshake envelope to send.</summary>
    Handshake,
    /// <summary>
    /// A message: <see cref="ChannelResult.Content"/> holds its plaintext, <see cref="ChannelResult.MessageId"/> its end-to-end id.
    /// </summary>
    Message,
    /// <summary>Not authentic, not in order, not for this session or direction, or malformed. Nothing was accepted.</summary>
    Rejected,
}

/// <summary>The outcome of <see cref="SecureChannel.Receive"/>.</summary>
/// <param name="MessageId">For a message: the end-to-end id its sender gave it (the same under every channel it was sealed in).</param>
public sealed record ChannelResult(ChannelOutcome Outcome, byte[]? Reply = null, byte[]? Content = null, Guid? MessageId = null);

/// <summary>
/// One end-to-end channel of a session: Noise XK with the caller as initiator. The caller knows the supporter's
/// static key in advance (from a roster certificate) and proves a fresh episode key; the prologue binds the session
/// id; every transport message binds session, direction and relay sequence number as associated data and is padded
/// to a size bucket. Keys live in this object only, unless <see cref="Export"/> is asked for them.
/// </summary>
public sealed class SecureChannel : IDisposable
{
    private readonly string _sessionId;
    private readonly bool _caller;
    private readonly Party _party;
    private HandshakeState? _handshake;
    private CipherState? _send;
    private CipherState? _receive;
    private byte[]? _handshakeHash;
    private byte[]? _remoteStaticKey;
    private bool _disposed;

    private SecureChannel(string sessionId, bool caller, Party party, HandshakeState? handshake)
    {
        _sessionId = sessionId;
        _caller = caller;
        _party = party;
        _handshake = handshake;
    }

    /// <summary>The caller's side. <paramref name="episodeKey"/> is the caller's static X25519 key for this episode.</summary>
    public static SecureChannel ForCaller(string sessionId, ReadOnlySpan<byte> supporterStaticKey, Key episodeKey, Key? fixedEphemeral = null) =>
        ForCaller(sessionId, Party.Supporter, supporterStaticKey, episodeKey, fixedEphemeral);

    /// <summary>
    /// The caller's side of a channel with <paramref name="party"/> (the supporter, or a lead the caller let in).
    /// <paramref name="fixedEphemeral"/> replays a handshake from a kept ephemeral key (null: a fresh one); the channel disposes it.
    /// </summary>
    public static SecureChannel ForCaller(
        string sessionId, Party party, ReadOnlySpan<byte> staffStaticKey, Key episodeKey, Key? fixedEphemeral = null) =>
        new(sessionId, caller: true, party, new HandshakeState(Binding.ProtocolName, new HandshakeOptions
        {
            Initiator = true,
            Prologue = Binding.Prologue(sessionId, party),
            LocalStatic = episodeKey,
            RemoteStatic = staffStaticKey.ToArray(),
            FixedEphemeral = fixedEphemeral,
        }));

    /// <summary>The supporter's side, with the device's static X25519 key (the one in its roster certificate).</summary>
    public static SecureChannel ForSupporter(string sessionId, Key staticKey, Key? fixedEphemeral = null) =>
        ForStaff(sessionId, Party.Supporter, staticKey, fixedEphemeral);

    /// <summary>
    /// A staff member's side: the supporter holding the session, or a lead who joined it. <paramref name="fixedEphemeral"/>
    /// as in <see cref="ForCaller(string, Party, ReadOnlySpan{byte}, Key, Key?)"/>.
    /// </summary>
    public static SecureChannel ForStaff(string sessionId, Party party, Key staticKey, Key? fixedEphemeral = null) =>
        new(sessionId, caller: false, party, new HandshakeState(Binding.ProtocolName, new HandshakeOptions
        {
            Initiator = false,
            Prologue = Binding.Prologue(sessionId, party),
            LocalStatic = staticKey,
            FixedEphemeral = fixedEphemeral,
        }));

    /// <summary>
    /// An established channel that continues exactly where the exported one stood: same keys, same nonces, same
    /// safety code. It takes no handshake message. The state's arrays are copied.
    /// </summary>
    public static SecureChannel Restore(ChannelState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrEmpty(state.SessionId, nameof(state));
        if (!Enum.IsDefined(state.Party)) throw new ArgumentException("Unknown party.", nameof(state));
        RequireLength(state.HandshakeHash, "handshake hash", nameof(state));
        RequireLength(state.RemoteStaticKey, "remote static key", nameof(state));
        RequireLength(state.SendKey, "send key", nameof(state));
        RequireLength(state.ReceiveKey, "receive key", nameof(state));
        return new SecureChannel(state.SessionId, state.Caller, state.Party, handshake: null)
        {
            _send = CipherState.Resume(state.SendKey, state.SendNonce),
            _receive = CipherState.Resume(state.ReceiveKey, state.ReceiveNonce),
            _handshakeHash = (byte[])state.HandshakeHash.Clone(),
            _remoteStaticKey = (byte[])state.RemoteStaticKey.Clone(),
        };
    }

    private static void RequireLength(byte[]? value, string what, string paramName)
    {
        if (value is not { Length: 32 }) throw new ArgumentException($"The {what} is 32 bytes.", paramName);
    }

    /// <summary>The transport states themselves: tests check that disposing the channel zeroes their keys.</summary>
    internal (CipherState? Send, CipherState? Receive) TransportStates => (_send, _receive);

    public bool IsEstablished => _send is not null;

    /// <summary>The handshake failed for good: this channel will never carry a message (§11.4).</summary>
    public bool HasFailed => _handshake?.HasFailed ?? false;

    /// <summary>The Noise handshake hash once the handshake is complete: the channel's identity (equal on both sides).</summary>
    public byte[]? HandshakeHash => _handshakeHash?.Clone() as byte[];

    /// <summary>The code both people can compare, once the handshake is complete.</summary>
    public string? SafetyCode => _handshakeHash is { } hash ? E2E.SafetyCode.From(hash) : null;

    /// <summary>The other side's static key once known: for a supporter, the caller's episode key.</summary>
    public byte[]? RemoteStaticKey => _remoteStaticKey?.Clone() as byte[] ?? _handshake?.RemoteStaticPublicKey;

    /// <summary>
    /// The established channel's keys and nonces, to persist and <see cref="Restore"/> later. Export again after
    /// every seal or open: the nonces move on. Throws <see cref="InvalidOperationException"/> before the handshake is
    /// complete (a half-done handshake is not kept: the caller starts a new one).
    /// </summary>
    public ChannelState Export()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_send is null || _receive is null || _handshakeHash is null || _remoteStaticKey is null)
            throw new InvalidOperationException("Only an established channel can be exported.");
        return new ChannelState(_sessionId, _party, _caller, _send.ExportKey(), _send.Nonce, _receive.ExportKey(), _receive.Nonce,
            (byte[])_handshakeHash.Clone(), (byte[])_remoteStaticKey.Clone());
    }

    private Direction ToStaff => _party == Party.Lead ? Direction.CallerToLead : Direction.CallerToSupporter;
    private Direction ToCaller => _party == Party.Lead ? Direction.LeadToCaller : Direction.SupporterToCaller;
    private Direction Outgoing => _caller ? ToStaff : ToCaller;
    private Direction Incoming => _caller ? ToCaller : ToStaff;

    /// <summary>The caller opens the handshake with this envelope.</summary>
    public byte[] Start()
    {
        if (!_caller) throw new InvalidOperationException("The caller starts the handshake.");
        if (_handshake is null) throw new InvalidOperationException("This channel's handshake is over.");
        return Envelope.Wrap(EnvelopeType.Handshake, _handshake.WriteMessage([]));
    }

    /// <summary>
    /// Seals content for the relay under sequence number <paramref name="seq"/> (the number it will be sent with).
    /// <paramref name="messageId"/> is the end-to-end id of the message (chosen once when the person wrote it, kept
    /// when it is sealed again under a later channel); on the wire it is <c>messageId.ToByteArray(bigEndian: true)</c>.
    /// Content over <see cref="Padding.MaxContent"/> bytes throws <see cref="ArgumentException"/> and uses no nonce.
    /// </summary>
    public byte[] Seal(Guid messageId, ReadOnlySpan<byte> content, long seq)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var send = _send ?? throw new InvalidOperationException("The handshake is not complete.");
        Span<byte> id = stackalloc byte[Padding.MessageIdSize];
        if (!messageId.TryWriteBytes(id, bigEndian: true, out _)) throw new InvalidOperationException("A Guid is 16 bytes.");
        var padded = Padding.Pad(id, content);
        var ciphertext = send.EncryptWithAd(Binding.AssociatedData(_sessionId, Outgoing, seq), padded);
        CryptographicOperations.ZeroMemory(padded);
        return Envelope.Wrap(EnvelopeType.Transport, ciphertext);
    }

    /// <summary>Takes one envelope that arrived under relay sequence number <paramref name="seq"/>. A disposed channel rejects everything.</summary>
    public ChannelResult Receive(ReadOnlySpan<byte> envelope, long seq)
    {
        if (_disposed) return new(ChannelOutcome.Rejected); // its keys are gone: nothing can be opened any more
        if (!Envelope.TryUnwrap(envelope, out var type, out var body)) return new(ChannelOutcome.Rejected);
        return type == EnvelopeType.Handshake ? ReceiveHandshake(body) : ReceiveTransport(body, seq);
    }

    private ChannelResult ReceiveHandshake(ReadOnlySpan<byte> body)
    {
        var handshake = _handshake;
        if (handshake is null || handshake.IsComplete || handshake.HasFailed || handshake.IsMyTurn) return new(ChannelOutcome.Rejected);
        if (handshake.ReadMessage(body) is null) return new(ChannelOutcome.Rejected);

        byte[]? reply = null;
        if (handshake.IsMyTurn) reply = Envelope.Wrap(EnvelopeType.Handshake, handshake.WriteMessage([]));
        if (handshake.IsComplete) Complete(handshake);
        return new(ChannelOutcome.Handshake, Reply: reply);
    }

    // Keeps what the channel needs from the handshake, then lets the handshake's own secrets go.
    private void Complete(HandshakeState handshake)
    {
        (_send, _receive) = handshake.Split();
        _handshakeHash = handshake.HandshakeHash;
        _remoteStaticKey = handshake.RemoteStaticPublicKey;
        handshake.Dispose();
        _handshake = null;
    }

    private ChannelResult ReceiveTransport(ReadOnlySpan<byte> body, long seq)
    {
        if (_receive is null) return new(ChannelOutcome.Rejected);
        // A replayed, reordered or moved message fails here: wrong nonce, wrong direction, session or seq.
        var padded = _receive.DecryptWithAd(Binding.AssociatedData(_sessionId, Incoming, seq), body);
        if (padded is null) return new(ChannelOutcome.Rejected);
        var unpadded = Padding.Unpad(padded);
        CryptographicOperations.ZeroMemory(padded);
        if (unpadded is not { } message) return new(ChannelOutcome.Rejected);
        return new(ChannelOutcome.Message, Content: message.Content, MessageId: new Guid(message.MessageId, bigEndian: true));
    }

    public void Dispose()
    {
        _disposed = true;
        _handshake?.Dispose();
        _send?.Dispose();
        _receive?.Dispose();
    }
}
