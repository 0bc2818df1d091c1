using System.Security.Cryptography;
using NSec.Cryptography;

namespace PeerLine.Protocol.Noise;

/// <summary>What a party brings to a handshake. Keys are NSec X25519 keys; the remote static key is raw bytes.</summary>
public sealed record HandshakeOptions
{
    public required bool Initiator { get; init; }
    public byte[] Prologue { get; init; } = [];
    public Key? LocalStatic { get; init; }
    public byte[]? RemoteStatic { get; init; }
    public IReadOnlyList<byte[]> PreSharedKeys { get; init; } = [];

    /// <summary>
    /// A given ephemeral key instead of a fresh one: for test vectors, and for <see cref="E2E.SecureChannel"/>, whose
    /// callers replay a handshake from a kept recipe. The handshake disposes it with itself.
    /// </summary>
    internal Key? FixedEphemeral { get; init; }
}

/// <summary>
/// A Noise handshake for the suite 25519_AESGCM_SHA256. Write and read messages in turn; once complete,
/// <see cref="Split"/> gives the transport cipher states. A message that fails to authenticate makes
/// <see cref="ReadMessage"/> return null and ends the handshake.
/// </summary>
public sealed class HandshakeState : IDisposable
{
    public const string Suite = "_25519_AESGCM_SHA256";
    private const int DhLength = 32;

    private readonly HandshakePattern _pattern;
    private readonly SymmetricState _symmetric;
    private readonly bool _initiator;
    private readonly Key? _s;
    private readonly IReadOnlyList<byte[]> _psks;
    private Key? _e;
    private byte[]? _rs;
    private byte[]? _re;
    private int _message;
    private int _pskIndex;
    private bool _failed;

    public HandshakeState(string protocolName, HandshakeOptions options)
    {
        if (!protocolName.StartsWith("Noise_", StringComparison.Ordinal) || !protocolName.EndsWith(Suite, StringComparison.Ordinal))
            throw new NotSupportedException("Only Noise_*_25519_AESGCM_SHA256 is supported.");
        _pattern = HandshakePattern.Parse(protocolName["Noise_".Length..^Suite.Length]);
        _initiator = options.Initiator;
        _s = options.LocalStatic;
        _rs = options.RemoteStatic?.ToArray();
        _e = options.FixedEphemeral;
        _psks = options.PreSharedKeys;
        if (_rs is not null && _rs.Length != DhLength) throw new ArgumentException("A remote static key is 32 bytes.", nameof(options));

        _symmetric = new SymmetricState(protocolName);
        _symmetric.MixHash(options.Prologue);
        if (_pattern.InitiatorStaticKnown) _symmetric.MixHash(_initiator ? LocalPublic(_s) : Require(_rs));
        if (_pattern.ResponderStaticKnown) _symmetric.MixHash(_initiator ? Require(_rs) : LocalPublic(_s));
    }

    public bool IsComplete => _message == _pattern.Messages.Count;

    /// <summary>A message failed to authenticate: this handshake is over and cannot continue.</summary>
    public bool HasFailed => _failed;

    public bool IsMyTurn => !IsComplete && !_failed && (_message % 2 == 0) == _initiator;

    /// <summary>The handshake hash: both sides hold the same value once the handshake is complete.</summary>
    public byte[] HandshakeHash => _symmetric.HandshakeHash;

    /// <summary>The other party's static public key, once it is known (pre-message or transmitted).</summary>
    public byte[]? RemoteStaticPublicKey => _rs?.ToArray();

