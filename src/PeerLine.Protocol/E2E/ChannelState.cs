namespace PeerLine.Protocol.E2E;

/// <summary>
/// An established channel as bytes, to keep it across a reload or a restart (<see cref="SecureChannel.Export"/>,
/// <see cref="SecureChannel.Restore"/>). It holds the transport keys: whoever reads it can read and forge the
/// channel's messages, so store it only where the conversation itself may be stored, encrypted at rest. A restored
/// copy and the live channel must never both seal: that would reuse nonces.
/// </summary>
/// <param name="SessionId">The session the channel is bound to.</param>
/// <param name="Party">Which staff party the channel is with (supporter or lead).</param>
/// <param name="Caller">True on the caller's side (the handshake initiator).</param>
/// <param name="SendKey">The 32-byte AES-256-GCM key of the outgoing direction.</param>
/// <param name="SendNonce">The next nonce of the outgoing direction (messages sealed so far).</param>
/// <param name="ReceiveKey">The 32-byte AES-256-GCM key of the incoming direction.</param>
/// <param name="ReceiveNonce">The next nonce of the incoming direction (messages opened so far).</param>
/// <param name="HandshakeHash">The 32-byte Noise handshake hash: the channel's identity and the source of its safety code.</param>
/// <param name="RemoteStaticKey">The other side's 32-byte static X25519 public key.</param>
public sealed record ChannelState(
    string SessionId,
    Party Party,
    bool Caller,
    byte[] SendKey,
    ulong SendNonce,
    byte[] ReceiveKey,
    ulong ReceiveNonce,
    byte[] HandshakeHash,
    byte[] RemoteStaticKey);
