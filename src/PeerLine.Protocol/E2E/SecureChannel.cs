using NSec.Cryptography;
using PeerLine.Protocol.Noise;

namespace PeerLine.Protocol.E2E;

/// <summary>What happened to an incoming envelope.</summary>
public enum ChannelOutcome
{
    /// <summary>A handshake step; <see cref="ChannelResult.Reply"/> may hold the next handshake envelope to send.</summary>
    Handshake,
    /// <summary>A message: <see cref="ChannelResult.Content"/> holds its plaintext.</summary>
    Message,
    /// <summary>Not authentic, not in order, not for this session or direction, or malformed. Nothing was accepted.</summary>
    Rejected,
}

public sealed record ChannelResult(ChannelOutcome Outcome, byte[]? Reply = null, byte[]? Content = null);

/// <summary>
/// One end-to-end channel of a session: Noise XK with the caller as initiator. The caller knows the supporter's
/// static key in advance (from a roster certificate) and proves a fresh episode key; the prologue binds the session
/// id; every transport message binds session, direction and relay sequence number as associated data and is padded
/// to a size bucket. Keys live in this object only.
/// </summary>
public sealed class SecureChannel : IDisposable
{
    private readonly string _sessionId;
    private readonly bool _caller;
    private readonly Party _party;
    private readonly HandshakeState _handshake;
    private CipherState? _send;
    private CipherState? _receive;

    private SecureChannel(string sessionId, bool caller, Party party, HandshakeState handshake)
    {
        _sessionId = sessionId;
        _caller = caller;
        _party = party;
        _handshake = handshake;
    }

    /// <summary>The caller's side. <paramref name="episodeKey"/> is the caller's static X25519 key for this episode.</summary>
    public static SecureChannel ForCaller(string sessionId, ReadOnlySpan<byte> supporterStaticKey, Key episodeKey, Key? fixedEphemeral = null) =>
        ForCaller(sessionId, Party.Supporter, supporterStaticKey, episodeKey, fixedEphemeral);

    /// <summary>The caller's side of a channel with <paramref name="party"/> (the supporter, or a lead the caller let in).</summary>
    public static SecureChannel ForCaller(string sessionId, Party party, ReadOnlySpan<byte> staffStaticKey, Key episodeKey, Key? fixedEphemeral = null) =>
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

    /// <summary>A staff member's side: the supporter holding the session, or a lead who joined it.</summary>
    public static SecureChannel ForStaff(string sessionId, Party party, Key staticKey, Key? fixedEphemeral = null) =>
        new(sessionId, caller: false, party, new HandshakeState(Binding.ProtocolName, new HandshakeOptions
        {
            Initiator = false,
            Prologue = Binding.Prologue(sessionId, party),
            LocalStatic = staticKey,
            FixedEphemeral = fixedEphemeral,
        }));

    public bool IsEstablished => _send is not null;

    /// <summary>The handshake failed for good: this channel will never carry a message (§11.4).</summary>
    public bool HasFailed => _handshake.HasFailed;

    /// <summary>The code both people can compare, once the handshake is complete.</summary>
    public string? SafetyCode => IsEstablished ? E2E.SafetyCode.From(_handshake.HandshakeHash) : null;

    /// <summary>The other side's static key once known: for a supporter, the caller's episode key.</summary>
    public byte[]? RemoteStaticKey => _handshake.RemoteStaticPublicKey;

    private Direction ToStaff => _party == Party.Lead ? Direction.CallerToLead : Direction.CallerToSupporter;
    private Direction ToCaller => _party == Party.Lead ? Direction.LeadToCaller : Direction.SupporterToCaller;
    private Direction Outgoing => _caller ? ToStaff : ToCaller;
    private Direction Incoming => _caller ? ToCaller : ToStaff;

    /// <summary>The caller opens the handshake with this envelope.</summary>
    public byte[] Start()
    {
        if (!_caller) throw new InvalidOperationException("The caller starts the handshake.");
        return Envelope.Wrap(EnvelopeType.Handshake, _handshake.WriteMessage([]));
    }

    /// <summary>Seals content for the relay under sequence number <paramref name="seq"/> (the number it will be sent with).</summary>
    public byte[] Seal(ReadOnlySpan<byte> content, long seq)
    {
        var send = _send ?? throw new InvalidOperationException("The handshake is not complete.");
        var ciphertext = send.EncryptWithAd(Binding.AssociatedData(_sessionId, Outgoing, seq), Padding.Pad(content));
        return Envelope.Wrap(EnvelopeType.Transport, ciphertext);
    }

    /// <summary>Takes one envelope that arrived under relay sequence number <paramref name="seq"/>.</summary>
    public ChannelResult Receive(ReadOnlySpan<byte> envelope, long seq)
    {
        if (!Envelope.TryUnwrap(envelope, out var type, out var body)) return new(ChannelOutcome.Rejected);
        return type == EnvelopeType.Handshake ? ReceiveHandshake(body) : ReceiveTransport(body, seq);
    }

    private ChannelResult ReceiveHandshake(ReadOnlySpan<byte> body)
    {
        if (_handshake.IsComplete || _handshake.HasFailed || _handshake.IsMyTurn) return new(ChannelOutcome.Rejected);
        if (_handshake.ReadMessage(body) is null) return new(ChannelOutcome.Rejected);

        byte[]? reply = null;
        if (_handshake.IsMyTurn) reply = Envelope.Wrap(EnvelopeType.Handshake, _handshake.WriteMessage([]));
        if (_handshake.IsComplete) (_send, _receive) = _handshake.Split();
        return new(ChannelOutcome.Handshake, Reply: reply);
    }

    private ChannelResult ReceiveTransport(ReadOnlySpan<byte> body, long seq)
    {
        if (_receive is null) return new(ChannelOutcome.Rejected);
        // A replayed, reordered or moved message fails here: wrong nonce, wrong direction, session or seq.
        var padded = _receive.DecryptWithAd(Binding.AssociatedData(_sessionId, Incoming, seq), body);
        var content = padded is null ? null : Padding.Unpad(padded);
        return content is null ? new(ChannelOutcome.Rejected) : new(ChannelOutcome.Message, Content: content);
    }

    public void Dispose() => _handshake.Dispose();
}