    /// <summary>The symmetric state itself: tests check that its secrets are zeroed.</summary>
    internal SymmetricState Symmetric => _symmetric;

    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        if (!IsMyTurn) throw new InvalidOperationException("Not this party's turn to write.");
        var output = new List<byte>();
        foreach (var token in _pattern.Messages[_message])
        {
            switch (token)
            {
                case Token.E:
                    _e ??= Key.Create(KeyAgreementAlgorithm.X25519);
                    var e = _e.PublicKey.Export(KeyBlobFormat.RawPublicKey);
                    output.AddRange(e);
                    _symmetric.MixHash(e);
                    if (_pattern.UsesPsk) _symmetric.MixKey(e);
                    break;
                case Token.S:
                    output.AddRange(_symmetric.EncryptAndHash(LocalPublic(_s)));
                    break;
                case Token.Psk:
                    _symmetric.MixKeyAndHash(NextPsk());
                    break;
                default:
                    MixKeyOnce(Dh(token) ?? throw new InvalidOperationException("Key agreement failed."));
                    break;
            }
        }
        output.AddRange(_symmetric.EncryptAndHash(payload));
        _message++;
        return [.. output];
    }

    /// <summary>The payload, or null when the message is malformed or does not authenticate (the handshake is then over).</summary>
    public byte[]? ReadMessage(ReadOnlySpan<byte> message)
    {
        if (IsComplete || _failed || (_message % 2 == 0) == _initiator) throw new InvalidOperationException("Not this party's turn to read.");
        var payload = TryRead(message);
        if (payload is null) _failed = true;
        else _message++;
        return payload;
    }

    private byte[]? TryRead(ReadOnlySpan<byte> message)
    {
        foreach (var token in _pattern.Messages[_message])
        {
            switch (token)
            {
                case Token.E:
                    if (message.Length < DhLength) return null;
                    _re = message[..DhLength].ToArray();
                    message = message[DhLength..];
                    _symmetric.MixHash(_re);
                    if (_pattern.UsesPsk) _symmetric.MixKey(_re);
                    break;
                case Token.S:
                    var length = DhLength + (_symmetric.Cipher.HasKey ? Aes256GcmCipher.TagSize : 0);
                    if (message.Length < length) return null;
                    _rs = _symmetric.DecryptAndHash(message[..length]);
                    if (_rs is null) return null;
                    message = message[length..];
                    break;
                case Token.Psk:
                    _symmetric.MixKeyAndHash(NextPsk());
                    break;
                default:
                    var shared = Dh(token);
                    if (shared is null) return null;
                    MixKeyOnce(shared);
                    break;
            }
        }
        return _symmetric.DecryptAndHash(message);
    }

    /// <summary>The transport states for this party: what it sends with and what it receives with.</summary>
    public (CipherState Send, CipherState Receive) Split()
    {
        if (!IsComplete) throw new InvalidOperationException("The handshake is not complete.");
        var (first, second) = _symmetric.Split();
        return _initiator ? (first, second) : (second, first);
    }

    private byte[]? Dh(Token token)
    {
        var (local, remote) = token switch
        {
            Token.EE => (_e, _re),
            Token.SS => (_s, _rs),
            Token.ES => _initiator ? (_e, _rs) : (_s, _re),
            Token.SE => _initiator ? (_s, _re) : (_e, _rs),
            _ => throw new ArgumentOutOfRangeException(nameof(token)),
        };
        if (local is null || remote is null) throw new InvalidOperationException("A key the pattern needs is missing.");

        var remoteKey = PublicKey.Import(KeyAgreementAlgorithm.X25519, remote, KeyBlobFormat.RawPublicKey);
        var creation = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        // NSec refuses an all-zero result (a low-order point): the handshake fails instead.
        using var secret = KeyAgreementAlgorithm.X25519.Agree(local, remoteKey, creation);
        return secret?.Export(SharedSecretBlobFormat.RawSharedSecret);
    }

    // A shared secret is used once, by the key mix, and then zeroed.
    private void MixKeyOnce(byte[] sharedSecret)
    {
        _symmetric.MixKey(sharedSecret);
        CryptographicOperations.ZeroMemory(sharedSecret);
    }

    private byte[] NextPsk() =>
        _pskIndex < _psks.Count ? _psks[_pskIndex++] : throw new InvalidOperationException("The pattern needs another pre-shared key.");

    private static byte[] LocalPublic(Key? key) =>
        key?.PublicKey.Export(KeyBlobFormat.RawPublicKey) ?? throw new InvalidOperationException("The pattern needs a local static key.");

    private static byte[] Require(byte[]? key) => key ?? throw new InvalidOperationException("The pattern needs the remote static key.");

    public void Dispose()
    {
        // The ephemeral key and the chaining key die with the handshake; the static key belongs to the caller of this class.
        _e?.Dispose();
        _symmetric.Dispose();
    }
}
